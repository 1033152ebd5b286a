import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Installs ccusage's native binary into a cache folder (once): the newest version for which the linux
 * binary package exists, through npm, the way a user installs it.
 */
export function ensureCcusage(cacheDir: string, log: (s: string) => void): { bin: string; version: string } {
  const version = execFileSync('npm', ['view', '@ccusage/ccusage-linux-x64', 'version'], { encoding: 'utf8' }).trim().split('\n').pop()!.replace(/.*'(.+)'.*/, '$1');
  const dir = path.join(cacheDir, `ccusage-${version}`);
  const bin = path.join(dir, 'node_modules', '@ccusage', 'ccusage-linux-x64', 'bin', 'ccusage');
  if (!fs.existsSync(bin)) {
    log(`installing ccusage ${version} (native linux binary) into ${dir}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'ccusage-bench', private: true }));
    execFileSync('npm', ['install', `ccusage@${version}`, '--no-audit', '--no-fund', '--no-save'], { cwd: dir, stdio: 'pipe' });
    if (!fs.existsSync(bin)) throw new Error(`ccusage's linux binary was not installed at ${bin}`);
  }
  fs.chmodSync(bin, 0o755);
  return { bin, version };
}

export interface CcusageTotals {
  all: Record<string, number>;
  bySource: Record<string, Record<string, number>>;
}

const KEYS = ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'totalTokens', 'totalCost'];

/** Totals of `ccusage daily --json --by-agent`: overall and per agent. */
export function ccusageTotals(json: string): CcusageTotals {
  const d = JSON.parse(json) as { daily: { agents?: Record<string, number | string>[] }[]; totals: Record<string, number> };
  const bySource: Record<string, Record<string, number>> = {};
  for (const day of d.daily) {
    for (const a of day.agents ?? []) {
      const t = (bySource[String(a.agent)] ??= Object.fromEntries(KEYS.map((k) => [k, 0])));
      for (const k of KEYS) t[k] += Number(a[k] ?? 0);
    }
  }
  return { all: Object.fromEntries(KEYS.map((k) => [k, d.totals[k] ?? 0])), bySource };
}
