import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ClaudeUsageResponseSchema } from './schema';

/** What all open windows share about the Claude usage endpoint (a file in global storage). */
export const SharedLimitStateSchema = z.object({
  version: z.literal(1),
  /** Last attempt (any outcome). */
  attemptedAt: z.number().optional(),
  lastGood: z.object({ at: z.number(), data: ClaudeUsageResponseSchema }).optional(),
  /** No request before this instant (Retry-After, or after a refused token). */
  backoffUntil: z.number().optional(),
  error: z.object({ kind: z.string(), message: z.string(), at: z.number() }).optional(),
  /** Version (mtime) of the credentials that were refused: a renewed login lifts the back-off. */
  refusedCredentialsVersion: z.number().optional(),
});
export type SharedLimitState = z.infer<typeof SharedLimitStateSchema>;

export const EMPTY_STATE: SharedLimitState = { version: 1 };

export type ReadState = { state: SharedLimitState; problem?: string };

export async function readSharedState(file: string): Promise<ReadState> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { state: { ...EMPTY_STATE } };
    return { state: { ...EMPTY_STATE }, problem: `cannot read ${path.basename(file)}: ${(e as NodeJS.ErrnoException).code}` };
  }
  try {
    const p = SharedLimitStateSchema.safeParse(JSON.parse(text));
    if (p.success) return { state: p.data };
    return { state: { ...EMPTY_STATE }, problem: `${path.basename(file)} has an unexpected shape; starting afresh` };
  } catch {
    return { state: { ...EMPTY_STATE }, problem: `${path.basename(file)} is corrupted; starting afresh` };
  }
}

/** Writes atomically: a temporary file renamed over the old one, so readers never see half a file. */
export async function writeFileAtomic(file: string, text: string | Uint8Array): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await fsp.writeFile(tmp, text, { mode: 0o600 });
    await fsp.rename(tmp, file);
  } catch (e) {
    // A failed write (disk full, folder gone) leaves no temporary file behind.
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}

export async function writeSharedState(file: string, s: SharedLimitState): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(s));
}

/**
 * A cross-process lock: mkdir is atomic. A lock older than `staleMs` (a crashed holder) is broken.
 * Returns a release function, or undefined when another process holds it.
 */
export async function tryLock(lockDir: string, staleMs = 60_000, now = Date.now()): Promise<(() => Promise<void>) | undefined> {
  await fsp.mkdir(path.dirname(lockDir), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fsp.mkdir(lockDir);
      return async () => {
        await fsp.rm(lockDir, { recursive: true, force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const st = await fsp.stat(lockDir).catch(() => undefined);
      if (st && now - st.mtimeMs > staleMs) await fsp.rm(lockDir, { recursive: true, force: true });
      else return undefined;
    }
  }
  return undefined;
}
