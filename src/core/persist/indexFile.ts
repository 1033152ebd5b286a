import { createHash } from 'node:crypto';

/** Bump when the stored shape or the accounting rules change: an old index is discarded and rebuilt. */
export const INDEX_VERSION = 4;

/** A short key of the log roots (and sources) an index or a saved view was built from. */
export function indexKey(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}
