import { z } from 'zod';

const count = z.number().int().nonnegative();
const optCount = count.nullish();

/** `message.usage` of an assistant line; unknown keys are kept. */
export const ClaudeUsageSchema = z.looseObject({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: optCount,
  cache_read_input_tokens: optCount,
  cache_creation: z
    .looseObject({
      ephemeral_5m_input_tokens: optCount,
      ephemeral_1h_input_tokens: optCount,
    })
    .nullish(),
  speed: z.string().nullish(),
  service_tier: z.string().nullish(),
});

/** An assistant transcript line (Claude Code 1.0 .. 2.x). Only what accounting needs is required. */
export const ClaudeAssistantLineSchema = z.looseObject({
  type: z.literal('assistant'),
  timestamp: z.string(),
  uuid: z.string().nullish(),
  sessionId: z.string().nullish(),
  cwd: z.string().nullish(),
  gitBranch: z.string().nullish(),
  version: z.string().nullish(),
  isSidechain: z.boolean().nullish(),
  agentId: z.string().nullish(),
  requestId: z.string().nullish(),
  costUSD: z.number().nonnegative().nullish(),
  isApiErrorMessage: z.boolean().nullish(),
  message: z.looseObject({
    id: z.string().nullish(),
    model: z.string().nullish(),
    usage: ClaudeUsageSchema.nullish(),
  }),
});

export type ClaudeAssistantLine = z.infer<typeof ClaudeAssistantLineSchema>;
