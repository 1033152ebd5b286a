import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root (this file compiles to out/test/harness/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** The code-server of the e2e suite and the default one: VS Code 1.100.3. */
export const CODE_SERVER_VERSION = '4.100.3';
/**
 * The integration suite runs on each: the oldest VS Code that `engines.vscode` admits (code-server 4.99.4
 * is VS Code 1.99.3, what Cursor and Windsurf run) and the current one.
 */
export const CODE_SERVER_VERSIONS = ['4.99.4', CODE_SERVER_VERSION] as const;
/** Persistent cache outside node_modules: survives `npm ci`, shared by runs on one machine. */
export const CACHE_DIR = process.env.AGENT_USAGE_CACHE ?? path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'agent-usage-dev');
export const codeServerDir = (version: string) => path.join(CACHE_DIR, `code-server-${version}`);
export const codeServerEntry = (version: string) => path.join(codeServerDir(version), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(REPO_ROOT, 'test', 'e2e', 'artifacts');

/** The VS Code version a code-server release bundles (read from its own package). */
export const vscodeVersionOf = (version: string): string =>
  (JSON.parse(fs.readFileSync(path.join(codeServerDir(version), 'node_modules', 'code-server', 'lib', 'vscode', 'package.json'), 'utf8')) as { version: string }).version;
