import { CLAUDE_NEEDLES } from '../claude/parse';
import { CODEX_NEEDLES } from '../codex/session';
import { Source } from '../discovery';
import { CLAUDE_TITLE_NEEDLE, CODEX_TITLE_NEEDLE } from '../titles';
import { SplitOptions } from './lineSplitter';

/** Cheap byte pre-filters: which lines are worth JSON.parse. Most of a log's bytes never reach it. */

const claudeNeedles = CLAUDE_NEEDLES.map((s) => Buffer.from(s));
const codexNeedles = CODEX_NEEDLES.map((s) => Buffer.from(s));
// Until a file's title is known, its prompt lines pass the pre-filter too.
const claudeTitleNeedles = [...claudeNeedles, Buffer.from(CLAUDE_TITLE_NEEDLE)];
const codexTitleNeedles = [...codexNeedles, Buffer.from(CODEX_TITLE_NEEDLE)];
/** A prompt is a short line; a longer one that only matched the title needle (a tool result) is not parsed. */
export const TITLE_MAX_LINE = 32 * 1024;
/**
 * Claude Code writes `"role":"user"` in a user message's first few hundred bytes; user messages never carry
 * usage, and their tool results are most of a transcript's bytes: they are skipped without a full scan.
 */
const CLAUDE_USER_MARKER = Buffer.from('"role":"user"');
const USER_MARKER_WINDOW = 1024;
/**
 * `file-history-snapshot` lines (file backups, written first in the line) carry no usage and can make a
 * transcript hundreds of MB: rejected from their first bytes, and a long one is dropped unbuffered.
 */
const CLAUDE_SNAPSHOT_MARKER = Buffer.from('"type":"file-history-snapshot"');
const SNAPSHOT_MARKER_WINDOW = 64;
/** Codex writes the line type at the start of its envelope: `{"timestamp":"…","type":"event_msg","payload":{"type":"token_count"`. */
const CODEX_NEEDLE_WINDOW = 512;

function hasAny(b: Buffer, needles: Buffer[], window?: number): boolean {
  const part = window !== undefined && b.length > window ? b.subarray(0, window) : b;
  return needles.some((n) => part.indexOf(n) !== -1);
}

const isSnapshot = (head: Buffer) => head.subarray(0, SNAPSHOT_MARKER_WINDOW).indexOf(CLAUDE_SNAPSHOT_MARKER) !== -1;

/** Is this Claude line one that never carries usage, judged from its first bytes? */
function claudeNoUsage(head: Buffer): boolean {
  if (isSnapshot(head)) return true;
  return head.length > USER_MARKER_WINDOW && head.subarray(0, USER_MARKER_WINDOW).indexOf(CLAUDE_USER_MARKER) !== -1;
}

/** Does a line (that passed the filter) carry usage rather than only a prompt? */
export function mayCarryUsage(source: Source, line: Buffer): boolean {
  return source === 'claude' ? hasAny(line, claudeNeedles) : hasAny(line, codexNeedles, CODEX_NEEDLE_WINDOW);
}

/**
 * The pre-filter of one file's lines, for its current state: usage lines always; prompt lines while a
 * title is wanted; Claude user messages and snapshots skipped from their start. A line longer than the
 * splitter buffers is judged from its first 64 KB: longer than any prompt worth a title, so only a line
 * that may carry usage is kept whole.
 */
export function lineFilter(source: Source, seekingTitle: () => boolean): SplitOptions {
  const window = source === 'codex' ? CODEX_NEEDLE_WINDOW : undefined;
  const usage = source === 'claude' ? claudeNeedles : codexNeedles;
  const titled = source === 'claude' ? claudeTitleNeedles : codexTitleNeedles;
  return {
    accept: (line) => {
      if (!seekingTitle()) {
        if (source === 'claude' && claudeNoUsage(line)) return false;
        return hasAny(line, usage, window);
      }
      if (source === 'claude' && isSnapshot(line)) return false;
      return hasAny(line, titled, window);
    },
    early: (head) => (source === 'claude' ? !claudeNoUsage(head) : hasAny(head, usage, window)),
  };
}

/** NUL padding (a file preallocated or cut by a crash) and blanks around a line are not part of it. */
export function trimPadding(b: Buffer): Buffer {
  let start = 0;
  let end = b.length;
  while (start < end && (b[start] === 0 || b[start] === 32 || b[start] === 9 || b[start] === 13)) start++;
  while (end > start && (b[end - 1] === 0 || b[end - 1] === 32 || b[end - 1] === 9 || b[end - 1] === 13)) end--;
  return start === 0 && end === b.length ? b : b.subarray(start, end);
}
