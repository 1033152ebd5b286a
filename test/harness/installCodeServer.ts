import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CACHE_DIR, CODE_SERVER_VERSION, codeServerDir, codeServerEntry } from './paths';
import { missingPackages, which } from './systemPackages';

export class MissingPrerequisite extends Error {}

/** What the machine must have (npm test installs it first): a clear message when something lacks. */
export function checkPrerequisites(opts: { browser: boolean }): void {
  const missing = missingPackages((n) => opts.browser || n.pkg !== 'chromium').map((n) => `${n.pkg} (${n.why})`);
  if (missing.length) throw new MissingPrerequisite(`Missing for the real VS Code tests: ${missing.join('; ')}. npm test installs them (as root) or says how.`);
}

/**
 * Installs code-server once into the cache folder, the offline way: ripgrep's postinstall finds Debian's
 * rg in its download cache, node-pty may run npx node-gyp, and root needs unsafe-perm.
 */
export function ensureCodeServer(log: (s: string) => void = (s) => process.stderr.write(s + '\n'), version: string = CODE_SERVER_VERSION): string {
  const dir = codeServerDir(version);
  const entry = codeServerEntry(version);
  if (fs.existsSync(entry)) return entry;
  checkPrerequisites({ browser: false });
  log(`installing code-server ${version} into ${dir} (once)`);
  const staging = `${dir}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  const tmp = path.join(staging, 'tmp');
  const rgCache = path.join(tmp, 'vscode-ripgrep-cache-1.15.11');
  const stage = path.join(staging, 'rg-stage');
  fs.mkdirSync(rgCache, { recursive: true });
  fs.mkdirSync(stage, { recursive: true });
  fs.copyFileSync(which('rg')!, path.join(stage, 'rg'));
  execFileSync('tar', ['czf', path.join(rgCache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), '-C', stage, 'rg']);
  fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }));
  const env = { ...process.env, TMPDIR: tmp, npm_config_unsafe_perm: 'true', npm_config_yes: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
  const r = spawnSync('npm', ['install', `code-server@${version}`, '--foreground-scripts', '--no-save'], { cwd: staging, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0 || !fs.existsSync(path.join(staging, 'node_modules', 'code-server', 'out', 'node', 'entry.js'))) {
    throw new Error(`code-server install failed (exit ${r.status}):\n${(r.stderr || '').slice(-4000)}`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  log(`code-server ${version} installed`);
  return entry;
}

if (require.main === module) for (const v of process.argv.slice(2).length ? process.argv.slice(2) : [CODE_SERVER_VERSION]) ensureCodeServer(undefined, v);
