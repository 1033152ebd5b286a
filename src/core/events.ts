import { Source } from './discovery';
import { TokenCounts } from './tokens';

/** One counted request (Claude) or turn increment (Codex), after deduplication. */
export interface UsageEvent {
  /** Unique among the events counted at one time (`c:<message>:<request>`, `x:<session>:<n>`). */
  id: string;
  source: Source;
  /** Epoch ms (UTC). */
  timestamp: number;
  sessionId: string;
  model: string;
  tokens: TokenCounts;
  /** USD; undefined when the model has no price (reported as unpriced, never as $0). */
  cost: number | undefined;
  /** The cost was written in the log by the agent itself (Claude Code <= 1.0.8). */
  costFromLog: boolean;
}

/** What a thread's logs say about where it ran. */
export interface ThreadHints {
  source: Source;
  sessionId: string;
  file: string;
  cwd?: string;
  branch?: string;
  repositoryUrl?: string;
  /** The first prompt, shortened (local UI only; never exported). */
  title?: string;
  /** Its log file has been deleted since: the figures come from what was read before. */
  logDeleted?: boolean;
}
