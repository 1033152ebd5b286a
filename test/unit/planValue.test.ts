import * as assert from 'node:assert/strict';
import { PlanSettings, monthPosition, planValues, repoMonthCosts } from '../../src/core/plan/planValue';
import type { PeriodRow } from '../../src/core/reports/periods';

const row = (claude: number, codex: number) =>
  ({ month: '2026-11', totalCost: claude + codex, sources: { claude: { totalCost: claude }, codex: { totalCost: codex } } }) as unknown as PeriodRow;
const plans = (o: Partial<PlanSettings> = {}): PlanSettings => ({ claude: { plan: 'pro', monthlyPrice: 0 }, codex: { plan: 'plus', monthlyPrice: 0 }, ...o });

describe('plan value', () => {
  it('sets this month’s API-equivalent cost against the plan price, with the month-end at its average', () => {
    const [claude, codex] = planValues({ '2026-11': row(50, 4) }, plans(), '2026-11-10');
    assert.deepEqual(claude, { source: 'claude', label: 'Claude Pro', monthlyPrice: 20, ratio: 2.5, cost: 50, projectedCost: 150, projectedRatio: 7.5 });
    assert.equal(codex.ratio, 0.2);
    assert.equal(codex.projectedCost, 12);
  });

  it('makes no month-end projection from the first two days, and none of a month with no usage yet', () => {
    const [claude] = planValues({ '2026-11': row(50, 4) }, plans(), '2026-11-02');
    assert.equal(claude.projectedCost, undefined);
    assert.equal(claude.ratio, 2.5);
    const [none] = planValues({ '2026-10': row(50, 4) }, plans(), '2026-11-05');
    assert.equal(none.cost, 0);
    assert.equal(none.projectedCost, 0);
  });

  it('knows the plans: Max, Business, a custom price, pay-per-use API, and none', () => {
    const m = { '2026-11': row(300, 60) };
    const v = planValues(m, { claude: { plan: 'max20x', monthlyPrice: 0 }, codex: { plan: 'business', monthlyPrice: 0 } }, '2026-11-15');
    assert.deepEqual(v.map((x) => [x.label, x.monthlyPrice, x.ratio]), [['Claude Max 20x', 200, 1.5], ['ChatGPT Business', 30, 2]]);
    const c = planValues(m, { claude: { plan: 'custom', monthlyPrice: 150 }, codex: { plan: 'api', monthlyPrice: 0 } }, '2026-11-15');
    assert.equal(c[0].ratio, 2);
    assert.equal(c[1].ratio, undefined, 'pay per use: the cost is what is paid');
    assert.equal(c[1].cost, 60);
    assert.equal(planValues(m, { claude: { plan: 'custom', monthlyPrice: 0 }, codex: { plan: 'none', monthlyPrice: 0 } }, '2026-11-15')[0].ratio, undefined, 'no price set');
    assert.equal(planValues(m, { claude: { plan: 'none', monthlyPrice: 0 }, codex: { plan: 'none', monthlyPrice: 0 } }, '2026-11-15').length, 0);
  });

  it('knows each month’s length', () => {
    assert.deepEqual(monthPosition('2028-02-10'), { month: '2028-02', day: 10, days: 29 });
    assert.deepEqual(monthPosition('2026-12-31'), { month: '2026-12', day: 31, days: 31 });
  });

  it('splits this month’s cost by repository, other months left out', () => {
    const r = repoMonthCosts(
      {
        a: { repo: 'acme/web', repoKey: 'a', days: {}, cost: { '2026-10-31': 100, '2026-11-01': 3, '2026-11-09': 3 } },
        b: { repo: 'acme/api', repoKey: 'b', days: {}, cost: { '2026-11-02': 2 } },
        c: { repo: 'old', repoKey: 'c', days: {}, cost: { '2026-10-02': 2 } },
      },
      '2026-11-10',
    );
    assert.deepEqual(r, [
      { repo: 'acme/web', cost: 6, share: 0.75 },
      { repo: 'acme/api', cost: 2, share: 0.25 },
    ]);
  });
});
