import { BarController, BarElement, CategoryScale, Chart, ChartConfiguration, Filler, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';
import { DashboardData, DashboardUiState, HostToWebview, HostToWebviewSchema, WebviewToHost } from '../../src/shared/protocol';
import { applyPatch, rowsInOrder } from '../../src/core/view/model';
import { SOURCE_NAME, formatCost, formatDuration, formatInt, formatTokensShort } from '../../src/core/format';
import { Theme, drawHeatmap, drawSparkline } from './canvasCharts';
import { el } from './dom';
import { renderPlan } from './planSection';
import { windowLevel } from '../../src/core/alerts/levels';
import { forecastText, paceText } from '../../src/core/present/pace';
import { BURN_MINUTES, burnRateAt } from '../../src/core/view/burnRate';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip, Filler);

declare function acquireVsCodeApi(): { postMessage(m: WebviewToHost): void; getState(): DashboardUiState | undefined; setState(s: DashboardUiState): void };
const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let ui: DashboardUiState = { range: '30d', source: 'all', table: 'daily', ...(vscode.getState() ?? {}) };
let data: DashboardData | undefined;
const charts: Record<string, { destroy(): void }> = {};

function css(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function theme(): Theme {
  return {
    fg: css('--vscode-foreground', '#ccc'),
    muted: css('--vscode-descriptionForeground', '#999'),
    grid: css('--vscode-editorWidget-border', '#8884'),
    accent: css('--vscode-charts-blue', '#3794ff'),
    palette: ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'].map((v, i) => css(v, ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'][i])),
    font: css('--vscode-font-family', 'sans-serif'),
  };
}

const RANGE_DAYS = { '7d': 7, '30d': 30, '90d': 90, all: Infinity } as const;
const NAME = SOURCE_NAME;

function isCodexModel(m: string): boolean {
  return !m.startsWith('claude');
}

function sinceDate(now: number): string {
  const d = RANGE_DAYS[ui.range];
  return d === Infinity ? '' : new Date(now - (d - 1) * 86_400_000).toISOString().slice(0, 10);
}

function renderLimits(d: DashboardData): void {
  const box = $('limits');
  box.replaceChildren();
  const limits = d.limits.filter((l) => ui.source === 'all' || l.source === ui.source);
  if (!limits.length) box.append(el('div', { class: 'card muted' }, d.claude.state === 'ok' || d.claude.state === 'disabled' ? 'No limit data yet.' : `Claude limits: ${d.claude.message ?? d.claude.state}`));
  for (const l of limits) {
    const level = windowLevel(l, d.thresholds[l.source]);
    const card = el('div', { class: `card limit ${level === 'ok' ? '' : level}`, 'data-source': l.source, 'data-window': l.name });
    card.append(el('div', { class: 'label' }, `${NAME[l.source]} · ${l.label}`));
    card.append(el('div', { class: 'big' }, l.hasReset ? '0%' : l.reached ? 'limit reached' : `${Math.round(l.percent)}%`));
    const bar = el('div', { class: 'bar', role: 'progressbar', 'aria-valuenow': String(Math.round(l.percent)), 'aria-valuemin': '0', 'aria-valuemax': '100' });
    const fill = el('div', { class: 'fill' });
    fill.style.width = `${Math.min(100, l.percent)}%`;
    bar.append(fill);
    card.append(bar);
    const reset = l.hasReset ? 'reset since last seen' : l.resetsAt ? `resets in ${formatDuration(l.resetsAt - Date.now())}` : 'reset time unknown';
    const notes = [l.source === 'claude' ? 'official' : 'from Codex logs', l.severity && l.severity !== 'normal' ? `server: ${l.severity}` : '', l.quiet ? 'inactive' : '', l.stale ? 'stale' : ''].filter(Boolean);
    card.append(el('div', { class: 'muted' }, `${reset} · ${notes.join(' · ')}`));
    if (l.pace && !l.hasReset) card.append(el('div', { class: `pace ${l.pace.status}` }, `${paceText(l.pace)} (${Math.round(l.pace.elapsedPercent)}% of the window gone)`));
    const f = l.hasReset || l.quiet ? undefined : forecastText(l, Date.now());
    if (f) card.append(el('div', { class: l.forecast ? 'forecast' : 'forecast muted' }, f));
    box.append(card);
  }
  const s = $('summary');
  s.replaceChildren();
  const pick = (t: { tokens: number; cost: number }) => `${formatTokensShort(t.tokens)} tokens · ${formatCost(t.cost)}`;
  const today = ui.source === 'all' ? d.today.all : d.today[ui.source];
  for (const [label, value] of [
    ['Today', pick(today)],
    ['Today, this workspace', pick(d.todayWorkspace)],
    ['This week', pick(d.week)],
    ['This week, this workspace', pick(d.weekWorkspace)],
  ]) {
    const c = el('div', { class: 'card' });
    c.append(el('div', { class: 'label' }, label), el('div', { class: 'value' }, value));
    s.append(c);
  }
  const now = Date.now();
  for (const b of d.burnRates.filter((x) => ui.source === 'all' || x.source === ui.source)) {
    const r = burnRateAt(b, now);
    const c = el('div', { class: 'card burn', 'data-source': b.source });
    c.append(el('div', { class: 'label' }, `${NAME[b.source]} burn rate, last ${BURN_MINUTES} min`), el('div', { class: 'value' }, `${formatTokensShort(r.tokensPerMinute)} tokens/min · ${formatCost(r.costPerHour)}/h`));
    c.append(el('div', { class: 'muted' }, r.tokensPerMinute > 0 ? 'tokens from the logs; cost estimated from list prices' : 'no tokens in the last 30 minutes'));
    s.append(c);
  }
}

function chart<T extends 'bar' | 'line'>(id: string, config: ChartConfiguration<T>): void {
  charts[id]?.destroy();
  charts[id] = new Chart($<HTMLCanvasElement>(id), config);
}

function renderDaily(d: DashboardData, t: Theme): number {
  const since = sinceDate(d.at);
  const rows = rowsInOrder(d.daily).filter((r) => (r.date as string) >= since);
  const models = [...new Set(rows.flatMap((r) => r.modelBreakdowns.map((m) => m.modelName)))].filter((m) => ui.source === 'all' || (ui.source === 'codex') === isCodexModel(m));
  const labels = rows.map((r) => r.date as string);
  const datasets = models.map((m, i) => ({
    label: m,
    data: rows.map((r) => {
      const b = r.modelBreakdowns.find((x) => x.modelName === m);
      return b ? b.inputTokens + b.outputTokens + b.cacheCreationTokens + b.cacheReadTokens : 0;
    }),
    backgroundColor: t.palette[i % t.palette.length],
    stack: 'tokens',
  }));
  chart<'bar'>('chart-daily', {
    type: 'bar',
    data: { labels, datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { x: { stacked: true, ticks: { color: t.muted }, grid: { color: t.grid } }, y: { stacked: true, ticks: { color: t.muted, callback: (v) => formatTokensShort(Number(v)) }, grid: { color: t.grid } } },
      plugins: { legend: { labels: { color: t.fg, boxWidth: 12 } }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${formatInt(Number(c.raw))}` } } },
    },
  });
  return datasets.reduce((n, ds) => n + ds.data.filter((v) => v > 0).length, 0);
}

function renderBurnUp(d: DashboardData, t: Theme): number {
  const series = d.burnUp.filter((b) => ui.source === 'all' || b.source === ui.source);
  const datasets: { label: string; data: { x: number; y: number }[]; borderColor: string; backgroundColor: string; borderDash?: number[]; pointRadius: number; fill?: boolean }[] = [];
  series.forEach((b, i) => {
    const total = b.points[b.points.length - 1]?.[1] ?? 0;
    const pctNow = b.percentNow ?? 0;
    const toPct = (cum: number) => (total > 0 ? (cum / total) * pctNow : 0);
    const color = t.palette[i % t.palette.length];
    const span = b.end - b.start;
    const x = (ms: number) => ((ms - b.start) / span) * 100;
    const name = `${NAME[b.source]} ${b.label}`;
    datasets.push({ label: name, data: b.points.map(([ms, cum]) => ({ x: x(ms), y: toPct(cum) })), borderColor: color, backgroundColor: color, pointRadius: 0 });
    // The forecast line: the official percentage's own recent slope (never tokens turned into percent).
    const f = d.limits.find((l) => l.source === b.source && l.name === b.window)?.forecast;
    if (f && pctNow > 0) {
      const end = Math.min(100 + 20, pctNow + (f.pointsPerHour * (b.end - d.at)) / 3600_000);
      datasets.push({ label: `${name} forecast (estimate)`, data: [{ x: x(d.at), y: pctNow }, { x: 100, y: end }], borderColor: color, backgroundColor: color, borderDash: [6, 4], pointRadius: 0 });
    }
  });
  datasets.push({ label: '100%', data: [{ x: 0, y: 100 }, { x: 100, y: 100 }], borderColor: css('--vscode-charts-red', '#f14c4c'), backgroundColor: 'transparent', borderDash: [2, 2], pointRadius: 0 });
  chart<'line'>('chart-burnup', {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      scales: {
        x: { type: 'linear', min: 0, max: 100, title: { display: true, text: '% of the window elapsed', color: t.muted }, ticks: { color: t.muted }, grid: { color: t.grid } },
        y: { min: 0, suggestedMax: 100, ticks: { color: t.muted, callback: (v) => `${v}%` }, grid: { color: t.grid } },
      },
      plugins: { legend: { labels: { color: t.fg, boxWidth: 12 } } },
    },
  });
  return series.reduce((n, b) => n + b.points.length, 0);
}

function renderHeatmap(d: DashboardData, t: Theme): number {
  const since = sinceDate(d.at);
  const days = Object.keys(d.daily)
    .sort()
    .filter((x) => x >= since);
  const rows = Object.values(d.repoDaily)
    .filter((r) => ui.source === 'all' || d.repos[r.repoKey]?.sources.includes(ui.source))
    .map((r) => ({ label: r.repo, values: days.map((day) => r.days[day] ?? 0) }))
    .filter((r) => r.values.some((v) => v > 0))
    .sort((a, b) => b.values.reduce((x, y) => x + y, 0) - a.values.reduce((x, y) => x + y, 0))
    .slice(0, 15);
  return drawHeatmap($<HTMLCanvasElement>('chart-heatmap'), rows, days, t);
}

function renderThreads(d: DashboardData, t: Theme): number {
  // The host sends the top threads per range and source (keys), and those threads only.
  const top = (d.topThreads[ui.range]?.[ui.source] ?? []).flatMap((k) => (d.threads[k] ? [{ th: d.threads[k], repo: d.threads[k].repo }] : []));
  const body = $('threads').querySelector('tbody')!;
  body.replaceChildren();
  let drawn = 0;
  for (const { th, repo } of top) {
    const tr = el('tr');
    tr.append(el('td', { title: th.sessionId }, (th.title ?? th.sessionId.slice(0, 8)) + (th.logDeleted ? ' (from the index)' : '')), el('td', {}, repo), el('td', {}, NAME[th.source]), el('td', { class: 'num' }, formatInt(th.totalTokens)), el('td', { class: 'num' }, formatCost(th.totalCost)));
    const cell = el('td');
    const c = document.createElement('canvas');
    c.className = 'spark';
    c.setAttribute('role', 'img');
    c.setAttribute('aria-label', `Tokens per day of ${th.title ?? th.sessionId}`);
    cell.append(c);
    tr.append(cell);
    body.append(tr);
    drawn += drawSparkline(c, th.spark, t);
  }
  if (!top.length) body.append(el('tr', {}, 'No threads in this range.'));
  return drawn;
}

function renderTotals(d: DashboardData): number {
  const rows = ui.table === 'daily' ? rowsInOrder(d.daily).filter((r) => (r.date as string) >= sinceDate(d.at)) : ui.table === 'weekly' ? rowsInOrder(d.weekly).slice(-26) : rowsInOrder(d.monthly).slice(-24);
  const key = ui.table === 'daily' ? 'date' : ui.table === 'weekly' ? 'week' : 'month';
  const table = $('totals');
  const head = el('tr');
  for (const h of [key[0].toUpperCase() + key.slice(1), 'Input', 'Output', 'Cache write', 'Cache read', 'Total', 'Cost']) head.append(el('th', h === key ? {} : { class: 'num' }, h));
  table.querySelector('thead')!.replaceChildren(head);
  const body = table.querySelector('tbody')!;
  body.replaceChildren();
  for (const r of [...rows].reverse()) {
    const src = ui.source === 'all' ? r : r.sources[ui.source];
    if (!src) continue;
    const tr = el('tr');
    tr.append(el('td', {}, String(r[key])));
    for (const v of [src.inputTokens, src.outputTokens, src.cacheCreationTokens, src.cacheReadTokens, src.totalTokens]) tr.append(el('td', { class: 'num' }, formatInt(v)));
    tr.append(el('td', { class: 'num' }, formatCost(src.totalCost) + (r.unpricedModels ? '*' : '')));
    body.append(tr);
  }
  document.querySelectorAll<HTMLButtonElement>('[role=tab]').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.table === ui.table)));
  return body.children.length;
}

function render(): void {
  if (!data) return;
  const t = theme();
  $('message').hidden = true;
  $('asof').textContent = `as of ${new Date(data.at).toLocaleTimeString()}${data.indexing.phase === 'indexing' ? ` · indexing ${data.indexing.done}/${data.indexing.total}` : data.indexing.phase === 'verifying' ? ' · checking the logs for changes' : ''}${data.threadsFromIndex ? ` · ${data.threadsFromIndex} thread(s) from the index (logs deleted)` : ''}`;
  renderLimits(data);
  const counts = { daily: renderDaily(data, t), burnup: renderBurnUp(data, t), heatmap: renderHeatmap(data, t), threads: renderThreads(data, t), totals: renderTotals(data), plan: renderPlan($('plan'), data, ui.source) };
  vscode.postMessage({ type: 'rendered', charts: counts });
}

function showMessage(text: string): void {
  const m = $('message');
  m.hidden = false;
  m.textContent = text;
}

function saveUi(): void {
  vscode.setState(ui);
  render();
}

function wire(): void {
  const range = $<HTMLSelectElement>('range');
  const source = $<HTMLSelectElement>('source');
  range.value = ui.range;
  source.value = ui.source;
  range.addEventListener('change', () => {
    ui = { ...ui, range: range.value as DashboardUiState['range'] };
    saveUi();
  });
  source.addEventListener('change', () => {
    ui = { ...ui, source: source.value as DashboardUiState['source'] };
    saveUi();
  });
  $('refresh').addEventListener('click', () => vscode.postMessage({ type: 'command', command: 'refresh' }));
  $('export').addEventListener('click', () => vscode.postMessage({ type: 'command', command: 'export' }));
  document.querySelectorAll<HTMLButtonElement>('[role=tab]').forEach((b) =>
    b.addEventListener('click', () => {
      ui = { ...ui, table: b.dataset.table as DashboardUiState['table'] };
      saveUi();
    }),
  );
  window.addEventListener('message', (e: MessageEvent<unknown>) => {
    if (!HostToWebviewSchema.safeParse(e.data).success) return;
    const m = e.data as HostToWebview;
    if (m.type === 'full') {
      data = m.data;
      render();
    } else if (m.type === 'patch') {
      if (!data) return;
      // The rows that changed, the small figures, and the limit windows when they moved.
      const { limits, claude, thresholds, plans, ...rest } = m.patch;
      applyPatch(data, rest);
      if (limits) data.limits = limits;
      if (claude) data.claude = claude;
      if (thresholds) data.thresholds = thresholds;
      if (plans) data.plans = plans;
      render();
    } else if (m.type === 'empty') {
      data = undefined;
      showMessage(m.reason);
    }
  });
  // Theme changes swap the body class: redraw with the new colours.
  new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  let resize: ReturnType<typeof setTimeout> | undefined;
  window.addEventListener('resize', () => {
    clearTimeout(resize);
    resize = setTimeout(() => data && renderHeatmap(data, theme()), 150);
  });
  vscode.postMessage({ type: 'ready' });
}

wire();
