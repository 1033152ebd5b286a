import { SOURCE_NAME, formatCost } from '../../src/core/format';
import { planValues, repoMonthCosts, MIN_DAYS_FOR_PROJECTION } from '../../src/core/plan/planValue';
import { ZonedCalendar } from '../../src/core/time';
import type { DashboardData } from '../../src/shared/protocol';
import { el } from './dom';

const ratio = (x: number) => `${x < 0.1 ? x.toFixed(2) : x.toFixed(1)}×`;

/**
 * Plan value: this month's API-equivalent cost of the logs against the plan's price, the month-end
 * at this month's average, and per repository. Returns the rows drawn.
 */
export function renderPlan(box: HTMLElement, d: DashboardData, source: 'all' | 'claude' | 'codex'): number {
  box.replaceChildren(el('h2', {}, 'Plan value'));
  const today = new ZonedCalendar(d.timezone).day(d.at);
  const values = planValues(d.monthly, d.plans, today).filter((v) => source === 'all' || v.source === source);
  if (!values.length) {
    box.append(el('p', { class: 'muted' }, 'Set agentUsage.plan.claude and agentUsage.plan.codex in the settings to compare this month’s API-equivalent cost with what your plan costs.'));
    return 0;
  }
  const cards = el('div', { class: 'cards' });
  for (const v of values) {
    const c = el('div', { class: 'card plan', 'data-source': v.source });
    c.append(el('div', { class: 'label' }, `${SOURCE_NAME[v.source]} · ${v.label}${v.monthlyPrice !== undefined ? ` (${formatCost(v.monthlyPrice)}/month)` : ''}`));
    c.append(el('div', { class: 'value' }, v.ratio !== undefined ? `${ratio(v.ratio)} its price` : `${formatCost(v.cost)} this month`));
    c.append(el('div', { class: 'muted' }, `${formatCost(v.cost)} API-equivalent this month (list prices, an estimate)${v.monthlyPrice === undefined ? '; pay per use: this is what you pay' : ''}`));
    const end =
      v.projectedCost === undefined
        ? `month-end projection from day ${MIN_DAYS_FOR_PROJECTION} of the month`
        : `month-end at this month’s average: ${formatCost(v.projectedCost)}${v.projectedRatio !== undefined ? ` (${ratio(v.projectedRatio)})` : ''} (estimate)`;
    c.append(el('div', { class: 'muted' }, end));
    cards.append(c);
  }
  box.append(cards);
  const repos = repoMonthCosts(d.repoDaily, today);
  const table = el('table', { class: 'grid', id: 'plan-repos' });
  const head = el('tr');
  for (const h of ['Repository', 'This month (API-equivalent)', 'Share']) head.append(el('th', h === 'Repository' ? {} : { class: 'num' }, h));
  table.append(el('thead'), el('tbody'));
  table.querySelector('thead')!.append(head);
  for (const r of repos.slice(0, 10)) {
    const tr = el('tr');
    tr.append(el('td', {}, r.repo), el('td', { class: 'num' }, formatCost(r.cost)), el('td', { class: 'num' }, `${Math.round(r.share * 100)}%`));
    table.querySelector('tbody')!.append(tr);
  }
  box.append(table);
  return values.length + repos.length;
}
