import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { CHROMIUM } from './paths';

/** A system package the real-host suites need, with how to tell it is there. */
export interface SystemNeed {
  /** Debian's package name. */
  pkg: string;
  why: string;
  present: () => boolean;
}

export function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** What the integration and e2e suites need from the system (Debian names). */
export const SYSTEM_NEEDS: readonly SystemNeed[] = [
  { pkg: 'ripgrep', why: "fed to code-server's @vscode/ripgrep instead of a download", present: () => !!which('rg') },
  { pkg: 'libkrb5-dev', why: "headers for code-server's kerberos module", present: () => fs.existsSync('/usr/include/gssapi/gssapi.h') || !!which('krb5-config') },
  { pkg: 'chromium', why: `the headless browser of the UI suite (at ${CHROMIUM}; CHROMIUM_PATH overrides)`, present: () => fs.existsSync(CHROMIUM) },
];

/** The needs not met on this machine, among those `wanted` selects (all by default). */
export function missingPackages(wanted: (n: SystemNeed) => boolean = () => true): SystemNeed[] {
  return SYSTEM_NEEDS.filter((n) => wanted(n) && !n.present());
}

export type SetupPlan = { kind: 'ready' } | { kind: 'install'; pkgs: string[] } | { kind: 'instruct'; message: string };

/**
 * What the test command does about missing packages: nothing when all are there, install them with apt
 * as root, otherwise stop with one line that says what to run.
 */
export function planSystemSetup(missing: readonly string[], isRoot: boolean, hasApt: boolean): SetupPlan {
  if (!missing.length) return { kind: 'ready' };
  if (isRoot && hasApt) return { kind: 'install', pkgs: [...missing] };
  const cmd = `${isRoot ? '' : 'sudo '}apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  return { kind: 'instruct', message: `npm test needs ${missing.join(', ')}: run \`${cmd}\`${hasApt ? '' : ' (or your system\'s equivalent)'}, then npm test again.` };
}
