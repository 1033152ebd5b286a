/** Splits a byte stream into JSONL lines, remembering where it stopped; shared by plain and compressed reads. */

export interface SplitOptions {
  /** Decides from its bytes whether a line is worth JSON.parse (a cheap pre-filter). */
  accept: (line: Buffer) => boolean;
  /**
   * Asked once about a line that grows past EARLY_BYTES before its newline, with its first bytes:
   * false drops the rest of the line unbuffered (a huge snapshot or tool result costs no memory).
   */
  early?: (head: Buffer) => boolean;
}

export type LineHandler = (line: Buffer, lineNo: number) => void;

/** How much of a long line is buffered before `early` decides about it. */
export const EARLY_BYTES = 64 * 1024;

export interface SplitPosition {
  /** Bytes consumed: the end of the last complete line handled. */
  offset: number;
  /** Complete lines consumed so far (line numbers are 1-based). */
  lines: number;
  /** The last line was consumed before its newline arrived (it was already whole JSON). */
  tailOpen: boolean;
}

/** Does a final line without its newline hold a whole JSON value already? */
function isCompleteJson(line: Buffer): boolean {
  try {
    JSON.parse(line.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

export class LineSplitter {
  offset: number;
  lines: number;
  tailOpen: boolean;
  private carry: Buffer[] = [];
  private carryLen = 0;
  /** The current line was judged by `early` (kept). */
  private judged = false;
  /** The current line is being dropped: bytes seen of it so far. */
  private skipping = -1;

  constructor(
    private readonly opts: SplitOptions,
    private readonly onLine: LineHandler,
    from: SplitPosition,
  ) {
    this.offset = from.offset;
    this.lines = from.lines;
    this.tailOpen = from.tailOpen;
  }

  /** Hands over `buf[0, n)`; `buf` may be reused by the caller afterwards. */
  push(buf: Buffer, n = buf.length): void {
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl === -1 || nl >= n) break;
      if (this.skipping >= 0) {
        this.offset += this.skipping + (nl - start) + 1;
        this.skipping = -1;
        this.endLine();
        this.lines++;
        start = nl + 1;
        continue;
      }
      let line = buf.subarray(start, nl);
      if (this.carryLen > 0) {
        this.carry.push(line);
        line = Buffer.concat(this.carry, this.carryLen + line.length);
      }
      this.offset += line.length + 1;
      start = nl + 1;
      const wasTail = this.tailOpen;
      this.endLine();
      if (wasTail && line.length === 0) continue; // the newline of a line already consumed
      this.lines++;
      if (line.length > 0 && this.opts.accept(line)) this.onLine(line, this.lines);
    }
    if (start >= n) return;
    if (this.skipping >= 0) {
      this.skipping += n - start;
      return;
    }
    const rest = Buffer.from(buf.subarray(start, n)); // copy: buf is reused
    this.carry.push(rest);
    this.carryLen += rest.length;
    if (this.opts.early && !this.judged && this.carryLen >= EARLY_BYTES) {
      this.judged = true;
      const head = Buffer.concat(this.carry, this.carryLen).subarray(0, EARLY_BYTES);
      if (!this.opts.early(head)) {
        this.skipping = this.carryLen;
        this.carry = [];
        this.carryLen = 0;
      }
    }
  }

  /** End of the available bytes: a last line without its newline counts if it is whole JSON already. */
  end(): void {
    if (this.carryLen === 0 || this.skipping >= 0) return;
    const tail = Buffer.concat(this.carry, this.carryLen);
    if (this.opts.accept(tail) && isCompleteJson(tail)) {
      this.lines++;
      this.offset += tail.length;
      this.tailOpen = true;
      this.carry = [];
      this.carryLen = 0;
      this.onLine(tail, this.lines);
    }
  }

  get position(): SplitPosition {
    return { offset: this.offset, lines: this.lines, tailOpen: this.tailOpen };
  }

  private endLine(): void {
    this.carry = [];
    this.carryLen = 0;
    this.judged = false;
    this.tailOpen = false;
  }
}
