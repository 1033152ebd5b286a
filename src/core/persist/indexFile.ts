import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { writeFileAtomic } from '../limits/sharedState';

/** Bump when the stored shape or the accounting rules change: an old index is discarded and rebuilt. */
export const INDEX_VERSION = 2;

export interface IndexEnvelope<T> {
  version: number;
  /** Which log roots the index was built from. */
  key: string;
  savedAt: number;
  data: T;
}

export function indexKey(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

export type LoadResult<T> = { kind: 'ok'; data: T; savedAt: number } | { kind: 'absent' } | { kind: 'discarded'; reason: string };

/** Reads an index: gzip of JSON. A corrupt file, another version or other roots are discarded (never thrown). */
export async function loadIndex<T>(file: string, key: string): Promise<LoadResult<T>> {
  let buf: Buffer;
  try {
    buf = await fsp.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'discarded', reason: `unreadable (${(e as NodeJS.ErrnoException).code})` };
  }
  let env: IndexEnvelope<T>;
  try {
    env = JSON.parse(gunzipSync(buf).toString('utf8')) as IndexEnvelope<T>;
  } catch {
    return { kind: 'discarded', reason: 'corrupted' };
  }
  if (!env || typeof env !== 'object' || env.version !== INDEX_VERSION) return { kind: 'discarded', reason: `version ${String(env?.version)} (this build reads ${INDEX_VERSION})` };
  if (env.key !== key) return { kind: 'discarded', reason: 'built from other log folders' };
  return { kind: 'ok', data: env.data, savedAt: env.savedAt };
}

/**
 * Writes an index atomically (temporary file renamed over the old one). Returns its size in bytes.
 * gzip level 1: on the 1.3 GB benchmark history it writes in 40% of level 6's time for 10% more bytes,
 * and reads as fast (gzip JSON was measured against v8.serialize, raw and gzipped: no faster to load).
 */
export async function saveIndex<T>(file: string, key: string, data: T, now = Date.now()): Promise<number> {
  const env: IndexEnvelope<T> = { version: INDEX_VERSION, key, savedAt: now, data };
  const gz = gzipSync(Buffer.from(JSON.stringify(env)), { level: 1 });
  await writeFileAtomic(file, gz);
  return gz.length;
}
