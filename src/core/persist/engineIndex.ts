import { promises as fsp } from 'node:fs';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import { EngineState, UsageEngine } from '../engine';
import { writeFileAtomic } from '../limits/sharedState';
import { FileState, SerializedFile, serializeState } from './engineState';
import { INDEX_VERSION, indexKey } from './indexFile';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

export type IndexLoad = { kind: 'loaded'; files: number; savedAt: number } | { kind: 'absent' } | { kind: 'discarded'; reason: string };

/** The first bytes of an index file. */
const MAGIC = Buffer.from('AUIX');
/** How many files' states one compressed shard holds. */
export const SHARD_FILES = 64;

export interface IndexHeader {
  version: number;
  /** Which log roots the index was built from. */
  key: string;
  savedAt: number;
  /** How many file states the shards hold, in all. */
  files: number;
  /** Per shard: how many file states it holds and its compressed length in bytes. */
  shards: { files: number; bytes: number }[];
}

/** An index file: the magic, the header's length (u32 LE), the header as JSON, then the shards back to back. */
export function frameIndex(header: IndexHeader, shards: readonly Buffer[]): Buffer {
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length);
  return Buffer.concat([MAGIC, len, head, ...shards]);
}

/** What a saved file's state was when it was last serialized: an unchanged file is not serialized again. */
function stampOf(st: FileState): string {
  const p = st.pos;
  return [st.uid, st.retained ? 1 : 0, st.physical, p?.offset, p?.size, p?.mtimeMs, p?.ino, st.title ?? '', st.diag.problemCount, st.diag.readError ?? ''].join('|');
}

/**
 * The engine's persistent index. The file states (per file its identity, read offset and what it gave)
 * are cut into shards of 64 files, each one JSON line per file, gzip level 1. A save compresses again only
 * the shards whose files changed since the last save or load and writes the others' bytes as they were
 * (kept compressed in memory: the whole index of the 1.3 GB benchmark history is 2.7 MB); a load
 * decompresses the shards in parallel on libuv's thread pool. Versioned, atomic (a temporary file renamed
 * over the old one), checked (gzip's CRC per shard, every length); a corrupt, old or foreign index is
 * discarded and the engine starts empty.
 */
export class EngineIndex {
  /** Which log roots the index is of. */
  readonly key: string;
  /** Compressed shards by the stamps of the files they hold (those of the last save or load). */
  private shards = new Map<string, Buffer>();

  constructor(
    readonly file: string,
    private readonly engine: UsageEngine,
  ) {
    const o = engine.options;
    this.key = indexKey([...o.claudeRoots, o.codexHome ?? '', (o.sources ?? ['claude', 'codex']).join(',')]);
  }

  /** Restores the engine from the index; a corrupt, old or foreign index is discarded (the engine starts empty). */
  async load(): Promise<IndexLoad> {
    let buf: Buffer;
    try {
      buf = await fsp.readFile(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
      return { kind: 'discarded', reason: `unreadable (${(e as NodeJS.ErrnoException).code})` };
    }
    if (buf[0] === 0x1f && buf[1] === 0x8b) return { kind: 'discarded', reason: 'version 3 or older (one gzip stream)' };
    let header: IndexHeader;
    let start: number;
    try {
      if (buf.length < 8 || !buf.subarray(0, 4).equals(MAGIC)) throw new Error('magic');
      start = 8 + buf.readUInt32LE(4);
      header = JSON.parse(buf.toString('utf8', 8, start)) as IndexHeader;
    } catch {
      return { kind: 'discarded', reason: 'corrupted' };
    }
    if (!header || typeof header !== 'object' || header.version !== INDEX_VERSION) return { kind: 'discarded', reason: `version ${String(header?.version)} (this build reads ${INDEX_VERSION})` };
    if (header.key !== this.key) return { kind: 'discarded', reason: 'built from other log folders' };
    try {
      const shards = header.shards;
      if (!Array.isArray(shards) || shards.reduce((n, s) => n + s.bytes, start) !== buf.length || shards.reduce((n, s) => n + s.files, 0) !== header.files) throw new Error('truncated');
      const parts: Buffer[] = [];
      let at = start;
      for (const s of shards) parts.push(buf.subarray(at, (at += s.bytes)));
      const texts = await Promise.all(parts.map((p) => gunzip(p)));
      const files: SerializedFile[] = [];
      texts.forEach((t, i) => {
        const lines = t.toString('utf8').split('\n');
        if (lines.length !== shards[i].files) throw new Error(`shard ${i} holds ${lines.length} files, not ${shards[i].files}`);
        for (const l of lines) files.push(JSON.parse(l) as SerializedFile);
      });
      const states = this.engine.importState({ files } satisfies EngineState);
      // A shard read is what a save would write for these states until one of them changes.
      this.shards = new Map(parts.map((p, i) => [stampsOf(states.slice(i * SHARD_FILES, (i + 1) * SHARD_FILES)), Buffer.from(p)]));
    } catch (e) {
      this.engine.importState({ files: [] });
      this.shards.clear();
      return { kind: 'discarded', reason: `unreadable content (${(e as Error).message})` };
    }
    return { kind: 'loaded', files: header.files, savedAt: header.savedAt };
  }

  /** Writes the index atomically, compressing again only the shards whose files changed; `serialized` counts the files written anew. */
  async save(now = Date.now()): Promise<{ bytes: number; serialized: number }> {
    const states = this.engine.fileStates();
    const groups: FileState[][] = [];
    for (let i = 0; i < states.length; i += SHARD_FILES) groups.push(states.slice(i, i + SHARD_FILES));
    let serialized = 0;
    const stamps = groups.map(stampsOf);
    const shards = await Promise.all(
      groups.map((g, i) => {
        const kept = this.shards.get(stamps[i]);
        if (kept) return kept;
        serialized += g.length;
        return gzip(g.map((st) => JSON.stringify(serializeState(st))).join('\n'), { level: 1 });
      }),
    );
    this.shards = new Map(shards.map((s, i) => [stamps[i], s]));
    const header: IndexHeader = { version: INDEX_VERSION, key: this.key, savedAt: now, files: states.length, shards: shards.map((s, i) => ({ files: groups[i].length, bytes: s.length })) };
    const data = frameIndex(header, shards);
    await writeFileAtomic(this.file, data);
    return { bytes: data.length, serialized };
  }
}

const stampsOf = (g: readonly FileState[]) => g.map(stampOf).join('\n');
