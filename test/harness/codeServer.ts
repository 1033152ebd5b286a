import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ensureCodeServer } from './installCodeServer';

/** Settings that keep a test VS Code quiet and offline. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.colorTheme': 'Default Dark Modern',
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface CodeServerOptions {
  /** A scratch folder: user data, extensions, HOME, TMPDIR live below it. */
  runDir: string;
  /** HOME of the server and so of the extension host (the fixture logs). */
  home: string;
  settings: Record<string, unknown>;
  env?: Record<string, string>;
  /** Which code-server (so which VS Code) to run; CODE_SERVER_VERSION when not said. */
  version?: string;
  /** A .vsix to install (as a user would), if any. */
  vsix?: string;
  log?: (s: string) => void;
}

/**
 * A real VS Code (code-server, by default 4.100.3 = VS Code 1.100.3) on a free loopback port, sandboxed in runDir,
 * started in its own process group so stop() ends it and every extension host it spawned.
 */
export class CodeServer {
  private child?: ChildProcess;
  url = '';
  logFile = '';

  constructor(private readonly o: CodeServerOptions) {}

  private env(): NodeJS.ProcessEnv {
    const r = this.o.runDir;
    return {
      PATH: process.env.PATH,
      LANG: 'C.UTF-8',
      HOME: this.o.home,
      XDG_CONFIG_HOME: path.join(this.o.home, '.config'),
      XDG_DATA_HOME: path.join(this.o.home, '.local', 'share'),
      XDG_CACHE_HOME: path.join(r, 'cache'),
      TMPDIR: path.join(r, 'tmp'),
      XDG_RUNTIME_DIR: path.join(r, 'xdgrt'),
      EXTENSIONS_GALLERY: '{"serviceUrl":""}',
      ...this.o.env,
    };
  }

  async start(): Promise<string> {
    const entry = ensureCodeServer(this.o.log, this.o.version);
    const r = this.o.runDir;
    for (const d of ['ud/User', 'exts', 'tmp', 'xdgrt', 'cache']) fs.mkdirSync(path.join(r, d), { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(r, 'ud', 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...this.o.settings }, null, 2));
    const common = ['--user-data-dir', path.join(r, 'ud'), '--extensions-dir', path.join(r, 'exts')];
    if (this.o.vsix) {
      execFileSync(process.execPath, [entry, ...common, '--install-extension', this.o.vsix], { env: this.env(), stdio: 'pipe', timeout: 120_000 });
    }
    const port = await freePort();
    this.logFile = path.join(r, 'code-server.log');
    const out = fs.openSync(this.logFile, 'a');
    this.child = spawn(
      process.execPath,
      [entry, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', ...common, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened'],
      { env: this.env(), detached: true, stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    this.url = `http://127.0.0.1:${port}`;
    const t0 = Date.now();
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`code-server exited with ${this.child.exitCode}; see ${this.logFile}:\n${fs.readFileSync(this.logFile, 'utf8').slice(-2000)}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok) break;
      } catch {
        /* not yet */
      }
      if (Date.now() - t0 > 60_000) throw new Error(`code-server did not answer on ${this.url} within 60 s; see ${this.logFile}`);
      await new Promise((res) => setTimeout(res, 100));
    }
    return this.url;
  }

  /** Changes user settings the way a user editing settings.json would (VS Code watches the file). */
  updateSettings(patch: Record<string, unknown>): void {
    const file = path.join(this.o.runDir, 'ud', 'User', 'settings.json');
    const current = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...current, ...patch }, null, 2));
  }

  /** Ends the whole process group (server and extension hosts) and waits until none is left. */
  async stop(): Promise<void> {
    const pid = this.child?.pid;
    if (!pid) return;
    const alive = () => {
      try {
        process.kill(-pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      return;
    }
    const t0 = Date.now();
    while (alive() && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 100));
    if (alive()) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      while (alive() && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 100));
    }
    this.child = undefined;
  }
}
