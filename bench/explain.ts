/** Which pitfalls explain a difference: the subset of their token amounts that sums to it (exactly if possible). */
export function explainDifference(diff: number, pitfalls: { name: string; tokens: number }[]): { names: string[]; residual: number } {
  if (diff === 0) return { names: [], residual: 0 };
  const ps = pitfalls.filter((p) => p.tokens !== 0).slice(0, 16);
  let best = { mask: 0, residual: diff };
  for (let mask = 1; mask < 1 << ps.length; mask++) {
    let sum = 0;
    for (let i = 0; i < ps.length; i++) if (mask & (1 << i)) sum += ps[i].tokens;
    const residual = diff - sum;
    if (Math.abs(residual) < Math.abs(best.residual)) best = { mask, residual };
    if (residual === 0) break;
  }
  return { names: ps.filter((_, i) => best.mask & (1 << i)).map((p) => p.name), residual: best.residual };
}
