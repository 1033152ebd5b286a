import type { Source } from '../discovery';
import type { PeriodRow } from '../reports/periods';
import type { RepoDaily } from '../view/model';

/**
 * Plan value: this month's API-equivalent cost (the logs' tokens at list prices) against what the
 * plan costs. Pure: the dashboard webview bundles it.
 */
export type ClaudePlan = 'none' | 'pro' | 'max5x' | 'max20x' | 'api' | 'custom';
export type CodexPlan = 'none' | 'plus' | 'pro' | 'business' | 'api' | 'custom';

export interface PlanSettings {
  claude: { plan: ClaudePlan; monthlyPrice: number };
  codex: { plan: CodexPlan; monthlyPrice: number };
}

/** Monthly list prices in USD (monthly billing, one seat), as the providers publish them. */
export const PLAN_PRICES: Record<Source, Record<string, { label: string; price?: number }>> = {
  claude: { pro: { label: 'Claude Pro', price: 20 }, max5x: { label: 'Claude Max 5x', price: 100 }, max20x: { label: 'Claude Max 20x', price: 200 }, api: { label: 'Anthropic API' }, custom: { label: 'custom price' } },
  codex: { plus: { label: 'ChatGPT Plus', price: 20 }, pro: { label: 'ChatGPT Pro', price: 200 }, business: { label: 'ChatGPT Business', price: 30 }, api: { label: 'OpenAI API' }, custom: { label: 'custom price' } },
};

/** A month-end projection needs this many days of the month behind it. */
export const MIN_DAYS_FOR_PROJECTION = 3;

export interface PlanValue {
  source: Source;
  label: string;
  /** Undefined for API use: the cost is what is paid. */
  monthlyPrice?: number;
  /** API-equivalent cost of this month so far (an estimate at list prices). */
  cost: number;
  /** cost / price. */
  ratio?: number;
  /** This month's cost at its average daily rate so far, at the month's end (an estimate). */
  projectedCost?: number;
  projectedRatio?: number;
}

/** `YYYY-MM` and the local calendar day of `now` (1-based), and the month's length. */
export function monthPosition(today: string): { month: string; day: number; days: number } {
  const [y, m, d] = today.split('-').map(Number);
  return { month: today.slice(0, 7), day: d, days: new Date(Date.UTC(y, m, 0)).getUTCDate() };
}

export function planValues(monthly: Record<string, PeriodRow>, plans: PlanSettings, today: string): PlanValue[] {
  const pos = monthPosition(today);
  const row = monthly[pos.month];
  const out: PlanValue[] = [];
  for (const source of ['claude', 'codex'] as const) {
    const s = plans[source];
    if (s.plan === 'none') continue;
    const known = PLAN_PRICES[source][s.plan];
    const price = s.plan === 'custom' ? (s.monthlyPrice > 0 ? s.monthlyPrice : undefined) : known?.price;
    const cost = row?.sources[source]?.totalCost ?? 0;
    const projectedCost = pos.day >= MIN_DAYS_FOR_PROJECTION ? (cost / pos.day) * pos.days : undefined;
    out.push({
      source,
      label: known?.label ?? s.plan,
      ...(price !== undefined ? { monthlyPrice: price, ratio: cost / price } : {}),
      cost,
      ...(projectedCost !== undefined ? { projectedCost, ...(price !== undefined ? { projectedRatio: projectedCost / price } : {}) } : {}),
    });
  }
  return out;
}

/** This month's API-equivalent cost per repository (both sources), highest first. */
export function repoMonthCosts(repoDaily: Record<string, RepoDaily>, today: string): { repo: string; cost: number; share: number }[] {
  const month = today.slice(0, 7);
  const rows = Object.values(repoDaily).map((r) => ({ repo: r.repo, cost: Object.entries(r.cost ?? {}).reduce((n, [d, c]) => (d.startsWith(month) ? n + c : n), 0) }));
  const total = rows.reduce((n, r) => n + r.cost, 0);
  return rows
    .filter((r) => r.cost > 0)
    .sort((a, b) => b.cost - a.cost)
    .map((r) => ({ ...r, share: total > 0 ? r.cost / total : 0 }));
}
