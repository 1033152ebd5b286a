import { z } from 'zod';
import { Severity, WindowBase, WindowId, windowId } from './windows';

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
        // A limit without a value yet (null) is listed but has nothing to show.
        percent: z.number().finite().nullish(),
        resets_at: z.string().nullish(),
        severity: z.string().nullish(),
        scope: z.unknown().optional(),
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

/** One official Claude window. */
export interface ClaudeWindow extends WindowId {
  percent: number;
  resetsAt?: number;
  severity?: Severity;
  /** `is_active` as the endpoint sends it (a window it lists as not active is kept, never alerted on when its kind is unknown). */
  isActive?: boolean;
  /** `limits[]` kind (`session`, `weekly_scoped`, ...) or the legacy key (`five_hour`, ...). */
  kind: string;
}

type LimitEntry = NonNullable<ClaudeUsageResponse['limits']>[number];

/** Kinds of `limits[]` entries this build knows, by the window length they measure. */
const KIND_BASE: Record<string, WindowBase> = { session: 'fiveHour', session_scoped: 'fiveHour', weekly_all: 'weekly', weekly_scoped: 'weekly' };
export const KNOWN_LIMIT_KINDS = new Set(Object.keys(KIND_BASE));

/** Legacy top-level keys: `seven_day_<x>` is the weekly window scoped to x. */
const LEGACY: Record<string, { base: WindowBase; scope?: string }> = {
  five_hour: { base: 'fiveHour' },
  seven_day: { base: 'weekly' },
  seven_day_oauth_apps: { base: 'weekly', scope: 'OAuth apps' },
};

function scopeName(scope: unknown): string | undefined {
  if (!scope || typeof scope !== 'object') return undefined;
  for (const k of ['model', 'surface', 'product'] as const) {
    const v = (scope as Record<string, unknown>)[k];
    const name = v && typeof v === 'object' ? (v as { display_name?: unknown; id?: unknown }).display_name ?? (v as { id?: unknown }).id : undefined;
    if (typeof name === 'string' && name.trim()) return name;
  }
  return undefined;
}

function fromLimit(l: LimitEntry): ClaudeWindow | undefined {
  if (typeof l.percent !== 'number') return undefined;
  const scoped = l.kind.endsWith('_scoped');
  const base = KIND_BASE[l.kind] ?? (l.kind.replace(/_(?:all|scoped)$/, '') || l.kind);
  const scope = scopeName(l.scope) ?? (scoped ? (l.group ?? 'scoped') : undefined);
  const t = l.resets_at ? Date.parse(l.resets_at) : NaN;
  return {
    ...windowId(base, scope),
    percent: l.percent,
    resetsAt: Number.isFinite(t) ? t : undefined,
    ...(l.severity ? { severity: l.severity } : {}),
    ...(typeof l.is_active === 'boolean' ? { isActive: l.is_active } : {}),
    kind: l.kind,
  };
}

/**
 * The windows of an answer. `limits[]` is the real list (per-model weekly limits arrive only there) and
 * wins; the legacy keys (`five_hour`, `seven_day`, `seven_day_<model>`, code-named buckets) fill in what
 * it lacks. No window is listed twice: names are unique.
 */
export function claudeWindows(r: ClaudeUsageResponse): ClaudeWindow[] {
  const out = new Map<string, ClaudeWindow>();
  for (const l of r.limits ?? []) {
    const w = fromLimit(l);
    if (w && !out.has(w.name)) out.set(w.name, w);
  }
  for (const [key, value] of Object.entries(r)) {
    if (!value || typeof value !== 'object' || Array.isArray(value) || key === 'extra_usage') continue;
    const v = value as { utilization?: unknown; resets_at?: unknown };
    if (typeof v.utilization !== 'number' || !Number.isFinite(v.utilization)) continue;
    const legacy = LEGACY[key] ?? (key.startsWith('seven_day_') ? { base: 'weekly', scope: key.slice('seven_day_'.length).replace(/_/g, ' ') } : { base: key });
    const id = windowId(legacy.base, legacy.scope);
    if (out.has(id.name)) continue;
    const t = typeof v.resets_at === 'string' ? Date.parse(v.resets_at) : NaN;
    out.set(id.name, { ...id, percent: v.utilization, resetsAt: Number.isFinite(t) ? t : undefined, kind: key });
  }
  return [...out.values()];
}
