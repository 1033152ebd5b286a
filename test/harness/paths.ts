import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root (this file compiles to out/test/harness/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
/** Persistent cache outside node_modules: survives `npm ci`, shared by runs on one machine. */
export const CACHE_DIR = process.env.AGENT_USAGE_CACHE ?? path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'agent-usage-dev');
export const CODE_SERVER_DIR = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(REPO_ROOT, 'test', 'e2e', 'artifacts');
