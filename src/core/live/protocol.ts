/**
 * Messages between the extension host and the engine's worker thread. What the host sends is
 * validated with zod on arrival; no token ever crosses (Claude's shared limit state holds the
 * endpoint's answer only).
 */
import { z } from 'zod';
import { SharedLimitStateSchema } from '../limits/sharedState';
import { WEEKDAYS } from '../time';
import type { PeriodRow } from '../reports/periods';
import type { SessionRow } from '../reports/sessions';
import type { ViewModel, ViewPatch } from '../view/model';

export const LiveConfigSchema = z.object({
  claudeRoots: z.array(z.string()),
  codexHome: z.string(),
  timezone: z.string(),
  weekStartsOn: z.enum(WEEKDAYS),
  historyDays: z.number().positive(),
  workspaceFolders: z.array(z.string()),
  staleAfterMs: z.number().nonnegative(),
  indexFile: z.string().optional(),
  watch: z.boolean().optional(),
});

export const ToWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), config: LiveConfigSchema }),
  z.object({ type: z.literal('configure'), config: LiveConfigSchema }),
  z.object({ type: z.literal('claude'), state: SharedLimitStateSchema.optional() }),
  z.object({ type: z.literal('paths'), paths: z.array(z.string()) }),
  z.object({ type: z.literal('call'), id: z.number(), what: z.enum(['refresh', 'save', 'export', 'idle']) }),
]);
export type ToWorker = z.infer<typeof ToWorkerSchema>;

export interface ExportRows {
  daily: PeriodRow[];
  sessions: SessionRow[];
}

export type FromWorker =
  | { type: 'full'; view: ViewModel }
  | { type: 'patch'; patch: ViewPatch }
  | { type: 'log'; level: 'info' | 'warn' | 'error' | 'debug'; message: string }
  | { type: 'reply'; id: number; result?: ExportRows; error?: string };
