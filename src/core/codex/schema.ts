import { z } from 'zod';

const count = z.number().int().nonnegative();

export const CodexTokenUsageSchema = z.looseObject({
  input_tokens: count,
  cached_input_tokens: count.nullish(),
  /** A part of input_tokens, like cached_input_tokens (newer codex-rs; may first appear mid-session). */
  cache_write_input_tokens: count.nullish(),
  output_tokens: count,
  reasoning_output_tokens: count.nullish(),
  total_tokens: count.nullish(),
});
export type CodexTokenUsage = z.infer<typeof CodexTokenUsageSchema>;

const percent = z.number().finite();
const minutes = z.number().finite().nullish();

export const CodexWindowSchema = z.looseObject({
  used_percent: percent,
  window_minutes: minutes,
  resets_at: z.union([z.number().finite(), z.string()]).nullish(),
  resets_in_seconds: z.number().finite().nullish(),
});
export type CodexWindow = z.infer<typeof CodexWindowSchema>;

/** `rate_limits` in all its shapes: nested primary/secondary (0.41+) or the flat fields of 0.40. */
export const CodexRateLimitsSchema = z.looseObject({
  limit_id: z.string().nullish(),
  limit_name: z.string().nullish(),
  rate_limit_reached_type: z.unknown().optional(),
  primary: CodexWindowSchema.nullish(),
  secondary: CodexWindowSchema.nullish(),
  plan_type: z.string().nullish(),
  primary_used_percent: percent.nullish(),
  secondary_used_percent: percent.nullish(),
  weekly_used_percent: percent.nullish(),
  primary_window_minutes: minutes,
  secondary_window_minutes: minutes,
  weekly_window_minutes: minutes,
  primary_resets_in_seconds: z.number().finite().nullish(),
  secondary_resets_in_seconds: z.number().finite().nullish(),
  weekly_resets_in_seconds: z.number().finite().nullish(),
});
export type CodexRateLimits = z.infer<typeof CodexRateLimitsSchema>;

export const CodexTokenCountSchema = z.looseObject({
  type: z.literal('token_count'),
  info: z
    .looseObject({
      total_token_usage: CodexTokenUsageSchema.nullish(),
      last_token_usage: CodexTokenUsageSchema.nullish(),
      model_context_window: z.number().nullish(),
    })
    .nullish(),
  rate_limits: CodexRateLimitsSchema.nullish(),
});

export const CodexSessionMetaSchema = z.looseObject({
  id: z.string(),
  forked_from_id: z.string().nullish(),
  timestamp: z.string().nullish(),
  cwd: z.string().nullish(),
  originator: z.string().nullish(),
  cli_version: z.string().nullish(),
  source: z.unknown().optional(),
  model_provider: z.string().nullish(),
  git: z
    .looseObject({
      commit_hash: z.string().nullish(),
      branch: z.string().nullish(),
      repository_url: z.string().nullish(),
    })
    .nullish(),
});
export type CodexSessionMeta = z.infer<typeof CodexSessionMetaSchema>;

export const CodexTurnContextSchema = z.looseObject({
  cwd: z.string().nullish(),
  model: z.string().nullish(),
});

/** The envelope of Codex 0.32+ lines. */
export const CodexEnvelopeSchema = z.looseObject({
  timestamp: z.string(),
  type: z.string(),
  payload: z.unknown(),
});
