import * as fs from 'node:fs';
import { LineHandler, LineSplitter, SplitOptions } from './lineSplitter';

export type { LineHandler } from './lineSplitter';

/** How the reader opens files: a seam for tests that need a refusal root cannot get from permissions. */
export const readerIo = { open: (path: string): number => fs.openSync(path, 'r') };

/** What the reader remembers of one file between reads. */
export interface FilePosition {
  /** Bytes consumed: the end of the last complete line handled. */
  offset: number;
  size: number;
  mtimeMs: number;
  ino: number;
  dev: number;
  /** Complete lines consumed so far (line numbers are 1-based). */
  lines: number;
  /** The first bytes of the file, to notice a file rewritten in place. */
  head: Buffer;
  /** The last line was consumed before its newline arrived (it was already whole JSON). */
  tailOpen: boolean;
  /** Read as `.jsonl.zst`: offsets, lines and head are of the decompressed content. */
  compressed?: boolean;
}

export const HEAD_BYTES = 256;
export const DEFAULT_CHUNK = 1 << 20;

export interface ReadOptions extends SplitOptions {
  chunkSize?: number;
}

/** Up to this many new bytes are read in one synchronous call (a few ms at most); more are streamed. */
export const SYNC_READ_LIMIT = 4 << 20;

export interface ReadResult {
  /** The file was replaced, truncated or rewritten: the caller must drop what it had from it. */
  reset: boolean;
  position: FilePosition;
  bytesRead: number;
  /** Read, but not to its end (a compressed file still being written): read again when it changes. */
  incomplete?: string;
}

export function newPosition(): FilePosition {
  return { offset: 0, size: 0, mtimeMs: 0, ino: 0, dev: 0, lines: 0, head: Buffer.alloc(0), tailOpen: false };
}

let scratchBuf: Buffer | undefined;

/**
 * Chunk buffers of large reads, reused (several files are read at once, each takes one): a history
 * read in 1 MiB chunks no longer leaves the allocator with thousands of freed buffers.
 */
export const chunks = {
  free: [] as Buffer[],
  take(size: number): Buffer {
    const i = this.free.findIndex((b) => b.length === size);
    return i >= 0 ? this.free.splice(i, 1)[0] : Buffer.allocUnsafe(size);
  },
  give(b: Buffer): void {
    if (this.free.length < 16) this.free.push(b);
  },
};

/** A buffer of at least `n` bytes, the same one each time (for synchronous reads only). */
function scratch(n: number): Buffer {
  if (!scratchBuf || scratchBuf.length < n) scratchBuf = Buffer.allocUnsafe(Math.max(n, 256 * 1024));
  return scratchBuf.subarray(0, n);
}

/** Unchanged since the last read of the same representation (identity, size and mtime): nothing to read. */
export function unchanged(s: fs.Stats, prev: FilePosition | undefined, compressed: boolean): boolean {
  return !!prev && !!prev.compressed === compressed && s.ino === prev.ino && s.dev === prev.dev && s.size === prev.size && s.mtimeMs === prev.mtimeMs;
}

/**
 * Reads the bytes appended to a file since `prev`, streaming in chunks (never the whole file in memory),
 * and hands each complete line that passes the pre-filter to `onLine`. A half-written last line waits for
 * its newline (unless it is already a whole JSON value). A file that was replaced (inode), truncated
 * (smaller than the offset) or rewritten (its first bytes changed) is read again from the start with
 * `reset: true`, so its earlier contribution can be dropped first and nothing counts twice. A file that
 * was read compressed before (`.jsonl.zst`, decompressed back by a resume) continues where it was when
 * its first bytes match.
 */
export async function readAppended(
  path: string,
  prev: FilePosition | undefined,
  opts: ReadOptions,
  onLine: LineHandler,
  beforeReset?: () => void,
): Promise<ReadResult> {
  // Unchanged since the last read (identity, size and mtime): one stat, nothing opened.
  if (prev && unchanged(fs.statSync(path), prev, false)) return { reset: false, position: { ...prev }, bytesRead: 0 };
  // Plain fds and synchronous calls for open/stat/close and small reads (microseconds each, and far
  // cheaper than promise round trips over thousands of files); large reads stream asynchronously.
  const fd = readerIo.open(path);
  try {
    const st = fs.fstatSync(fd);
    let pos: FilePosition = prev ? { ...prev } : newPosition();
    let reset = false;
    if (prev) {
      // The same content in another representation (the .zst it was) is the same file.
      const sameFile = (st.ino === prev.ino && st.dev === prev.dev) || !!prev.compressed;
      let changed = !sameFile || st.size < prev.offset;
      if (!changed && prev.head.length > 0) {
        const head = Buffer.alloc(prev.head.length);
        const bytesRead = fs.readSync(fd, head, 0, head.length, 0);
        changed = bytesRead !== prev.head.length || !head.equals(prev.head);
      }
      if (changed) {
        reset = true;
        pos = newPosition();
        beforeReset?.();
      }
    }
    pos.ino = st.ino;
    pos.dev = st.dev;
    pos.size = st.size;
    pos.mtimeMs = st.mtimeMs;
    pos.compressed = false;

    // Small remainders (most files, most appends) in one synchronous read into a buffer reused by every
    // read (nothing else runs while it is used: the whole small path is synchronous); large ones are
    // streamed in chunks. Thousands of files no longer allocate a buffer each, which kept RSS high.
    const remaining = st.size - pos.offset;
    const split = new LineSplitter(opts, onLine, pos);
    let total = 0;
    if (remaining > 0 && remaining <= SYNC_READ_LIMIT) {
      const buf = scratch(remaining + 1);
      let filePos = pos.offset;
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, filePos);
        if (n === 0) break;
        filePos += n;
        total += n;
        split.push(buf, n);
      }
    } else if (remaining > 0) {
      const buf = chunks.take(opts.chunkSize ?? DEFAULT_CHUNK);
      try {
        let filePos = pos.offset;
        for (;;) {
          const n = await new Promise<number>((res, rej) => fs.read(fd, buf, 0, buf.length, filePos, (e, k) => (e ? rej(e) : res(k))));
          if (n === 0) break;
          filePos += n;
          total += n;
          split.push(buf, n);
        }
      } finally {
        chunks.give(buf);
      }
    }
    split.end();
    Object.assign(pos, split.position);
    if (pos.head.length < HEAD_BYTES && pos.offset > pos.head.length) {
      const head = Buffer.alloc(Math.min(HEAD_BYTES, pos.offset));
      const bytesRead = fs.readSync(fd, head, 0, head.length, 0);
      pos.head = head.subarray(0, bytesRead);
    }
    return { reset, position: pos, bytesRead: total };
  } finally {
    fs.closeSync(fd);
  }
}
