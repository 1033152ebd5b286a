import { EngineState, UsageEngine } from '../engine';
import { indexKey, loadIndex, saveIndex } from './indexFile';

export type IndexLoad = { kind: 'loaded'; files: number; savedAt: number } | { kind: 'absent' } | { kind: 'discarded'; reason: string };

/** The engine's persistent index: per file its identity, read offset and what it gave, in one gzip file. */
export class EngineIndex {
  /** Which log roots the index is of. */
  readonly key: string;

  constructor(
    readonly file: string,
    private readonly engine: UsageEngine,
  ) {
    const o = engine.options;
    this.key = indexKey([...o.claudeRoots, o.codexHome ?? '', (o.sources ?? ['claude', 'codex']).join(',')]);
  }

  /** Restores the engine from the index; a corrupt, old or foreign index is discarded (the engine starts empty). */
  async load(): Promise<IndexLoad> {
    const r = await loadIndex<EngineState>(this.file, this.key);
    if (r.kind !== 'ok') return r;
    try {
      this.engine.importState(r.data);
    } catch (e) {
      this.engine.importState({ files: [] });
      return { kind: 'discarded', reason: `unreadable content (${(e as Error).message})` };
    }
    return { kind: 'loaded', files: r.data.files.length, savedAt: r.savedAt };
  }

  async save(): Promise<number> {
    return saveIndex(this.file, this.key, this.engine.exportState());
  }
}
