import { promises as fsp } from 'node:fs';
import { flavorOf, folderName, localFolder, normaliseFolder } from './paths';

/** Where a thread's usage is attributed. */
export interface Attribution {
  /** Stable grouping key: the remote (host/owner/name), else the git root, else the directory. */
  key: string;
  /** Display name: `owner/name`, else the folder name. */
  name: string;
  /** Git root on this machine, when found. */
  root?: string;
  remote?: string;
  branch?: string;
  /** `exact`: from git metadata (Codex session_meta.git or a .git found on disk); `derived`: from a path only. */
  confidence: 'exact' | 'derived';
}

export interface AttributionHints {
  cwd?: string;
  branch?: string;
  repositoryUrl?: string;
}

interface GitInfo {
  root: string;
  branch?: string;
  remote?: string;
}

/** `git@github.com:o/r.git`, `https://github.com/o/r` -> `github.com/o/r`. Credentials are never kept. */
export function normaliseRemote(url: string): string {
  let u = url.trim();
  const scp = /^[\w.-]+@([\w.-]+):(.+)$/.exec(u);
  if (scp) u = `${scp[1]}/${scp[2]}`;
  else {
    try {
      const p = new URL(u);
      u = `${p.hostname}${p.pathname}`;
    } catch {
      /* keep as is */
    }
  }
  return u.replace(/\.git$/, '').replace(/\/+$/, '').toLowerCase();
}

function remoteDisplayName(norm: string): string {
  const parts = norm.split('/').filter(Boolean);
  return parts.length >= 3 ? parts.slice(-2).join('/') : parts.join('/');
}

async function readText(p: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** Reads branch and origin from a .git directory or a worktree's .git file. */
async function gitInfoAt(root: string): Promise<GitInfo> {
  const path = flavorOf(root);
  const dotGit = path.join(root, '.git');
  let gitDir = dotGit;
  const st = await fsp.stat(dotGit);
  if (st.isFile()) {
    const m = /^gitdir:\s*(.+)$/m.exec((await readText(dotGit)) ?? '');
    if (m) gitDir = path.resolve(root, m[1].trim());
  }
  let commonDir = gitDir;
  const common = await readText(path.join(gitDir, 'commondir'));
  if (common) commonDir = path.resolve(gitDir, common.trim());
  const head = (await readText(path.join(gitDir, 'HEAD'))) ?? '';
  const branch = /^ref:\s*refs\/heads\/(.+)$/m.exec(head)?.[1]?.trim();
  const config = (await readText(path.join(commonDir, 'config'))) ?? '';
  const origin = /\[remote "origin"\]([^[]*)/.exec(config)?.[1];
  const remote = origin ? /^\s*url\s*=\s*(.+)$/m.exec(origin)?.[1]?.trim() : undefined;
  return { root, branch, remote };
}

/** Finds the enclosing git root of directories, caching every directory it visits. */
export class RepoResolver {
  private readonly rootOf = new Map<string, Promise<GitInfo | undefined>>();

  /** `platform`: where the folders are looked up (a test reads Windows logs "under WSL" on any OS). */
  constructor(private readonly platform: NodeJS.Platform = process.platform) {}

  private find(dir: string): Promise<GitInfo | undefined> {
    let p = this.rootOf.get(dir);
    if (!p) {
      const path = flavorOf(dir);
      p = (async () => {
        try {
          await fsp.stat(path.join(dir, '.git'));
          return await gitInfoAt(dir);
        } catch {
          const parent = path.dirname(dir);
          return parent === dir ? undefined : this.find(parent);
        }
      })();
      this.rootOf.set(dir, p);
    }
    return p;
  }

  async resolve(h: AttributionHints): Promise<Attribution> {
    const cwd = h.cwd ? normaliseFolder(h.cwd) : undefined;
    const git = cwd ? await this.find(localFolder(cwd, this.platform)) : undefined;
    const remoteUrl = h.repositoryUrl || git?.remote;
    const branch = h.branch || git?.branch;
    if (remoteUrl) {
      const norm = normaliseRemote(remoteUrl);
      return { key: norm, name: remoteDisplayName(norm), root: git?.root, remote: norm, branch, confidence: 'exact' };
    }
    if (git) return { key: git.root, name: folderName(git.root), root: git.root, branch, confidence: 'exact' };
    if (cwd) return { key: cwd, name: folderName(cwd), branch, confidence: 'derived' };
    return { key: '(unknown)', name: '(unknown)', confidence: 'derived' };
  }
}
