import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandHome, folderKey, normaliseFolder, pathFor } from './paths';

export type Source = 'claude' | 'codex';
export const SOURCES: readonly Source[] = ['claude', 'codex'];

export interface LogFile {
  /** The file on disk: `.jsonl`, or `.jsonl.zst` for a compressed Codex rollout. */
  path: string;
  source: Source;
}

/** codex-rs compresses cold rollouts to `<name>.jsonl.zst`; a resume decompresses them back. */
export const COMPRESSED_SUFFIX = '.zst';

export function isCompressedLog(p: string): boolean {
  return p.endsWith('.jsonl.zst');
}

/** A log's identity whichever representation is on disk: its plain `.jsonl` path. */
export function logicalPath(p: string): string {
  return isCompressedLog(p) ? p.slice(0, -COMPRESSED_SUFFIX.length) : p;
}

/** A log file name: `*.jsonl`, or `*.jsonl.zst` where compressed logs are read. */
export function isLogName(name: string, compressed = true): boolean {
  return name.endsWith('.jsonl') || (compressed && name.endsWith('.jsonl.zst'));
}

export interface DiscoveryEnv {
  CLAUDE_CONFIG_DIR?: string;
  CODEX_HOME?: string;
  XDG_CONFIG_HOME?: string;
  XDG_CACHE_HOME?: string;
  /** Windows: `C:\\Users\\me\\AppData\\Roaming` and `...\\Local`. */
  APPDATA?: string;
  LOCALAPPDATA?: string;
  [name: string]: string | undefined;
}

/**
 * Claude config roots: each entry of CLAUDE_CONFIG_DIR (comma list), else `~/.claude` (on Windows
 * `%USERPROFILE%\\.claude`, which is what `os.homedir()` gives) and the XDG config dir; on Windows also
 * `%APPDATA%\\claude`. A root without `projects/` simply holds nothing.
 */
export function claudeRoots(env: DiscoveryEnv = process.env, home = os.homedir(), platform: NodeJS.Platform = process.platform): string[] {
  const p = pathFor(platform, home);
  const fromEnv = (env.CLAUDE_CONFIG_DIR ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const roots = fromEnv.length
    ? fromEnv.map((r) => expandHome(r, home, env, platform))
    : [p.join(home, '.claude'), p.join(env.XDG_CONFIG_HOME || p.join(home, '.config'), 'claude'), ...(platform === 'win32' && env.APPDATA ? [p.join(env.APPDATA, 'claude')] : [])];
  return uniqueFolders(roots);
}

export function codexHome(env: DiscoveryEnv = process.env, home = os.homedir(), platform: NodeJS.Platform = process.platform): string {
  return normaliseFolder(env.CODEX_HOME ? expandHome(env.CODEX_HOME, home, env, platform) : pathFor(platform, home).join(home, '.codex'));
}

/** Folders from settings (`~`, `%USERPROFILE%` expanded), each once (Windows folders compare without case). */
export function uniqueFolders(dirs: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const d of dirs) {
    const n = normaliseFolder(d);
    if (!byKey.has(folderKey(n))) byKey.set(folderKey(n), n);
  }
  return [...byKey.values()];
}

/**
 * The CLI's cache folder: `%LOCALAPPDATA%\\agent-usage` on Windows, `~/Library/Caches/agent-usage` on
 * macOS, else `$XDG_CACHE_HOME/agent-usage` (default `~/.cache`).
 */
export function cacheDir(env: DiscoveryEnv = process.env, home = os.homedir(), platform: NodeJS.Platform = process.platform): string {
  const p = pathFor(platform, home);
  if (platform === 'win32') return p.join(env.LOCALAPPDATA || p.join(home, 'AppData', 'Local'), 'agent-usage');
  if (platform === 'darwin') return p.join(home, 'Library', 'Caches', 'agent-usage');
  return p.join(env.XDG_CACHE_HOME || p.join(home, '.cache'), 'agent-usage');
}

/** Folders whose *.jsonl files hold usage, per source. */
export function claudeLogDirs(roots: string[]): string[] {
  return roots.map((r) => path.join(r, 'projects'));
}
export function codexLogDirs(home: string): string[] {
  return [path.join(home, 'sessions'), path.join(home, 'archived_sessions')];
}

/**
 * All log files below `dir` (`*.jsonl`, and `*.jsonl.zst` when `compressed`), recursively, with their
 * real paths. A compressed file whose plain sibling exists is hidden by it (both exist for a moment
 * while codex-rs compresses or decompresses). A missing folder gives none; unreadable folders are
 * skipped and reported; symlinked folders are followed once (a loop is not walked twice).
 */
export async function findJsonlReal(dir: string, onError?: (p: string, err: Error) => void, compressed = false): Promise<{ path: string; real: string }[]> {
  const out: { path: string; real: string }[] = [];
  const seen = new Set<string>();
  const walk = async (d: string): Promise<void> => {
    let real: string;
    try {
      real = await fsp.realpath(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') onError?.(d, e as Error);
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let entries;
    try {
      entries = await fsp.readdir(d, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') onError?.(d, e as Error);
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) {
        // A regular file's real path is its real folder's plus its name: no realpath call.
        if (isLogName(e.name, compressed)) out.push({ path: p, real: path.join(real, e.name) });
      } else if (e.isSymbolicLink()) {
        const st = await fsp.stat(p).catch(() => undefined);
        if (st?.isDirectory()) await walk(p);
        else if (st?.isFile() && isLogName(e.name, compressed)) {
          const r = await fsp.realpath(p).catch(() => p);
          out.push({ path: p, real: r });
        }
      }
    }
  };
  await walk(dir);
  const plain = compressed ? new Set(out.filter((f) => !isCompressedLog(f.path)).map((f) => f.path)) : undefined;
  return out.filter((f) => !plain || !isCompressedLog(f.path) || !plain.has(logicalPath(f.path))).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** All `*.jsonl` files below `dir` (see findJsonlReal). */
export async function findJsonl(dir: string, onError?: (p: string, err: Error) => void): Promise<string[]> {
  return (await findJsonlReal(dir, onError)).map((f) => f.path);
}

export async function discoverLogFiles(
  opts: { claudeRoots: string[]; codexHome?: string; sources?: readonly Source[] },
  onError?: (p: string, err: Error) => void,
): Promise<LogFile[]> {
  const sources = opts.sources ?? SOURCES;
  const found: { path: string; real: string; source: Source }[] = [];
  if (sources.includes('claude')) {
    for (const d of claudeLogDirs(opts.claudeRoots)) for (const f of await findJsonlReal(d, onError)) found.push({ ...f, source: 'claude' });
  }
  if (sources.includes('codex') && opts.codexHome) {
    for (const d of codexLogDirs(opts.codexHome)) for (const f of await findJsonlReal(d, onError, true)) found.push({ ...f, source: 'codex' });
  }
  // The same file reached through two roots (a symlinked root) is read once.
  const seen = new Set<string>();
  const unique: LogFile[] = [];
  for (const f of found) {
    if (seen.has(f.real)) continue;
    seen.add(f.real);
    unique.push({ path: f.path, source: f.source });
  }
  return unique;
}
