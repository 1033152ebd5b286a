import { TokenCounts, totalTokens } from '../tokens';
import { ClaudeAssistantLineSchema } from './schema';
import { describeZodError } from '../diagnostics';

/** One assistant API response as seen in one line of one file. */
export interface ClaudeRecord {
  /** Deduplication key: `message.id:requestId`, or `message.id` when the request id is missing. */
  key: string;
  messageId: string;
  timestamp: number;
  sessionId: string;
  model: string;
  tokens: TokenCounts;
  total: number;
  sidechain: boolean;
  cwd?: string;
  gitBranch?: string;
  /** Cost written by Claude Code itself (versions up to 1.0.8). */
  costUSD?: number;
  file: string;
  line: number;
}

export type ClaudeLineResult =
  | { kind: 'record'; record: ClaudeRecord }
  | { kind: 'skip' }
  | { kind: 'problem'; reason: string };

/** Byte strings a line must contain to be worth JSON.parse. */
export const CLAUDE_NEEDLES = ['"usage"'];

const SKIP: ClaudeLineResult = { kind: 'skip' };

/**
 * Turns one parsed JSON value into a usage record. Lines of other types, API error lines and
 * `<synthetic>` lines are skipped; malformed assistant lines are problems (never thrown).
 */
export function claudeRecordFromJson(value: unknown, file: string, line: number, fallbackSessionId: string): ClaudeLineResult {
  if (typeof value !== 'object' || value === null || (value as { type?: unknown }).type !== 'assistant') return SKIP;
  const msg = (value as { message?: unknown }).message;
  if (typeof msg !== 'object' || msg === null || !('usage' in msg)) return SKIP;
  const parsed = ClaudeAssistantLineSchema.safeParse(value);
  if (!parsed.success) return { kind: 'problem', reason: describeZodError(parsed.error) };
  const v = parsed.data;
  if (v.isApiErrorMessage) return SKIP;
  const model = v.message.model ?? 'unknown';
  if (model === '<synthetic>') return SKIP;
  const u = v.message.usage;
  if (!u) return SKIP;
  const timestamp = Date.parse(v.timestamp);
  if (!Number.isFinite(timestamp)) return { kind: 'problem', reason: `timestamp: not a date` };

  // Before 2.1.152 cache_creation_input_tokens could be 0 while the ephemeral breakdown was not.
  const e5 = u.cache_creation?.ephemeral_5m_input_tokens ?? 0;
  const e1 = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  const flat = u.cache_creation_input_tokens ?? 0;
  const useBreakdown = e5 + e1 > 0;
  const tokens: TokenCounts = {
    input: u.input_tokens,
    output: u.output_tokens,
    cacheWrite5m: useBreakdown ? e5 : flat,
    cacheWrite1h: useBreakdown ? e1 : 0,
    cacheRead: u.cache_read_input_tokens ?? 0,
    reasoning: 0,
  };
  const messageId = v.message.id ?? v.uuid ?? `${file}:${line}`;
  return {
    kind: 'record',
    record: {
      key: v.requestId ? `${messageId}:${v.requestId}` : messageId,
      messageId,
      timestamp,
      sessionId: v.sessionId ?? fallbackSessionId,
      model,
      tokens,
      total: totalTokens(tokens),
      sidechain: v.isSidechain === true,
      cwd: v.cwd ?? undefined,
      gitBranch: v.gitBranch ?? undefined,
      costUSD: v.costUSD ?? undefined,
      file,
      line,
    },
  };
}
