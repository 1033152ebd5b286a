import * as assert from 'node:assert/strict';
import { publicState } from '../../src/core/present/publicState';
import { LimitEntry, UsageSnapshot } from '../../src/core/snapshot';
import { windowId } from '../../src/core/limits/windows';
import { emptyView } from './helpers';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const t = { claude: { warning: 80, critical: 90 }, codex: { warning: 80, critical: 90 } };
const lim = (source: 'claude' | 'codex', base: string, percent: number, o: Partial<LimitEntry> = {}): LimitEntry => ({ source, ...windowId(base), percent, resetsAt: NOW + 3600_000, observedAt: NOW, stale: false, hasReset: false, ...o });
const snap = (limits: LimitEntry[]): UsageSnapshot => ({ ...emptyView(NOW), limits, claude: { state: 'ok' } });

describe('the exported state (API version 1) and the level context keys', () => {
  it('gives each source its worst level as the meter colours it; reset and quiet windows do not raise it', () => {
    assert.deepEqual(publicState(snap([lim('claude', 'fiveHour', 85), lim('codex', 'weekly', 92, { hasReset: true })]), t).level, { claude: 'warning', codex: 'ok' });
    assert.deepEqual(publicState(snap([lim('claude', 'weekly', 95, { stale: true })]), t).level, { claude: 'critical', codex: 'ok' }, 'a stale value is still the last known');
    assert.deepEqual(publicState(snap([lim('codex', 'fiveHour', 10, { reached: 'primary' })]), t).level, { claude: 'ok', codex: 'critical' });
    const p = publicState(snap([lim('claude', 'fiveHour', 50), lim('claude', 'weekly', 99, { quiet: true })]), t);
    assert.deepEqual(p.limits.map((l) => [l.name, l.origin, l.level]), [['fiveHour', 'official', 'ok']]);
    assert.equal(p.apiVersion, 1);
  });
});
