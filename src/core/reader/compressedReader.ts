import * as fs from 'node:fs';
import { Decompress } from 'fzstd';
import { DEFAULT_CHUNK, FilePosition, HEAD_BYTES, ReadOptions, ReadResult, chunks, newPosition, readerIo, unchanged } from './incrementalReader';
import { LineHandler, LineSplitter } from './lineSplitter';

/** A compressed file is decompressed again from its start: what was consumed before is skipped, not parsed. */
class Restart extends Error {}

/**
 * Reads a `.jsonl.zst` rollout (codex-rs compresses cold ones with zstd), streamed: the file in chunks,
 * decompressed as it goes (fzstd, pure JavaScript), never whole in memory. Offsets, line numbers and the
 * head are of the decompressed content, so a file read plain before and compressed since continues where
 * it was (its decompressed head matches), and so does a compressed one read again. Content that does
 * not continue what was read (another head, or shorter) is read from its start with `reset: true`.
 */
export async function readCompressed(
  path: string,
  prev: FilePosition | undefined,
  opts: ReadOptions,
  onLine: LineHandler,
  beforeReset?: () => void,
): Promise<ReadResult> {
  if (prev && unchanged(fs.statSync(path), prev, true)) return { reset: false, position: { ...prev }, bytesRead: 0 };
  try {
    return await readOnce(path, prev, opts, onLine);
  } catch (e) {
    if (!(e instanceof Restart)) throw e;
    beforeReset?.();
    const r = await readOnce(path, undefined, opts, onLine);
    return { ...r, reset: true };
  }
}

async function readOnce(path: string, prev: FilePosition | undefined, opts: ReadOptions, onLine: LineHandler): Promise<ReadResult> {
  const fd = readerIo.open(path);
  try {
    const st = fs.fstatSync(fd);
    const pos: FilePosition = prev ? { ...prev, head: prev.head } : newPosition();
    const skip = prev?.offset ?? 0;
    const split = new LineSplitter(opts, onLine, pos);
    const head: Buffer[] = [];
    let headLen = 0;
    let out = 0; // decompressed bytes so far
    const onData = (data: Uint8Array) => {
      const chunk = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      if (headLen < HEAD_BYTES) {
        const part = Buffer.from(chunk.subarray(0, HEAD_BYTES - headLen));
        head.push(part);
        headLen += part.length;
        // Content that starts differently is another file: read it from its start.
        if (prev && prev.head.length > 0) {
          const have = Buffer.concat(head, headLen);
          const n = Math.min(have.length, prev.head.length);
          if (!have.subarray(0, n).equals(prev.head.subarray(0, n))) throw new Restart();
        }
      }
      const from = out;
      out += chunk.length;
      if (out <= skip) return;
      split.push(from >= skip ? chunk : chunk.subarray(skip - from));
    };
    const dec = new Decompress(onData);
    const buf = chunks.take(opts.chunkSize ?? DEFAULT_CHUNK);
    let filePos = 0;
    let incomplete: string | undefined;
    for (;;) {
      const n = await new Promise<number>((res, rej) => fs.read(fd, buf, 0, buf.length, filePos, (e, k) => (e ? rej(e) : res(k))));
      filePos += n;
      try {
        // fzstd may keep a view of its input: hand it a copy of the reused buffer.
        dec.push(n > 0 ? Uint8Array.prototype.slice.call(buf, 0, n) : new Uint8Array(0), n === 0 || filePos >= st.size);
      } catch (e) {
        if (e instanceof Restart) throw e;
        // A compressed file cut short (still being written, or damaged): what decoded so far counts.
        incomplete = `compressed stream: ${(e as Error).message}`;
        break;
      }
      if (n === 0 || filePos >= st.size) break;
    }
    chunks.give(buf);
    if (prev && out < skip) throw new Restart(); // shorter than what was read: not a continuation
    if (!incomplete) split.end();
    Object.assign(pos, split.position);
    pos.ino = st.ino;
    pos.dev = st.dev;
    pos.size = st.size;
    pos.mtimeMs = st.mtimeMs;
    pos.compressed = true;
    if (pos.head.length < HEAD_BYTES) pos.head = Buffer.concat(head, headLen).subarray(0, Math.min(HEAD_BYTES, pos.offset));
    return { reset: false, position: pos, bytesRead: filePos, ...(incomplete ? { incomplete } : {}) };
  } finally {
    fs.closeSync(fd);
  }
}
