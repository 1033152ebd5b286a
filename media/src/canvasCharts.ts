/** Small charts chart.js has no type for: a day x repository heatmap and sparklines, drawn on canvas. */

export interface Theme {
  fg: string;
  muted: string;
  grid: string;
  accent: string;
  palette: string[];
  font: string;
}

function setupCanvas(c: HTMLCanvasElement, cssW: number, cssH: number): CanvasRenderingContext2D {
  const dpr = window.devicePixelRatio || 1;
  c.width = Math.round(cssW * dpr);
  c.height = Math.round(cssH * dpr);
  c.style.width = `${cssW}px`;
  c.style.height = `${cssH}px`;
  const ctx = c.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** Cells shaded by tokens (log scale): one row per repository, one column per day. Returns cells drawn with data. */
export function drawHeatmap(c: HTMLCanvasElement, rows: { label: string; values: number[] }[], days: string[], t: Theme): number {
  const labelW = 140;
  const cell = Math.max(6, Math.min(18, Math.floor((c.parentElement!.clientWidth - labelW - 10) / Math.max(1, days.length))));
  const h = 24 + rows.length * (cell + 2);
  const ctx = setupCanvas(c, labelW + days.length * cell + 10, Math.max(40, h));
  ctx.font = `11px ${t.font}`;
  ctx.textBaseline = 'middle';
  const max = Math.max(1, ...rows.flatMap((r) => r.values));
  let drawn = 0;
  rows.forEach((r, y) => {
    const top = 20 + y * (cell + 2);
    ctx.fillStyle = t.fg;
    ctx.fillText(r.label.length > 20 ? `${r.label.slice(0, 19)}…` : r.label, 0, top + cell / 2);
    r.values.forEach((v, x) => {
      const left = labelW + x * cell;
      ctx.globalAlpha = v > 0 ? 0.15 + 0.85 * (Math.log1p(v) / Math.log1p(max)) : 1;
      ctx.fillStyle = v > 0 ? t.accent : t.grid;
      ctx.fillRect(left, top, cell - 2, cell);
      if (v > 0) drawn++;
    });
    ctx.globalAlpha = 1;
  });
  ctx.fillStyle = t.muted;
  if (days.length) {
    ctx.fillText(days[0], labelW, 8);
    const last = days[days.length - 1];
    ctx.fillText(last, Math.max(labelW + 70, labelW + days.length * cell - ctx.measureText(last).width), 8);
  }
  return drawn;
}

export function drawSparkline(c: HTMLCanvasElement, values: number[], t: Theme): number {
  const w = 120;
  const h = 24;
  const ctx = setupCanvas(c, w, h);
  const max = Math.max(1, ...values);
  const barW = w / Math.max(1, values.length);
  ctx.fillStyle = t.accent;
  values.forEach((v, i) => {
    const bh = Math.max(1, (v / max) * (h - 2));
    ctx.fillRect(i * barW + 1, h - bh, Math.max(1, barW - 2), bh);
  });
  return values.length;
}
