import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;
const secrets = new Set<string>();

/** Any string registered here is replaced by *** in every log line (defence in depth: tokens are never passed). */
export function registerSecret(s: string): void {
  if (s.length >= 8) secrets.add(s);
}

function redact(msg: string): string {
  let m = msg;
  for (const s of secrets) m = m.split(s).join('***');
  return m.replace(/Bearer\s+[\w.~+/-]+=*/gi, 'Bearer ***');
}

export function logChannel(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Agent Usage', { log: true });
  return channel;
}

export const log = {
  info: (m: string) => logChannel().info(redact(m)),
  warn: (m: string) => logChannel().warn(redact(m)),
  error: (m: string) => logChannel().error(redact(m)),
};
