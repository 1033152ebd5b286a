/**
 * Offline price table, USD per million tokens, checked 2026-11.
 * Claude: Anthropic's list prices (5m cache write = 1.25x input, 1h = 2x input, cache read = 0.1x input).
 * OpenAI: list prices; cached input is what Codex reports as cached_input_tokens. OpenAI bills a cache
 * write (Codex's cache_write_input_tokens) as ordinary input: its cache-write rate is the input rate.
 * `longContext`: when one request's prompt (input + cache write + cache read) exceeds `above` tokens,
 * the whole request is billed at these rates (Anthropic's and OpenAI's long-context rule).
 */
export interface Rates {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

export interface ModelPrice extends Rates {
  provider: 'anthropic' | 'openai';
  longContext?: Rates & { above: number };
}

const claude = (input: number, output: number, longContext?: { input: number; output: number }): ModelPrice => ({
  provider: 'anthropic',
  input,
  output,
  cacheWrite5m: input * 1.25,
  cacheWrite1h: input * 2,
  cacheRead: input * 0.1,
  longContext: longContext && {
    above: 200_000,
    input: longContext.input,
    output: longContext.output,
    cacheWrite5m: longContext.input * 1.25,
    cacheWrite1h: longContext.input * 2,
    cacheRead: longContext.input * 0.1,
  },
});

const openai = (input: number, cached: number, output: number, longContextAbove?: number): ModelPrice => ({
  provider: 'openai',
  input,
  output,
  cacheWrite5m: input,
  cacheWrite1h: input,
  cacheRead: cached,
  longContext: longContextAbove
    ? { above: longContextAbove, input: input * 2, output: output * 1.5, cacheWrite5m: input * 2, cacheWrite1h: input * 2, cacheRead: cached * 2 }
    : undefined,
});

/** Keys are normalised model names (see normaliseModel). */
export const PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-4-8': claude(5, 25),
  'claude-opus-4-7': claude(5, 25),
  'claude-opus-4-6': claude(5, 25),
  'claude-opus-4-5': claude(5, 25),
  'claude-opus-4-1': claude(15, 75),
  'claude-opus-4': claude(15, 75),
  'claude-sonnet-4-6': claude(3, 15),
  'claude-sonnet-4-5': claude(3, 15, { input: 6, output: 22.5 }),
  'claude-sonnet-4': claude(3, 15, { input: 6, output: 22.5 }),
  'claude-3-7-sonnet': claude(3, 15),
  'claude-3-5-sonnet': claude(3, 15),
  'claude-haiku-4-5': claude(1, 5),
  'claude-3-5-haiku': claude(0.8, 4),
  'claude-3-opus': claude(15, 75),
  'claude-3-haiku': claude(0.25, 1.25),

  'gpt-5.6': openai(4, 0.4, 20, 272_000),
  'gpt-5.5': openai(5, 0.5, 30, 272_000),
  'gpt-5.4': openai(2.5, 0.25, 15, 272_000),
  'gpt-5.4-mini': openai(0.75, 0.075, 4.5),
  'gpt-5.4-nano': openai(0.2, 0.02, 1.25),
  'gpt-5.3-codex': openai(1.75, 0.175, 14),
  'gpt-5.2-codex': openai(1.75, 0.175, 14),
  'gpt-5.2': openai(1.75, 0.175, 14),
  'gpt-5.1-codex-max': openai(1.25, 0.125, 10),
  'gpt-5.1-codex-mini': openai(0.25, 0.025, 2),
  'gpt-5.1-codex': openai(1.25, 0.125, 10),
  'gpt-5.1': openai(1.25, 0.125, 10),
  'gpt-5-codex': openai(1.25, 0.125, 10),
  'gpt-5-mini': openai(0.25, 0.025, 2),
  'gpt-5-nano': openai(0.05, 0.005, 0.4),
  'gpt-5': openai(1.25, 0.125, 10),
  'gpt-4.1': openai(2, 0.5, 8),
  'gpt-4.1-mini': openai(0.4, 0.1, 1.6),
  'o3': openai(2, 0.5, 8),
  'o4-mini': openai(1.1, 0.275, 4.4),
  'codex-mini-latest': openai(1.5, 0.375, 6),
};
