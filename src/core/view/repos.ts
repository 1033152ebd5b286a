import { Attribution, AttributionHints, RepoResolver } from '../attribution';
import { betterAttribution, folderOf } from '../reports/sessions';

/**
 * Which repository each thread belongs to, kept up to date as threads appear or are re-described: one
 * folder, one repository (the best attribution known for the folder names every thread in it).
 * `update` resolves the threads given and returns every thread whose repository changed.
 */
export class RepoIndex {
  private readonly own = new Map<string, Attribution>();
  private readonly folderOfThread = new Map<string, string>();
  private readonly members = new Map<string, Set<string>>();
  private readonly best = new Map<string, Attribution>();

  constructor(private readonly resolver: RepoResolver) {}

  /** The repository a thread is attributed to (its folder's best name, its own branch). */
  of(thread: string): Attribution | undefined {
    const own = this.own.get(thread);
    if (!own) return undefined;
    const b = this.best.get(this.folderOfThread.get(thread)!);
    return b ? { ...b, branch: own.branch ?? b.branch } : own;
  }

  async update(threads: Iterable<[string, (AttributionHints & { cwd?: string }) | undefined]>): Promise<Set<string>> {
    const changed = new Set<string>();
    const folders = new Set<string>();
    for (const [k, h] of threads) {
      if (!h) {
        this.drop(k, folders);
        changed.add(k);
        continue;
      }
      const a = await this.resolver.resolve(h);
      const f = folderOf(a, h.cwd);
      const was = this.own.get(k);
      if (was && sameAttribution(was, a) && this.folderOfThread.get(k) === f) continue;
      this.drop(k, folders);
      this.own.set(k, a);
      this.folderOfThread.set(k, f);
      let m = this.members.get(f);
      if (!m) this.members.set(f, (m = new Set()));
      m.add(k);
      folders.add(f);
      changed.add(k);
    }
    for (const f of folders) {
      const m = this.members.get(f);
      let best: Attribution | undefined;
      for (const k of m ?? []) {
        const a = this.own.get(k)!;
        if (!best || betterAttribution(a, best)) best = a;
      }
      const was = this.best.get(f);
      if (best) this.best.set(f, best);
      else this.best.delete(f);
      if (!m?.size) this.members.delete(f);
      // A new best name moves every thread of the folder.
      if (m && (!was || !best || !sameAttribution(was, best))) for (const k of m) changed.add(k);
    }
    return changed;
  }

  private drop(k: string, folders: Set<string>): void {
    const f = this.folderOfThread.get(k);
    if (f === undefined) return;
    this.members.get(f)?.delete(k);
    folders.add(f);
    this.own.delete(k);
    this.folderOfThread.delete(k);
  }
}

function sameAttribution(a: Attribution, b: Attribution): boolean {
  return a.key === b.key && a.name === b.name && a.root === b.root && a.remote === b.remote && a.branch === b.branch && a.confidence === b.confidence;
}
