/** Token counts in one unit everywhere: what the provider billed, split by kind. */
export interface TokenCounts {
  /** Input tokens not served from cache (Codex: input_tokens - cached_input_tokens). */
  input: number;
  /** Output tokens; for Codex this already includes reasoning tokens. */
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  /** Reasoning tokens: informational, already inside `output`, never added to totals. */
  reasoning: number;
}

export function zeroTokens(): TokenCounts {
  return { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0 };
}

export function addTokens(into: TokenCounts, t: TokenCounts): TokenCounts {
  into.input += t.input;
  into.output += t.output;
  into.cacheWrite5m += t.cacheWrite5m;
  into.cacheWrite1h += t.cacheWrite1h;
  into.cacheRead += t.cacheRead;
  into.reasoning += t.reasoning;
  return into;
}

export function cacheCreation(t: TokenCounts): number {
  return t.cacheWrite5m + t.cacheWrite1h;
}

/** input + output + cache creation + cache read (reasoning is inside output). */
export function totalTokens(t: TokenCounts): number {
  return t.input + t.output + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
}

/** Prompt size of one request: everything the model read. */
export function promptTokens(t: TokenCounts): number {
  return t.input + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
}
