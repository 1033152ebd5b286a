import { FetchResult, describeFetchResult } from './usageClient';
import { SharedLimitState, readSharedState, tryLock, writeSharedState } from './sharedState';

export interface TokenSource {
  /** The token and a version of the credentials (file mtime), or why there is none. */
  read(): Promise<{ token: string; version?: number } | { missing: string }>;
}

export interface PollerOptions {
  /** The shared state file (global storage); its lock is `<file>.lock`. */
  stateFile: string;
  intervalMs: number;
  tokens: TokenSource;
  fetch: (token: string) => Promise<FetchResult>;
  now?: () => number;
  log?: (level: 'info' | 'warn', msg: string) => void;
}

/** A refused token is not tried again for this long unless the credentials change or the user asks. */
export const AUTH_BACKOFF_MS = 30 * 60_000;
/** 429 without Retry-After. */
export const DEFAULT_RATE_LIMIT_BACKOFF_MS = 15 * 60_000;
/** Retry-After is honoured up to this much. */
export const MAX_BACKOFF_MS = 6 * 60 * 60_000;

export interface TickResult {
  state: SharedLimitState;
  fetched: boolean;
  /** Why no request was made, when none was. */
  skipped?: 'backoff' | 'fresh' | 'locked' | 'no-token';
}

/**
 * One request per interval across all windows: every window ticks, reads the shared state, and only
 * the one that takes the lock and still finds the data due makes the request. Retry-After and a refused
 * token set a shared back-off deadline that every window honours.
 */
export class ClaudeLimitPoller {
  private readonly now: () => number;
  constructor(private readonly o: PollerOptions) {
    this.now = o.now ?? Date.now;
  }

  async read(): Promise<SharedLimitState> {
    const r = await readSharedState(this.o.stateFile);
    if (r.problem) this.o.log?.('warn', r.problem);
    return r.state;
  }

  /** Why not to fetch now; `auth` = only if the credentials changed since they were refused. */
  private due(s: SharedLimitState, force: boolean): TickResult['skipped'] | 'auth' | undefined {
    const now = this.now();
    // A clock that jumped back leaves instants in the future: a back-off beyond its longest possible
    // length, or an attempt "after now", no longer holds anything back.
    const backoffUntil = s.backoffUntil !== undefined && s.backoffUntil - now <= MAX_BACKOFF_MS ? s.backoffUntil : undefined;
    const attemptedAt = s.attemptedAt !== undefined && s.attemptedAt <= now + 60_000 ? s.attemptedAt : undefined;
    if (backoffUntil !== undefined && now < backoffUntil) {
      // Retry-After is honoured even for a manual refresh; a refused token may be retried by hand.
      if (s.error?.kind === 'unauthorized') return force ? undefined : 'auth';
      return 'backoff';
    }
    if (!force && attemptedAt !== undefined && now - attemptedAt < this.o.intervalMs) return 'fresh';
    return undefined;
  }

  async tick(force = false): Promise<TickResult> {
    let state = await this.read();
    const early = this.due(state, force);
    if (early && early !== 'auth') return { state, fetched: false, skipped: early };
    const release = await tryLock(`${this.o.stateFile}.lock`, 60_000, this.now());
    if (!release) return { state, fetched: false, skipped: 'locked' };
    try {
      state = await this.read(); // another window may have fetched while we waited
      const again = this.due(state, force);
      if (again && again !== 'auth') return { state, fetched: false, skipped: again };
      const now = this.now();
      const tok = await this.o.tokens.read();
      if ('missing' in tok) {
        state = { ...state, attemptedAt: now, error: { kind: 'no-token', message: tok.missing, at: now } };
        await writeSharedState(this.o.stateFile, state);
        return { state, fetched: false, skipped: 'no-token' };
      }
      if (again === 'auth' && (tok.version === undefined || tok.version === state.refusedCredentialsVersion)) {
        return { state, fetched: false, skipped: 'backoff' }; // the same refused login: no retry loop
      }
      const r = await this.o.fetch(tok.token);
      state = this.apply(state, r, now, tok.version);
      await writeSharedState(this.o.stateFile, state);
      this.o.log?.(r.kind === 'ok' ? 'info' : 'warn', `Claude usage: ${describeFetchResult(r)}`);
      return { state, fetched: true };
    } finally {
      await release();
    }
  }

  private apply(s: SharedLimitState, r: FetchResult, now: number, credentialsVersion?: number): SharedLimitState {
    const base: SharedLimitState = { version: 1, attemptedAt: now, lastGood: s.lastGood };
    switch (r.kind) {
      case 'ok':
        return { ...base, lastGood: { at: now, data: r.data } };
      case 'rate-limited': {
        const wait = Math.min(MAX_BACKOFF_MS, Math.max(this.o.intervalMs, r.retryAfterMs ?? DEFAULT_RATE_LIMIT_BACKOFF_MS));
        return { ...base, backoffUntil: now + wait, error: { kind: r.kind, message: describeFetchResult(r), at: now } };
      }
      case 'unauthorized':
        return {
          ...base,
          backoffUntil: now + AUTH_BACKOFF_MS,
          refusedCredentialsVersion: credentialsVersion,
          error: { kind: r.kind, message: 'Claude refused the login: sign in to Claude Code again', at: now },
        };
      default:
        return { ...base, error: { kind: r.kind, message: describeFetchResult(r), at: now } };
    }
  }
}
