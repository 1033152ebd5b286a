import { randomBytes } from 'node:crypto';

export function nonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

/** The Content-Security-Policy of the dashboard: nothing remote, nonce scripts only, no connections. */
export function dashboardCsp(cspSource: string, n: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${n}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${n}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function dashboardHtml(o: { cspSource: string; scriptUri: string; styleUri: string; nonce: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${dashboardCsp(o.cspSource, o.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${o.styleUri}" nonce="${o.nonce}">
<title>Agent Usage</title>
</head>
<body>
<header class="toolbar" role="toolbar" aria-label="Dashboard filters">
  <h1>Agent Usage</h1>
  <label>Range <select id="range" aria-label="Time range">
    <option value="7d">7 days</option><option value="30d">30 days</option><option value="90d">90 days</option><option value="all">All</option>
  </select></label>
  <label>Source <select id="source" aria-label="Source">
    <option value="all">Claude + Codex</option><option value="claude">Claude</option><option value="codex">Codex</option>
  </select></label>
  <button id="refresh" type="button">Refresh</button>
  <button id="export" type="button">Export…</button>
  <span id="asof" class="muted"></span>
</header>
<main id="main">
  <p id="message" class="message" role="status">Loading usage…</p>
  <section id="limits" class="cards" aria-label="Limits"></section>
  <section id="summary" class="cards" aria-label="Summary"></section>
  <section class="panel"><h2>Daily tokens by model</h2><div class="chart"><canvas id="chart-daily" role="img" aria-label="Daily tokens stacked by model"></canvas></div></section>
  <section class="panel"><h2>Current windows: burn-up <span class="muted">(percent estimated from the token share; official figure at now; dashed: the forecast from the official percentages)</span></h2><div class="chart"><canvas id="chart-burnup" role="img" aria-label="Burn-up of the current windows"></canvas></div></section>
  <section class="panel"><h2>Repositories by day</h2><div class="heat"><canvas id="chart-heatmap" role="img" aria-label="Tokens per repository per day"></canvas></div></section>
  <section id="plan" class="panel" aria-label="Plan value"></section>
  <section class="panel"><h2>Top threads</h2><table id="threads" class="grid"><thead><tr><th>Thread</th><th>Repository</th><th>Source</th><th class="num">Tokens</th><th class="num">Cost</th><th>Last 14 active days</th></tr></thead><tbody></tbody></table></section>
  <section class="panel"><h2>Totals</h2>
    <div role="tablist" class="tabs"><button role="tab" data-table="daily">Daily</button><button role="tab" data-table="weekly">Weekly</button><button role="tab" data-table="monthly">Monthly</button></div>
    <table id="totals" class="grid"><thead></thead><tbody></tbody></table>
  </section>
  <p class="muted foot">Limits: Claude from its official usage endpoint, Codex as written in its own logs. Costs are estimates from list prices; burn-up percentages, pace and forecasts are estimates (forecasts from the official percentages over time).</p>
</main>
<script nonce="${o.nonce}" src="${o.scriptUri}"></script>
</body>
</html>`;
}
