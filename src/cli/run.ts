import * as os from 'node:os';
import { cacheDir, claudeRoots, codexHome, Source } from '../core/discovery';
import { UsageEngine } from '../core/engine';
import { blocksReport } from '../core/reports/blocks';
import { ClaudeLimitsView, claudeLimitsView, limitsReport } from '../core/reports/limits';
import * as path from 'node:path';
import { ClaudeLimitPoller } from '../core/limits/poller';
import { claudeTokenSource } from '../core/limits/token';
import { CLAUDE_USER_AGENT, DEFAULT_USAGE_ENDPOINT } from '../core/limits/endpoint';
import { claudeStatus } from '../core/snapshot';
import { PERIOD_KEY, periodReport } from '../core/reports/periods';
import { ReportOptions } from '../core/reports/filter';
import { sessionReport } from '../core/reports/sessions';
import { CliOptions, USAGE, UsageError, parseArgs } from './args';
import { renderBlocks, renderLimits, renderPeriods, renderSessions } from './render';

/**
 * Claude's official windows, fetched at most once per 5 minutes (Retry-After and a refused login honoured)
 * through a state file of the CLI's own; the token is read, never refreshed or written.
 */
async function claudeLimits(o: CliOptions, io: CliIo, home: string, roots: string[], now: number): Promise<ClaudeLimitsView> {
  if (o.noFetch) return claudeLimitsView(undefined, now, 'disabled');
  const endpoint = io.env.AGENT_USAGE_CLAUDE_ENDPOINT || DEFAULT_USAGE_ENDPOINT;
  const poller = new ClaudeLimitPoller({
    stateFile: path.join(cacheDir(io.env, home), 'claude-usage.json'),
    intervalMs: 5 * 60_000,
    tokens: claudeTokenSource(roots[0], io.env),
    // undici is loaded only here: the other reports start faster without it.
    fetch: async (token) => (await import('../core/limits/usageClient')).fetchClaudeUsage({ endpoint, token, userAgent: CLAUDE_USER_AGENT }),
    now: () => now,
  });
  const { state } = await poller.tick();
  const st = claudeStatus(true, state);
  return claudeLimitsView(state, now, st.state, st.message);
}

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  home?: string;
  now?: number;
}

/** Runs one CLI invocation; returns the exit code (0 ok, 2 bad usage, 1 failure). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let o: CliOptions;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`agent-usage: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (o.help) {
    io.stdout(USAGE);
    return 0;
  }
  const home = io.home ?? os.homedir();
  const sources: Source[] = o.source === 'all' ? ['claude', 'codex'] : [o.source];
  const roots = o.claudeDirs.length ? o.claudeDirs : claudeRoots(io.env, home);
  const engine = new UsageEngine({
    claudeRoots: roots,
    codexHome: o.codexHome ?? codexHome(io.env, home),
    sources,
  });
  const scan = await engine.scan();
  if (scan.files === 0) io.stderr(`agent-usage: no ${sources.join(' or ')} logs found; the report is empty.\n`);
  const diags = engine.diagnostics();
  if (diags.length) {
    const lines = diags.reduce((n, d) => n + d.problemCount, 0);
    const unreadable = diags.filter((d) => d.readError).length;
    io.stderr(
      `agent-usage: skipped ${lines} unusable line(s) in ${diags.length - unreadable} file(s)` +
        (unreadable ? `, ${unreadable} file(s) or folder(s) could not be read` : '') +
        (o.verbose ? ':\n' : ' (--verbose lists them).\n'),
    );
    if (o.verbose) {
      for (const d of diags) {
        if (d.readError) io.stderr(`  ${d.file}: ${d.readError}\n`);
        for (const p of d.problems) io.stderr(`  ${d.file}:${p.line}: ${p.reason}\n`);
      }
    }
  }
  const ro: ReportOptions = { since: o.since, until: o.until, source: o.source, timezone: o.timezone, weekStartsOn: o.weekStartsOn };
  const events = engine.events();
  const now = io.now ?? Date.now();
  const out = (json: unknown, text: () => string) => io.stdout(o.json ? JSON.stringify(json, null, 2) + '\n' : text());
  switch (o.command) {
    case 'daily':
    case 'weekly':
    case 'monthly': {
      const r = periodReport(events, o.command, ro);
      const key = PERIOD_KEY[o.command];
      const label = { daily: 'Date', weekly: 'Week', monthly: 'Month' }[o.command];
      out({ [o.command]: r.rows, totals: r.totals }, () => renderPeriods(r, key, label, o.breakdown));
      break;
    }
    case 'session': {
      const r = await sessionReport(events, engine.threadHints(), ro);
      out({ sessions: r.sessions, totals: r.totals }, () => renderSessions(r));
      break;
    }
    case 'blocks': {
      const blocks = blocksReport(events, ro, now);
      out({ blocks }, () => renderBlocks(blocks));
      break;
    }
    case 'limits': {
      const r = limitsReport(engine.codexLimits(), now);
      if (o.source !== 'codex') r.claude = await claudeLimits(o, io, home, roots, now);
      out(r, () => renderLimits(r));
      break;
    }
  }
  return 0;
}
