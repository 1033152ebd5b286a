// The first step of `npm test`: what the real-host suites need, installed once. System packages through
// apt when running as root (a one-line instruction and exit 1 when not), then each code-server the suites
// run on into its cache folder. Run again, it finds everything and does nothing.
import { spawnSync } from 'node:child_process';
import { ensureCodeServer } from './installCodeServer';
import { CODE_SERVER_VERSIONS } from './paths';
import { missingPackages, planSystemSetup, which } from './systemPackages';

function apt(args: string[]): void {
  const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status})`);
}

function main(): void {
  const missing = missingPackages().map((n) => n.pkg);
  const plan = planSystemSetup(missing, process.getuid?.() === 0, !!which('apt-get'));
  if (plan.kind === 'instruct') {
    process.stderr.write(`${plan.message}\n`);
    process.exit(1);
  }
  if (plan.kind === 'install') {
    process.stderr.write(`setup: installing ${plan.pkgs.join(', ')} with apt-get\n`);
    apt(['update', '-qq']);
    apt(['install', '-y', '-qq', '--no-install-recommends', ...plan.pkgs]);
    const still = missingPackages().map((n) => n.pkg);
    if (still.length) throw new Error(`setup: still missing after apt-get: ${still.join(', ')}`);
  }
  for (const v of CODE_SERVER_VERSIONS) ensureCodeServer((s) => process.stderr.write(`setup: ${s}\n`), v);
}

try {
  main();
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
