import { request, errors } from 'undici';
import { describeZodError } from '../diagnostics';
import { checkEndpoint } from './endpoint';
import { parseRetryAfter } from './retryAfter';
import { ClaudeUsageResponse, ClaudeUsageResponseSchema } from './schema';

export type FetchResult =
  | { kind: 'ok'; data: ClaudeUsageResponse }
  | { kind: 'unauthorized'; status: 401 | 403 }
  | { kind: 'rate-limited'; retryAfterMs?: number }
  | { kind: 'server-error'; status: number }
  | { kind: 'network'; message: string }
  | { kind: 'timeout' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'refused'; reason: string };

export interface FetchOptions {
  endpoint: string;
  token: string;
  userAgent: string;
  timeoutMs?: number;
  now?: () => number;
}

/** The error text for logs: never the token, never the body. */
export function describeFetchResult(r: FetchResult): string {
  switch (r.kind) {
    case 'ok':
      return 'ok';
    case 'unauthorized':
      return `HTTP ${r.status}: the token was refused (sign in to Claude Code again)`;
    case 'rate-limited':
      return `HTTP 429: rate limited${r.retryAfterMs !== undefined ? `, retry after ${Math.round(r.retryAfterMs / 1000)} s` : ''}`;
    case 'server-error':
      return `HTTP ${r.status}: server error`;
    case 'network':
      return `network error: ${r.message}`;
    case 'timeout':
      return 'timed out';
    case 'invalid':
      return `unexpected answer: ${r.reason}`;
    case 'refused':
      return `not sent: ${r.reason}`;
  }
}

/** GET the OAuth usage endpoint once. Never throws; never follows redirects (the token stays on one host). */
export async function fetchClaudeUsage(o: FetchOptions): Promise<FetchResult> {
  const ep = checkEndpoint(o.endpoint);
  if (!ep.ok) return { kind: 'refused', reason: ep.reason };
  const timeout = o.timeoutMs ?? 15_000;
  const now = o.now ?? Date.now;
  try {
    const res = await request(ep.url, {
      method: 'GET',
      headers: {
        authorization: `Bearer ${o.token}`,
        'anthropic-beta': 'oauth-2025-04-20',
        'user-agent': o.userAgent,
        accept: 'application/json',
      },
      headersTimeout: timeout,
      bodyTimeout: timeout,
      signal: AbortSignal.timeout(timeout + 1000),
    });
    const body = await res.body.text();
    const status = res.statusCode;
    if (status === 401 || status === 403) return { kind: 'unauthorized', status };
    if (status === 429) return { kind: 'rate-limited', retryAfterMs: parseRetryAfter(res.headers['retry-after'], now()) };
    if (status >= 500) return { kind: 'server-error', status };
    if (status !== 200) return { kind: 'invalid', reason: `HTTP ${status}` };
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      const type = String(res.headers['content-type'] ?? '');
      return { kind: 'invalid', reason: type.includes('html') ? 'an HTML page instead of JSON' : 'not JSON' };
    }
    const p = ClaudeUsageResponseSchema.safeParse(json);
    if (!p.success) return { kind: 'invalid', reason: describeZodError(p.error) };
    return { kind: 'ok', data: p.data };
  } catch (e) {
    if (e instanceof errors.HeadersTimeoutError || e instanceof errors.BodyTimeoutError || (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError')
      return { kind: 'timeout' };
    const err = e as NodeJS.ErrnoException;
    return { kind: 'network', message: err.code ?? err.message.replace(o.token, '***') };
  }
}
