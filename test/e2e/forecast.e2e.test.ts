import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARTIFACTS } from '../harness/paths';
import { E2E, globalStorageOf, notificationTexts, openSession, runCommand, shot, statusItem, tooltipText, until } from './session';

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * Forecasts in the real host, with projection toasts on. The percent history a user's earlier polls
 * would have left is in global storage before VS Code starts; the loopback endpoint goes on from there.
 */
describe('forecasts from the official percentages, in VS Code', function () {
  this.timeout(180_000);
  let s: E2E | undefined;
  const t0 = Date.now();
  // The fake endpoint's reset times: the 5-hour window in 2h 15m, the weekly one in 4 days.
  const fiveHourReset = t0 + 2 * HOUR + 15 * MIN;
  const weeklyReset = t0 + 4 * 24 * HOUR;

  before(async () => {
    s = await openSession({
      // The fixture's last Claude request is 15 minutes old: idle at 10 minutes.
      settings: { 'agentUsage.notifications.projection': true, 'agentUsage.forecast.idleMinutes': 10 },
      script: { kind: 'ok', fiveHour: 70, sevenDay: 75 },
      seed: (storage) => {
        // 5-hour: 10% to 70% at 60 points an hour, then nothing for 30 minutes (the old rate would fill it in 30 min).
        const fiveHour: [number, number][] = [];
        for (let k = 0; k <= 12; k++) fiveHour.push([t0 - 90 * MIN + k * 5 * MIN, 10 + 5 * k]);
        // Weekly: a steady climb from 20% a day ago to 74% two minutes ago, polled every half hour.
        const weekly: [number, number][] = [];
        for (let k = 0; k <= 48; k++) weekly.push([t0 - 24 * HOUR + k * 30 * MIN - (k === 48 ? 2 * MIN : 0), Math.round(20 + (54 * k) / 48)]);
        const windows = { 'claude:fiveHour': { resetsAt: fiveHourReset, obs: fiveHour }, 'claude:weekly': { resetsAt: weeklyReset, obs: weekly } };
        fs.writeFileSync(path.join(storage, 'percent-history.json'), JSON.stringify({ version: 1, windows }));
      },
    });
  });
  after(async () => {
    await s?.close();
  });

  it('after an idle period no projection toast appears; a steady climb gives exactly one, once per cycle', async () => {
    const { page, usage } = s!;
    await until('the meter', async () => /Claude 70%/.test(await statusItem(page).innerText()), 90_000);
    const toasts = page.locator('.notifications-toasts .notification-toast');
    await until('the weekly projection toast', async () => (await toasts.allInnerTexts()).some((t) => /Claude's Weekly limit fills in about/.test(t)));
    await shot(page, 'toast-projection.png');
    const tip = await tooltipText(page);
    await page.locator('.monaco-hover').last().screenshot({ path: path.join(ARTIFACTS, 'tooltip-forecast.png') });
    assert.match(tip, /Claude 5-hour: no forecast while idle/);
    assert.match(tip, /Claude Weekly: full in .* before the reset \(estimate\)/);
    assert.match(tip, /Claude\tWeekly\t75%\t\d+ pts ahead of pace\t/); // the hover's table, as text
    await page.keyboard.press('Escape');
    // The climb goes on: the forecast stays, the toast does not come again.
    usage.script = { kind: 'ok', fiveHour: 70, sevenDay: 76 };
    const n = usage.requests.length;
    await runCommand(page, 'Agent Usage: Refresh');
    await until('the next poll', async () => usage.requests.length > n);
    await until('the meter at 76%', async () => /wk 76%/.test(await statusItem(page).innerText()));
    await page.waitForTimeout(1500);
    const all = await notificationTexts(page);
    assert.equal(all.filter((t) => /limit fills in about/.test(t)).length, 1, all.join(' | '));
    assert.equal(all.filter((t) => /5-hour limit fills/.test(t)).length, 0, 'no toast from the idle 5-hour window');
  });

  it('keeps the history where every window shares it', async () => {
    const file = path.join(globalStorageOf(s!.runDir), 'percent-history.json');
    await until('the history written', async () => {
      const h = JSON.parse(fs.readFileSync(file, 'utf8')) as { windows: Record<string, { obs: [number, number][] }> };
      return h.windows['claude:weekly'].obs.at(-1)?.[1] === 76;
    });
  });
});
