/** Number formatting shared by the CLI and the extension's views. */

export function formatInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 1234 -> 1.2K, 5_300_000 -> 5.3M. */
export function formatTokensShort(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(a >= 1e10 ? 0 : 1)}B`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(a >= 1e4 ? 0 : 1)}K`;
  return String(Math.round(n));
}

export function formatCost(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

/** 8100 s -> "2h 15m"; under a minute -> "<1m". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return '<1m';
  const totalMin = Math.floor(ms / 60_000);
  const d = Math.floor(totalMin / 1440);
  const h = Math.floor((totalMin % 1440) / 60);
  const m = totalMin % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return `${m}m`;
}

/** Display names of the sources every view uses. */
export const SOURCE_NAME = { claude: 'Claude', codex: 'Codex' } as const;
