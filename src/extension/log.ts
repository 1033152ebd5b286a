import * as vscode from 'vscode';
import { Redactor } from '../core/redact';

let channel: vscode.LogOutputChannel | undefined;
const redactor = new Redactor();

/** Any string registered here is replaced by *** in every log line (defence in depth: tokens are never passed). */
export function registerSecret(s: string): void {
  redactor.add(s);
}

export function logChannel(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Agent Usage', { log: true });
  return channel;
}

export const log = {
  info: (m: string) => logChannel().info(redactor.redact(m)),
  warn: (m: string) => logChannel().warn(redactor.redact(m)),
  error: (m: string) => logChannel().error(redactor.redact(m)),
  debug: (m: string) => logChannel().debug(redactor.redact(m)),
};
