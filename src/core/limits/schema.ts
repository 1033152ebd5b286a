import { z } from 'zod';

const window = z
  .looseObject({
    utilization: z.number().finite().nullish(),
    resets_at: z.string().nullish(),
  })
  .nullish();

/** GET /api/oauth/usage: all keys optional, windows may be null, unknown keys are kept. */
export const ClaudeUsageResponseSchema = z.looseObject({
  five_hour: window,
  seven_day: window,
  seven_day_opus: window,
  seven_day_sonnet: window,
  seven_day_oauth_apps: window,
  extra_usage: z
    .looseObject({
      is_enabled: z.boolean().nullish(),
      monthly_limit: z.number().nullish(),
      used_credits: z.number().nullish(),
      utilization: z.number().nullish(),
      currency: z.string().nullish(),
    })
    .nullish(),
  limits: z
    .array(
      z.looseObject({
        kind: z.string(),
        group: z.string().nullish(),
        percent: z.number().finite(),
        resets_at: z.string().nullish(),
        is_active: z.boolean().nullish(),
      }),
    )
    .nullish(),
});
export type ClaudeUsageResponse = z.infer<typeof ClaudeUsageResponseSchema>;

/** `.credentials.json` / the Keychain item: only the access token is read. */
export const ClaudeCredentialsSchema = z.looseObject({
  claudeAiOauth: z
    .looseObject({
      accessToken: z.string().min(1),
      expiresAt: z.number().nullish(),
      subscriptionType: z.string().nullish(),
    })
    .nullish(),
});

/** One official Claude window, named by its key in the answer. */
export interface ClaudeWindow {
  /** `fiveHour`, `weekly` (seven_day), or the answer's key for others (`seven_day_opus`, ...). */
  name: string;
  label: string;
  percent: number;
  resetsAt?: number;
}

const LABELS: Record<string, [string, string]> = {
  five_hour: ['fiveHour', '5-hour'],
  seven_day: ['weekly', 'Weekly'],
  seven_day_opus: ['weeklyOpus', 'Weekly Opus'],
  seven_day_sonnet: ['weeklySonnet', 'Weekly Sonnet'],
  seven_day_oauth_apps: ['weeklyOauthApps', 'Weekly OAuth apps'],
};

/** The windows of an answer, new `{utilization, resets_at}` keys included. */
export function claudeWindows(r: ClaudeUsageResponse): ClaudeWindow[] {
  const out: ClaudeWindow[] = [];
  for (const [key, value] of Object.entries(r)) {
    if (!value || typeof value !== 'object' || Array.isArray(value) || key === 'extra_usage') continue;
    const w = value as { utilization?: unknown; resets_at?: unknown };
    if (typeof w.utilization !== 'number' || !Number.isFinite(w.utilization)) continue;
    const [name, label] = LABELS[key] ?? [key, key.replace(/_/g, ' ')];
    const t = typeof w.resets_at === 'string' ? Date.parse(w.resets_at) : NaN;
    out.push({ name, label, percent: w.utilization, resetsAt: Number.isFinite(t) ? t : undefined });
  }
  return out;
}
