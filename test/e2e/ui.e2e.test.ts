import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { ARTIFACTS } from '../harness/paths';
import { dashboardFrame, e2e, notificationTexts, runCommand, shot, statusItem, tooltipText, until } from './session';
import { extraClaudeLine } from '../fixtures/home';

/** The accessible label of a status bar item (on the item or its link, by VS Code version). */
async function ariaLabel(item: Locator): Promise<string> {
  return (await item.getAttribute('aria-label')) ?? (await item.locator('[aria-label]').first().getAttribute('aria-label')) ?? '';
}

describe('Agent Usage in VS Code, driven through Chromium', function () {
  this.timeout(120_000);

  it('shows the percentages from the usage endpoint and from the Codex logs in the status bar', async () => {
    const { page } = e2e();
    const item = statusItem(page);
    await until('the meter', async () => /Claude 50%/.test(await item.innerText()) && /Codex 12%/.test(await item.innerText()));
    const text = await item.innerText();
    assert.match(text, /Claude 50% · 2h 1[45]m/);
    assert.match(text, /wk 20%/);
    assert.match(text, /Codex 12% · 1h 5\dm|Codex 12% · 2h/);
    assert.ok((await item.innerHTML()).includes('codicon-pulse'));
    await page.locator('.part.statusbar').screenshot({ path: path.join(ARTIFACTS, 'status-bar-strip.png') });
    const tip = await tooltipText(page);
    assert.match(tip, /5-hour/);
    assert.match(tip, /Weekly/);
    assert.match(tip, /Today: 36K tokens/);
    assert.match(tip, /this workspace: 31K tokens/);
    await shot(page, 'status-bar.png');
    await page.locator('.monaco-hover').last().screenshot({ path: path.join(ARTIFACTS, 'status-bar-tooltip.png') });
    await page.keyboard.press('Escape');
  });

  it('shows a model’s own weekly window from limits[] in the status bar and tooltip, and crosses its threshold with exactly one toast', async () => {
    const { page, usage } = e2e();
    const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
    const r7 = iso(Date.now() + 4 * 86_400_000);
    const limits = [
      { kind: 'session', group: 'session', percent: 50, severity: 'normal', resets_at: iso(Date.now() + 2 * 3600_000 + 15 * 60_000), scope: null, is_active: true },
      { kind: 'weekly_all', group: 'weekly', percent: 20, severity: 'normal', resets_at: r7, scope: null, is_active: true },
      { kind: 'weekly_scoped', group: 'weekly', percent: 85, severity: 'warning', resets_at: r7, scope: { model: { id: null, display_name: 'Fable' } }, is_active: true },
    ];
    usage.script = { kind: 'ok', fiveHour: 50, sevenDay: 20, extra: { limits } };
    await runCommand(page, 'Agent Usage: Refresh');
    const item = statusItem(page);
    await until('the Fable window in the meter', async () => /wk Fable 85%/.test(await item.innerText()));
    assert.match(await item.innerText(), /Claude 50% · 2h 1[45]m, wk Fable 85%/);
    const toasts = page.locator('.notifications-toasts .notification-toast');
    await until('the Fable toast', async () => (await toasts.allInnerTexts()).some((t) => /Claude Weekly · Fable limit at 85%/.test(t)));
    await shot(page, 'toast-scoped.png');
    const tip = await tooltipText(page);
    assert.match(tip, /Weekly · Fable\s+85% server: warning/);
    assert.match(tip, /Weekly\s+20%/);
    await page.keyboard.press('Escape');
    // The same values again (a refresh, another poll): no second toast.
    await runCommand(page, 'Agent Usage: Refresh');
    await page.waitForTimeout(1500);
    const fable = (await notificationTexts(page)).filter((t) => /Weekly · Fable limit/.test(t));
    assert.equal(fable.length, 1, fable.join(' | '));
    assert.equal((await notificationTexts(page)).filter((t) => /Claude (5-hour|Weekly) limit/.test(t)).length, 0, 'the windows below their thresholds stay quiet');
    usage.script = { kind: 'ok', fiveHour: 50, sevenDay: 20 };
    await runCommand(page, 'Agent Usage: Refresh');
    await until('the plain weekly window back', async () => /wk 20%/.test(await item.innerText()));
  });

  it('lists the fixture repositories with their totals in the threads view', async () => {
    const { page } = e2e();
    await runCommand(page, 'Agent Usage: Focus on Threads by Repository View');
    const web = page.locator('.monaco-list-row', { hasText: 'acme/web' }).first();
    await web.waitFor({ timeout: 20_000 });
    assert.match(await web.innerText(), /this workspace · 31K · \$\d+\.\d\d · 2 threads/);
    const api = page.locator('.monaco-list-row', { hasText: 'acme/api' }).first();
    assert.match(await api.innerText(), /5\.0K · \$\d+\.\d\d · 1 thread/);
    await page.locator('.monaco-list-row', { hasText: e2e().fx.expected.claudeTitle.slice(0, 30) }).first().waitFor({ timeout: 10_000 });
    await shot(page, 'threads.png');
  });

  it('opens Show Usage from the command palette and draws every chart with the fixture figures', async () => {
    const { page } = e2e();
    await runCommand(page, 'Agent Usage: Show Usage');
    const f = dashboardFrame(page);
    await f.locator('#limits .card').first().waitFor({ timeout: 30_000 });
    const cards = await f.locator('#limits').innerText();
    assert.match(cards, /Claude · 5-hour\s+50%/);
    assert.match(cards, /Codex · 5-hour\s+12%/);
    assert.match(await f.locator('#summary').innerText(), /Today\s+36K tokens/);
    // Every canvas has drawn pixels.
    for (const id of ['chart-daily', 'chart-burnup', 'chart-heatmap']) {
      const painted = await f.locator(`#${id}`).evaluate((el) => {
        const c = el as unknown as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
        const ctx = c.getContext('2d');
        if (!ctx || c.width === 0 || c.height === 0) return 0;
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n;
      });
      assert.ok(painted > 100, `${id} painted ${painted} pixels`);
    }
    assert.equal(await f.locator('#threads tbody tr').count(), 3);
    assert.ok((await f.locator('#threads canvas.spark').count()) === 3);
    assert.match(await f.locator('#totals tbody').innerText(), /36,000/);
    await page.waitForTimeout(300);
    await page.locator('iframe.webview.ready').first().screenshot({ path: path.join(ARTIFACTS, 'dashboard.png') });
    await shot(page, 'dashboard-workbench.png');
  });

  it('lines appended while the dashboard is open arrive as small patches only, and the figures stay exact', async () => {
    const { page, fx } = e2e();
    const f = dashboardFrame(page);
    await f.locator('#summary').waitFor({ timeout: 30_000 });
    // Record what the webview receives from here on.
    await f.locator('body').evaluate(() => {
      const w = globalThis as unknown as { __au: { type: string; bytes: number }[]; addEventListener(t: string, l: (e: { data: unknown }) => void): void };
      w.__au = [];
      w.addEventListener('message', (e) => w.__au.push({ type: String((e.data as { type?: unknown })?.type), bytes: JSON.stringify(e.data).length }));
    });
    for (let i = 0; i < 3; i++) {
      fs.appendFileSync(fx.claudeSessionFile, extraClaudeLine(fx, `dash-${i}-${Date.now()}`));
      await page.waitForTimeout(400);
    }
    // 36,000 tokens today, and 1,000 per appended line.
    await until('the appended lines on the dashboard', async () => /Today\s+39K tokens/.test(await f.locator('#summary').innerText()));
    await until('the totals table', async () => /39,000/.test(await f.locator('#totals tbody').innerText()));
    const got = await f.locator('body').evaluate(() => (globalThis as unknown as { __au: { type: string; bytes: number }[] }).__au);
    assert.ok(got.length >= 1, 'patches arrived');
    assert.deepEqual([...new Set(got.map((m) => m.type))], ['patch'], JSON.stringify(got));
    for (const m of got) assert.ok(m.bytes < 50_000, `a patch of ${m.bytes} bytes`);
  });

  it('follows the light theme', async () => {
    const { page } = e2e();
    const f = dashboardFrame(page);
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await until('the light webview', async () => (await f.locator('body').getAttribute('class'))?.includes('vscode-light'));
    const bg = await f.locator('body').evaluate((b) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(b).backgroundColor);
    assert.match(bg, /rgb\((2[0-9]{2}), (2[0-9]{2}), (2[0-9]{2})\)/, `light background, got ${bg}`);
    await page.waitForTimeout(300);
    await page.locator('iframe.webview.ready').first().screenshot({ path: path.join(ARTIFACTS, 'dashboard-light.png') });
    await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
    await until('the dark webview', async () => (await f.locator('body').getAttribute('class'))?.includes('vscode-dark'));
  });

  it('compares this month’s API-equivalent cost with the plan set in the settings, per repository too', async () => {
    // The session's settings name the plans (Claude Pro; Codex at a custom $8).
    const f = dashboardFrame(e2e().page);
    const card = f.locator('#plan .card.plan[data-source="claude"]');
    await until('the Claude plan card', async () => (await card.count()) > 0, 20_000);
    const text = await card.innerText();
    assert.match(text, /Claude · Claude Pro \(\$20\.00\/month\)/);
    assert.match(text, /\d+\.\d+× its price/);
    assert.match(text, /API-equivalent this month \(list prices, an estimate\)/);
    assert.match(text, /month-end at this month’s average: \$\d+\.\d\d \(\d+\.\d+×\) \(estimate\)|month-end projection from day 3/);
    assert.match(await f.locator('#plan .card.plan[data-source="codex"]').innerText(), /Codex · custom price \(\$8\.00\/month\)/);
    const first = await f.locator('#plan-repos tbody tr').first().innerText();
    assert.match(first, /^acme\/web\t\$\d+\.\d\d\t\d+%$/);
    await f.locator('#plan').screenshot({ path: path.join(ARTIFACTS, 'plan-value.png') });
  });

  it('shows one toast per threshold crossing (80%, then 90%), once', async () => {
    const { page, usage } = e2e();
    const toasts = page.locator('.notifications-toasts .notification-toast');
    const visible = async (re: RegExp) => (await toasts.allInnerTexts()).some((t) => re.test(t));
    usage.script = { kind: 'ok', fiveHour: 85, sevenDay: 20 };
    await runCommand(page, 'Agent Usage: Refresh');
    await until('the warning toast', () => visible(/Claude 5-hour limit at 85%/));
    await until('the meter at 85%', async () => /Claude 85%/.test(await statusItem(page).innerText()));
    await shot(page, 'toast-warning.png');
    usage.script = { kind: 'ok', fiveHour: 95, sevenDay: 20 };
    await runCommand(page, 'Agent Usage: Refresh');
    await until('the critical toast', () => visible(/Claude 5-hour limit at 95%/));
    await shot(page, 'toast-critical.png');
    // Higher within the same level, then a reload of the window: no new toast.
    usage.script = { kind: 'ok', fiveHour: 97, sevenDay: 20 };
    await runCommand(page, 'Agent Usage: Refresh');
    await until('the meter at 97%', async () => /Claude 97%/.test(await statusItem(page).innerText()));
    await page.waitForTimeout(1000);
    const all = (await notificationTexts(page)).filter((t) => /Claude 5-hour limit at/.test(t));
    assert.equal(all.length, 2, all.join(' | '));
    assert.ok(all.some((t) => /at 85%/.test(t)) && all.some((t) => /at 95%/.test(t)));
  });

  it('says "sign in again" on 401 and keeps the last values', async () => {
    const { page, usage } = e2e();
    usage.script = { kind: 'status', status: 401 };
    const n = usage.requests.length;
    await runCommand(page, 'Agent Usage: Refresh');
    await until('the 401', async () => usage.requests.slice(n).some((r) => r.status === 401));
    await until('the sign-in message', async () => /sign in to Claude Code again/.test(await tooltipText(page)));
    await page.keyboard.press('Escape');
    // The text itself carries the mark, beside the last values; a click explains and offers the fix.
    const item = statusItem(page);
    await until('the 401 mark', async () => (await item.locator('.codicon-warning').count()) > 0);
    assert.match(await item.innerText(), /Claude\s+97%/);
    assert.match(await ariaLabel(item), /Claude limits: sign in again/);
    await page.locator('.part.statusbar').screenshot({ path: path.join(ARTIFACTS, 'status-bar-401.png') });
    await item.click();
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Claude refused the login (401)' });
    await toast.waitFor({ timeout: 15_000 });
    for (const action of ['Open a Terminal to Sign In', 'Show Logs', 'Open Settings']) assert.equal(await toast.locator('.monaco-button', { hasText: action }).count(), 1, action);
  });

  it('honours Retry-After on 429: no request until it has passed, even on Refresh', async () => {
    const { page, usage } = e2e();
    usage.script = { kind: 'status', status: 429, retryAfter: '600' };
    const n = usage.requests.length;
    await runCommand(page, 'Agent Usage: Refresh');
    await until('the 429', async () => usage.requests.slice(n).some((r) => r.status === 429));
    const before = usage.requests.length;
    usage.script = { kind: 'ok', fiveHour: 10, sevenDay: 5 };
    await runCommand(page, 'Agent Usage: Refresh');
    await page.waitForTimeout(1500);
    assert.equal(usage.requests.length, before, 'no request during the back-off');
    await until('the rate-limit message', async () => /rate limited/.test(await tooltipText(page)));
    await page.keyboard.press('Escape');
    const item = statusItem(page);
    await until('the 429 mark', async () => (await item.locator('.codicon-watch').count()) > 0);
    assert.equal(await item.locator('.codicon-warning').count(), 0);
    assert.match(await item.innerText(), /Claude\s+97%/);
    assert.match(await ariaLabel(item), /Claude limits: rate limited/);
    await page.locator('.part.statusbar').screenshot({ path: path.join(ARTIFACTS, 'status-bar-429.png') });
  });

  it('sends the token only to the configured loopback endpoint, with the protocol headers, and nothing leaves loopback', async () => {
    const { usage, fx, external } = e2e();
    assert.ok(usage.requests.length >= 4);
    for (const r of usage.requests) {
      assert.equal(r.authorization, `Bearer ${fx.token}`);
      assert.equal(r.beta, 'oauth-2025-04-20');
      assert.match(r.userAgent ?? '', /^claude-code\//);
      assert.equal(r.path, '/api/oauth/usage');
    }
    assert.deepEqual(external, []);
  });

  it('the token appears in no file VS Code or the extension wrote, and nowhere in the page', async () => {
    const { runDir, fx, page } = e2e();
    const hits: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile() && fs.statSync(p).size < 50 * 1024 * 1024 && fs.readFileSync(p).includes(fx.token)) hits.push(p);
      }
    };
    walk(runDir);
    assert.deepEqual(hits, []);
    assert.ok(fs.readdirSync(runDir, { recursive: true }).some((p) => String(p).endsWith('claude-usage.json')), 'the shared cache was written (and holds no token)');
    assert.ok(!(await page.content()).includes(fx.token));
    assert.ok(!(await dashboardFrame(page).locator('body').innerHTML()).includes(fx.token));
  });
});
