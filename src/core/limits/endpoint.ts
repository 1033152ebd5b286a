export const DEFAULT_USAGE_ENDPOINT = 'https://api.anthropic.com/api/oauth/usage';
/** The endpoint answers other agents with a permanent 429 (formats.md). */
export const CLAUDE_USER_AGENT = 'claude-code/2.1.160';

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\])$/i;

/** The token may only go to an https URL, or to loopback (tests). Anything else is refused. */
export function checkEndpoint(raw: string): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `not a URL: ${raw}` };
  }
  if (url.username || url.password) return { ok: false, reason: 'credentials in the URL are not allowed' };
  if (url.protocol === 'https:') return { ok: true, url };
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return { ok: true, url };
  return { ok: false, reason: `only https (or http on loopback) is allowed, not ${url.protocol}//${url.hostname}` };
}
