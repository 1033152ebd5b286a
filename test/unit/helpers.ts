import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh temporary folder, removed after the test run. */
export function tmpDir(prefix = 'agent-usage-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  after(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

export function writeLines(file: string, lines: unknown[], opts: { append?: boolean; trailingNewline?: boolean } = {}): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + (opts.trailingNewline === false ? '' : '\n');
  if (opts.append) fs.appendFileSync(file, text);
  else fs.writeFileSync(file, text);
}

interface ClaudeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/** A Claude Code assistant line with sensible defaults. */
export function claudeLine(o: {
  id: string;
  req?: string | null;
  ts?: string;
  model?: string;
  usage: ClaudeUsage;
  sessionId?: string;
  cwd?: string;
  sidechain?: boolean;
  apiError?: boolean;
  costUSD?: number;
}): Record<string, unknown> {
  return {
    type: 'assistant',
    uuid: `u-${o.id}-${Math.random().toString(16).slice(2, 8)}`,
    sessionId: o.sessionId ?? 'sess-1',
    cwd: o.cwd ?? '/nowhere/project',
    version: '2.1.160',
    isSidechain: o.sidechain ?? false,
    timestamp: o.ts ?? '2026-10-05T12:00:00.000Z',
    ...(o.req === null ? {} : { requestId: o.req ?? `req-${o.id}` }),
    ...(o.apiError ? { isApiErrorMessage: true } : {}),
    ...(o.costUSD !== undefined ? { costUSD: o.costUSD } : {}),
    message: { id: o.id, type: 'message', role: 'assistant', model: o.model ?? 'claude-sonnet-4-6', content: [], usage: o.usage },
  };
}

export function codexEnv(ts: string, type: string, payload: unknown): Record<string, unknown> {
  return { timestamp: ts, type, payload };
}

export function usage(input: number, cached: number, output: number, reasoning = 0) {
  return { input_tokens: input, cached_input_tokens: cached, output_tokens: output, reasoning_output_tokens: reasoning, total_tokens: input + output };
}

export function tokenCount(ts: string, total: ReturnType<typeof usage> | null, last?: ReturnType<typeof usage>, rateLimits?: unknown) {
  return codexEnv(ts, 'event_msg', {
    type: 'token_count',
    info: total ? { total_token_usage: total, last_token_usage: last ?? total, model_context_window: 272000 } : null,
    ...(rateLimits !== undefined ? { rate_limits: rateLimits } : {}),
  });
}

export function sessionMeta(ts: string, id: string, extra: Record<string, unknown> = {}) {
  return codexEnv(ts, 'session_meta', { id, timestamp: ts, cwd: '/nowhere/codex', originator: 'codex_cli_rs', cli_version: '0.98.0', ...extra });
}

export function turnContext(ts: string, model: string) {
  return codexEnv(ts, 'turn_context', { cwd: '/nowhere/codex', model, approval_policy: 'never', sandbox_policy: { mode: 'read-only' } });
}

/** A view with no figures, to build snapshots for view tests from. */
export function emptyView(at = 0): import('../../src/core/view/model').ViewModel {
  const zero = { tokens: 0, cost: 0, unpriced: false };
  const top = { all: [], claude: [], codex: [] };
  return {
    at,
    timezone: 'UTC',
    indexing: { phase: 'ready', done: 1, total: 1 },
    hasLogs: true,
    codexWindows: [],
    today: { all: zero, claude: zero, codex: zero },
    todayWorkspace: zero,
    week: zero,
    weekWorkspace: zero,
    burnRates: [],
    burnUp: [],
    daily: {},
    weekly: {},
    monthly: {},
    repos: {},
    threads: {},
    repoDaily: {},
    topThreads: { '7d': top, '30d': top, '90d': top, all: top },
    workspaceFolders: [],
    threadsFromIndex: 0,
  };
}

/** How much the resident memory grew at most (bytes) while `fn` ran, sampled every 10 ms. */
export async function rssGrowth(fn: () => Promise<unknown>): Promise<number> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    await fn();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, process.memoryUsage().rss) - before;
}
