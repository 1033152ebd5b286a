import * as path from 'node:path';
import { ClaudeRecord } from '../claude/parse';
import { ThreadHints } from '../events';

type BaseHint = Omit<ThreadHints, 'title' | 'logDeleted'>;

/** What a hint needs of the files: a file's title (first prompt) and whether it is still on disk. */
export interface FileFacts {
  title(file: string): string | undefined;
  live(file: string): boolean;
}

const inSubagents = (file: string) => file.includes(`${path.sep}subagents${path.sep}`);

/**
 * Per thread, what its logs say about where it ran, kept up to date as records count: a thread is
 * described by its main transcript (not a sub-agent's) and a record that names its folder. Titles and
 * "log deleted" are read from the files when asked; `dirty` names the threads whose hints changed.
 */
export class ThreadHintsLedger {
  private readonly hints = new Map<string, BaseHint & { files: string[] }>();
  private readonly byFile = new Map<string, Set<string>>();
  readonly dirty = new Set<string>();

  /** A Claude record that counts: it may describe its thread better than what was known. */
  claudeRecord(r: ClaudeRecord): void {
    const key = `claude:${r.sessionId}`;
    const h = this.hints.get(key);
    if (h && (r.sidechain || (!inSubagents(h.file) && h.cwd))) return;
    if (h && h.file === r.file && h.cwd === r.cwd && h.branch === r.gitBranch) return;
    this.set(key, { source: 'claude', sessionId: r.sessionId, file: r.file, cwd: r.cwd, branch: r.gitBranch, files: [r.file] });
  }

  /** A Codex session's hint, from its files (recomputed with the session). */
  codexSession(id: string, h: BaseHint & { files: string[] }): void {
    const was = this.hints.get(`codex:${id}`);
    if (was && was.file === h.file && was.cwd === h.cwd && was.branch === h.branch && was.repositoryUrl === h.repositoryUrl && was.files.join('\n') === h.files.join('\n')) return;
    this.set(`codex:${id}`, h);
  }

  /** A file's title or presence changed: the threads it describes are dirty. */
  fileChanged(file: string): void {
    for (const k of this.byFile.get(file) ?? []) this.dirty.add(k);
  }

  get(key: string, facts: FileFacts): ThreadHints | undefined {
    const h = this.hints.get(key);
    if (!h) return undefined;
    const { files, ...base } = h;
    const title = files.map((f) => facts.title(f)).find((t) => t !== undefined);
    return { ...base, ...(title !== undefined ? { title } : {}), logDeleted: !files.some((f) => facts.live(f)) };
  }

  keys(): Iterable<string> {
    return this.hints.keys();
  }

  clear(): void {
    this.hints.clear();
    this.byFile.clear();
    this.dirty.clear();
  }

  private set(key: string, h: BaseHint & { files: string[] }): void {
    for (const f of this.hints.get(key)?.files ?? []) this.byFile.get(f)?.delete(key);
    this.hints.set(key, h);
    for (const f of h.files) {
      let s = this.byFile.get(f);
      if (!s) this.byFile.set(f, (s = new Set()));
      s.add(key);
    }
    this.dirty.add(key);
  }
}
