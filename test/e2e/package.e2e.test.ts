import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { CODE_SERVER_VERSIONS, ARTIFACTS, vscodeVersionOf } from '../harness/paths';
import { PACKAGE_FILES, checkPackage, vsceList } from '../harness/packageChecks';
import { E2E, VSIX, extensionLog, openSession, runCommand, shot, statusItem, until } from './session';


// The oldest VS Code the manifest accepts (Cursor and Windsurf run 1.99.3).
const OLDEST = CODE_SERVER_VERSIONS[0];

describe('the package, as a user installs it', function () {
  this.timeout(120_000);

  it('passes vsce ls and the Open VSX checks', async () => {
    assert.deepEqual(vsceList(), PACKAGE_FILES);
    assert.deepEqual(await checkPackage(VSIX), []);
  });

  describe(`installed into code-server ${OLDEST} (VS Code ${vscodeVersionOf(OLDEST)})`, () => {
    let s: E2E | undefined;
    before(async function () {
      this.timeout(240_000);
      // The DOM renderer, so the terminal's text can be read.
      s = await openSession({ version: OLDEST, settings: { 'terminal.integrated.gpuAcceleration': 'off' } });
      // Activated: its commands are in the palette from here on.
      await statusItem(s.page).waitFor({ timeout: 60_000 });
    });
    after(async function () {
      this.timeout(60_000);
      await s?.close();
    });

    it('activates on that VS Code and shows the meter from the endpoint and the logs', async () => {
      const { page, runDir } = s!;
      const item = statusItem(page);
      await until('the meter', async () => /Claude 50%/.test(await item.innerText()) && /Codex 12%/.test(await item.innerText()), 60_000);
      assert.match(extensionLog(runDir), new RegExp(`activated in \\d+ ms \\(.+ ${vscodeVersionOf(OLDEST).replace(/\./g, '\\.')}`));
    });

    it('shows its own activity-bar icon and the threads of the fixture', async () => {
      const { page } = s!;
      const entry = page.locator('.activitybar .action-item a[aria-label^="Agent Usage"]').first();
      await entry.waitFor({ timeout: 20_000 });
      // A contributed SVG is drawn as a CSS mask, not a codicon.
      const mask = await entry.evaluate((el) => {
        const css = (globalThis as unknown as { getComputedStyle(e: unknown): { maskImage: string; webkitMaskImage: string } }).getComputedStyle(el);
        return css.webkitMaskImage || css.maskImage;
      });
      assert.match(mask, /activity-bar\.svg/);
      await entry.click();
      const tree = page.locator('.pane-body .monaco-list-row');
      await until('the threads view', async () => (await tree.allInnerTexts()).some((t) => /this workspace/.test(t)));
      await shot(page, `threads-${OLDEST}.png`);
    });

    it('offers its walkthrough, whose steps run its commands', async () => {
      const { page } = s!;
      await runCommand(page, 'Welcome: Open Walkthrough...');
      const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get Started with Agent Usage' });
      await pick.first().waitFor({ timeout: 15_000 });
      await pick.first().click();
      const steps = page.locator('.getting-started-step');
      await until('the walkthrough steps', async () => (await steps.allInnerTexts()).join('\n').includes('Where the numbers come from'));
      const all = (await steps.allInnerTexts()).join('\n');
      for (const title of ['Where the numbers come from', 'Choose when you are warned', 'See which repository burned them', 'The same figures in a terminal']) assert.ok(all.includes(title), title);
      // The step's markdown is drawn beside it (a webview of VS Code's own).
      const media = page.frameLocator('.getting-started-media iframe.webview.ready').frameLocator('#active-frame');
      await until('the step media', async () => /counted from the logs the agents write/.test(await media.locator('body').innerText()));
      await page.screenshot({ path: path.join(ARTIFACTS, 'walkthrough.png') });
      // Its button runs the command, which completes the step.
      const step = page.locator('.getting-started-step.expanded');
      const button = step.locator('.monaco-button', { hasText: 'Show Usage' }).first();
      // The dashboard's own tab, labelled exactly "Agent Usage" (the walkthrough's tab also names the extension).
      const dashboardTab = page.locator('.tab .label-name', { hasText: /^Agent Usage$/ });
      await button.click();
      await until('the dashboard opened by the step\'s button', async () => (await dashboardTab.count()) > 0, 20_000);
      await page.locator('.tab', { hasText: 'Walkthrough' }).first().click();
      await until('the step checked', async () => (await page.locator('[data-done-step-id$="#dataSources"]').getAttribute('aria-checked')) === 'true');
    });

    it('runs the bundled CLI in a terminal with the editor\'s own Node', async () => {
      const { page } = s!;
      await runCommand(page, 'Agent Usage: Run the CLI in a Terminal');
      const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'tokens and cost per day' });
      await pick.first().waitFor({ timeout: 15_000 });
      await pick.first().click();
      const rows = page.locator('.terminal-wrapper.active .xterm-rows');
      const text = await until('the daily report in the terminal', async () => {
        const t = await rows.innerText();
        return /Total Tokens/.test(t) && /^Total\s/m.test(t) && t;
      });
      // The fixture's figures (the tooltip's "Today: 36K tokens"), read from the HOME the editor runs with.
      assert.match(text, /^Total\s+8,500\s+6,500\s+4,000\s+17,000\s+36,000\s+\$0\.14/m);
      await page.screenshot({ path: path.join(ARTIFACTS, 'cli-terminal.png') });
    });
  });
});
