import { CodexUsage, ReadSessionFile, parentOf, sessionMeta, sessionUsage } from '../codex/accounting';
import { CodexSessionReader } from '../codex/session';

/** One Codex rollout as the ledger sees it (a live file or a retained history of one). */
export interface CodexFile {
  uid: number;
  /** Plain path (the log's identity). */
  path: string;
  reader: CodexSessionReader;
}

export interface SessionDelta {
  /** Sessions whose usage or files changed. */
  sessions: Set<string>;
  removed: { session: string; usage: CodexUsage[] }[];
  added: { session: string; usage: CodexUsage[] }[];
}

/** Codex session id from `rollout-<date>-<uuid>.jsonl` (or `.jsonl.zst`). */
export function codexIdFromName(p: string): string | undefined {
  return /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl(?:\.zst)?$/i.exec(p)?.[1];
}

const idOf = (f: CodexFile) => f.reader.meta.id ?? codexIdFromName(f.path) ?? f.path;

/**
 * Codex's cross-file accounting, kept up to date one session at a time: which files belong to which
 * session, and each session's usage (see sessionUsage). A change to a file recomputes its session and
 * the forks and sub-agents that start from it, nothing else.
 */
export class CodexLedger {
  private readonly files = new Map<number, CodexFile>();
  private readonly sessionOf = new Map<number, string>();
  private readonly members = new Map<string, Set<number>>();
  private readonly usage = new Map<string, CodexUsage[]>();
  private readonly children = new Map<string, Set<string>>();
  private readonly parentOfSession = new Map<string, string>();
  private readonly dirty = new Set<string>();

  /** A file was read (new observations, its meta) or became a retained history: its session is recomputed. */
  touch(f: CodexFile): void {
    this.files.set(f.uid, f);
    const id = idOf(f);
    const was = this.sessionOf.get(f.uid);
    if (was !== id) {
      if (was !== undefined) {
        this.members.get(was)?.delete(f.uid);
        this.dirty.add(was);
      }
      this.sessionOf.set(f.uid, id);
      let m = this.members.get(id);
      if (!m) this.members.set(id, (m = new Set()));
      m.add(f.uid);
    }
    this.dirty.add(id);
  }

  /** The files of a session, live and retained. */
  filesOf(id: string): CodexFile[] {
    return [...(this.members.get(id) ?? [])].map((u) => this.files.get(u)!);
  }

  sessionIds(): Iterable<string> {
    return this.members.keys();
  }

  flush(): SessionDelta {
    const sessions = new Set<string>();
    // A fork or sub-agent is measured against its parent: recompute the children of what changed.
    const queue = [...this.dirty];
    for (const id of queue) {
      for (const c of this.children.get(id) ?? []) {
        if (this.dirty.has(c)) continue;
        this.dirty.add(c);
        queue.push(c);
      }
    }
    const removed: SessionDelta['removed'] = [];
    const added: SessionDelta['added'] = [];
    const read = (id: string): ReadSessionFile[] => this.filesOf(id).map((f) => ({ file: f.path, meta: f.reader.meta, observations: f.reader.observations }));
    for (const id of this.dirty) {
      sessions.add(id);
      const files = read(id);
      const prev = this.usage.get(id) ?? [];
      let next: CodexUsage[] = [];
      if (files.length) {
        const parent = parentOf(sessionMeta(files));
        this.linkParent(id, parent);
        next = sessionUsage(files, parent ? read(parent) : undefined).usage;
      } else this.linkParent(id, undefined);
      if (sameUsage(prev, next)) continue;
      if (prev.length) removed.push({ session: id, usage: prev });
      if (next.length) added.push({ session: id, usage: next });
      if (next.length) this.usage.set(id, next);
      else this.usage.delete(id);
    }
    this.dirty.clear();
    return { sessions, removed, added };
  }

  /** Every session's usage (after a flush). */
  *sessionUsage(): Iterable<[string, CodexUsage[]]> {
    yield* this.usage;
  }

  clear(): void {
    for (const m of [this.files, this.sessionOf, this.members, this.usage, this.children, this.parentOfSession]) m.clear();
    this.dirty.clear();
  }

  private linkParent(id: string, parent: string | undefined): void {
    const was = this.parentOfSession.get(id);
    if (was === parent) return;
    if (was !== undefined) this.children.get(was)?.delete(id);
    if (parent === undefined) {
      this.parentOfSession.delete(id);
      return;
    }
    this.parentOfSession.set(id, parent);
    let c = this.children.get(parent);
    if (!c) this.children.set(parent, (c = new Set()));
    c.add(id);
  }
}

function sameUsage(a: readonly CodexUsage[], b: readonly CodexUsage[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    const t = x.tokens;
    const u = y.tokens;
    if (x.timestamp !== y.timestamp || x.model !== y.model || t.input !== u.input || t.output !== u.output || t.cacheRead !== u.cacheRead || t.cacheWrite5m !== u.cacheWrite5m || t.reasoning !== u.reasoning) return false;
  }
  return true;
}
