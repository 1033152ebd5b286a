import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { AlertLedger, AlertWindow, alertFor, levelOf, periodKey } from '../../src/core/alerts/thresholds';
import { tmpDir } from './helpers';

const t = { warning: 80, critical: 90 };
const w = (percent: number, resetsAt = 1_800_000_000_000): AlertWindow => ({ source: 'claude', name: 'fiveHour', label: '5-hour', percent, resetsAt });

describe('threshold alerts', () => {
  it('levels at and above the thresholds, 0% and over 100% included', () => {
    assert.equal(levelOf(0, t), 'ok');
    assert.equal(levelOf(79.9, t), 'ok');
    assert.equal(levelOf(80, t), 'warning');
    assert.equal(levelOf(90, t), 'critical');
    assert.equal(levelOf(100, t), 'critical');
    assert.equal(levelOf(130, t), 'critical');
  });

  it('one toast per crossing: warning, then critical, then nothing more in the period', async () => {
    const ledger = new AlertLedger(path.join(tmpDir(), 'alerts'));
    const seen: (string | undefined)[] = [];
    for (const p of [50, 81, 85, 91, 99, 85, 95]) seen.push(await alertFor(w(p), t, ledger));
    assert.deepEqual(seen, [undefined, 'warning', undefined, 'critical', undefined, undefined, undefined]);
  });

  it('a jump past both thresholds shows one toast', async () => {
    const ledger = new AlertLedger(path.join(tmpDir(), 'alerts'));
    assert.equal(await alertFor(w(96), t, ledger), 'critical');
    assert.equal(await alertFor(w(85), t, ledger), undefined);
  });

  it('arms again after the window resets', async () => {
    const ledger = new AlertLedger(path.join(tmpDir(), 'alerts'));
    assert.equal(await alertFor(w(85, 1_800_000_000_000), t, ledger), 'warning');
    assert.equal(await alertFor(w(85, 1_800_000_000_000 + 20_000), t, ledger), undefined, 'reset time jitter is the same period');
    assert.equal(await alertFor(w(85, 1_800_000_000_000 + 5 * 3600_000), t, ledger), 'warning');
  });

  it('five windows sharing the ledger show it once', async () => {
    const dir = path.join(tmpDir(), 'alerts');
    const results = await Promise.all(Array.from({ length: 5 }, () => alertFor(w(92), t, new AlertLedger(dir))));
    assert.equal(results.filter((r) => r === 'critical').length, 1);
  });

  it('"Don\'t show again for this window" silences the rest of the period', async () => {
    const ledger = new AlertLedger(path.join(tmpDir(), 'alerts'));
    assert.equal(await alertFor(w(82), t, ledger), 'warning');
    await ledger.suppress(periodKey(w(82)));
    assert.equal(await alertFor(w(95), t, ledger), undefined);
    assert.equal(await ledger.claim(periodKey(w(95)), 'projection'), false);
  });
});
