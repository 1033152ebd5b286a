import * as path from 'node:path';

/**
 * Paths as the agents wrote them. A log keeps the form of the machine that wrote it: a Claude Code
 * transcript from Windows says `"cwd":"C:\\Users\\me\\repo"` even when it is read under WSL or copied
 * to a Linux box, and VS Code on Windows names the same folder `c:\Users\me\repo`. Everything here
 * decides by the path's own shape, not by the platform we run on, so Windows paths are handled (and
 * tested) the same way everywhere.
 */

/** `C:\x`, `c:/x`, `C:` or a UNC share `\\server\share`. */
export function isWindowsPath(p: string): boolean {
  return /^[A-Za-z]:([\\/]|$)/.test(p) || /^[\\/]{2}[^\\/?.]/.test(p) || /^\\\\[?.]\\/.test(p);
}

/** The path module a path was written for. */
export function flavorOf(p: string): path.PlatformPath {
  return isWindowsPath(p) ? path.win32 : path.posix;
}

/** `\\?\C:\x` -> `C:\x`, `\\?\UNC\srv\share` -> `\\srv\share` (Rust's canonicalize writes these). */
function stripVerbatim(p: string): string {
  if (/^\\\\\?\\UNC\\/i.test(p)) return `\\\\${p.slice(8)}`;
  if (/^\\\\[?.]\\[A-Za-z]:/.test(p)) return p.slice(4);
  return p;
}

/**
 * A folder in its own normal form: `.` and `..` resolved, no trailing separator, and for Windows
 * backslashes, an upper-case drive letter and no verbatim prefix. The case of the rest is kept: this is
 * what is shown. A relative path is resolved against the current folder (never the case for a log's cwd).
 */
export function normaliseFolder(p: string): string {
  const s = stripVerbatim(p.trim());
  if (isWindowsPath(s)) {
    const r = path.win32.resolve(s);
    return /^[a-z]:/.test(r) ? r[0].toUpperCase() + r.slice(1) : r;
  }
  return path.posix.isAbsolute(s) ? path.posix.resolve(s) : path.resolve(s);
}

/** A folder's last name (`repo` for `C:\Users\me\repo`), or the path itself for a root. */
export function folderName(p: string): string {
  return flavorOf(p).basename(p) || p;
}

/** `/mnt/c/Users/me` (WSL's mount of drive C:) -> `C:\Users\me`; anything else: undefined. */
export function wslToWindows(p: string): string | undefined {
  const m = /^\/mnt\/([A-Za-z])(\/.*)?$/.exec(p);
  return m ? `${m[1].toUpperCase()}:${(m[2] ?? '/').replace(/\//g, '\\')}` : undefined;
}

/** `C:\Users\me` -> `/mnt/c/Users/me`: where a Windows folder is found from WSL. */
export function windowsToWsl(p: string): string | undefined {
  const m = /^([A-Za-z]):[\\/]?(.*)$/.exec(stripVerbatim(p));
  return m ? `/mnt/${m[1].toLowerCase()}/${m[2].replace(/\\/g, '/')}`.replace(/\/+$/, '') || '/' : undefined;
}

/**
 * Where a folder from a log is found on this machine: a Windows cwd read outside Windows (a transcript
 * under WSL's `/mnt/c`) at its WSL mount, anything else as it is.
 */
export function localFolder(p: string, platform: NodeJS.Platform = process.platform): string {
  const n = normaliseFolder(p);
  return platform !== 'win32' && isWindowsPath(n) ? (windowsToWsl(n) ?? n) : n;
}

/**
 * The key two spellings of one folder share. Windows folders compare without case and with either
 * separator, and a WSL mount `/mnt/c/...` is the same folder as `C:\...`; POSIX folders compare exactly.
 */
export function folderKey(p: string): string {
  const n = normaliseFolder(p);
  const win = isWindowsPath(n) ? n : wslToWindows(n);
  return win ? normaliseFolder(win).replace(/\\/g, '/').toLowerCase() : n;
}

/** Is `p` the folder `dir` itself (when `orSame`) or a folder or file inside it? Keys as in folderKey. */
export function isInsideFolder(p: string, dir: string, orSame = true): boolean {
  const k = folderKey(p);
  const d = folderKey(dir);
  if (k === d) return orSame;
  return k.startsWith(d.endsWith('/') ? d : `${d}/`);
}

/**
 * `~`, `~/x` and `~\x` against the home folder; on Windows also `%VAR%` (as in `%USERPROFILE%\.claude`),
 * from `env`. An unknown variable is left as written.
 */
export function expandHome(p: string, home: string, env: Record<string, string | undefined> = {}, platform: NodeJS.Platform = process.platform): string {
  let s = p.trim();
  if (platform === 'win32') s = s.replace(/%([^%]+)%/g, (all, name: string) => envValue(env, name) ?? all);
  if (s === '~') return home;
  if (/^~[\\/]/.test(s)) return pathFor(platform, home).join(home, s.slice(2));
  return s;
}

/** Windows variables are case-insensitive (`%UserProfile%`). */
function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : env[key];
}

/** The path module for a platform, or for the home folder's shape. */
export function pathFor(platform: NodeJS.Platform, home = ''): path.PlatformPath {
  return platform === 'win32' || isWindowsPath(home) ? path.win32 : path.posix;
}
