import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClaudeCredentialsSchema } from './schema';
import type { TokenSource } from './poller';

export type TokenResult =
  | { kind: 'token'; token: string; origin: 'keychain' | 'file'; expiresAt?: number }
  | { kind: 'missing'; reason: string }
  | { kind: 'invalid'; reason: string };

/** Keychain service: `Claude Code-credentials`, with CLAUDE_CONFIG_DIR set `-` + 8 hex of sha256(dir). */
export function keychainService(configDirEnv: string | undefined): string {
  if (!configDirEnv) return 'Claude Code-credentials';
  return `Claude Code-credentials-${createHash('sha256').update(configDirEnv).digest('hex').slice(0, 8)}`;
}

/** `security` may print hex when the item holds non-ASCII bytes. */
export function decodeKeychainOutput(out: string): string {
  const s = out.trim();
  if (/^[0-9a-fA-F]+$/.test(s) && s.length % 2 === 0 && !s.startsWith('{')) return Buffer.from(s, 'hex').toString('utf8');
  return s;
}

function fromJson(text: string, origin: 'keychain' | 'file'): TokenResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: `the ${origin === 'file' ? 'credentials file' : 'Keychain item'} is not valid JSON` };
  }
  const p = ClaudeCredentialsSchema.safeParse(value);
  if (!p.success) return { kind: 'invalid', reason: 'the credentials have an unexpected shape' };
  const o = p.data.claudeAiOauth;
  if (!o) return { kind: 'missing', reason: 'no Claude subscription login in the credentials (sign in to Claude Code)' };
  return { kind: 'token', token: o.accessToken, origin, expiresAt: o.expiresAt ?? undefined };
}

export interface TokenReaderOptions {
  /** Claude config dir holding `.credentials.json`. */
  configDir: string;
  /** The CLAUDE_CONFIG_DIR value (for the Keychain service name). */
  configDirEnv?: string;
  platform?: NodeJS.Platform;
  user?: string;
  timeoutMs?: number;
}

/** Reads the OAuth access token, read-only: never refreshed, never written, never logged. */
export async function readClaudeToken(o: TokenReaderOptions): Promise<TokenResult> {
  if ((o.platform ?? process.platform) === 'darwin') {
    const out = await new Promise<string | undefined>((resolve) => {
      execFile(
        '/usr/bin/security',
        ['find-generic-password', '-s', keychainService(o.configDirEnv), '-a', o.user ?? os.userInfo().username, '-w'],
        { timeout: o.timeoutMs ?? 5000, encoding: 'utf8' },
        (err, stdout) => resolve(err ? undefined : stdout),
      );
    });
    if (out) return fromJson(decodeKeychainOutput(out), 'keychain');
  }
  const file = path.join(o.configDir, '.credentials.json');
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { kind: 'missing', reason: code === 'ENOENT' ? 'no Claude Code login found (sign in to Claude Code)' : `cannot read the credentials (${code})` };
  }
  return fromJson(text, 'file');
}

/**
 * The token for the limit poller, from the first Claude config dir; its version is the credentials
 * file's mtime (a renewed login lifts a refused one's back-off). `onToken` sees it (log redaction).
 */
export function claudeTokenSource(configDir: string, env: NodeJS.ProcessEnv, onToken?: (token: string) => void): TokenSource {
  return {
    read: async () => {
      const t = await readClaudeToken({ configDir, configDirEnv: env.CLAUDE_CONFIG_DIR?.split(',')[0]?.trim() || undefined });
      if (t.kind !== 'token') return { missing: t.reason };
      onToken?.(t.token);
      const st = await fsp.stat(path.join(configDir, '.credentials.json')).catch(() => undefined);
      return { token: t.token, version: st?.mtimeMs };
    },
  };
}
