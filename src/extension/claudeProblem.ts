import * as vscode from 'vscode';
import { ClaudeStatus } from '../core/snapshot';
import { formatDuration } from '../core/format';
import { Commands } from './commands';

/**
 * What a click on a marked meter offers: why Claude's limits cannot be fetched and the fix (sign in to
 * Claude Code again, wait for the server, look at the log, change the settings).
 */
export async function fixClaudeLimits(status: ClaudeStatus | undefined, now = Date.now()): Promise<void> {
  const state = status?.state ?? 'pending';
  const why: Record<string, string> = {
    unauthorized: vscode.l10n.t('Claude refused the login (401). Run `claude` in a terminal and sign in again (/login); the meter retries when the credentials change.'),
    'no-token': vscode.l10n.t('No Claude Code login was found: {0}. Run `claude` in a terminal and sign in (/login).', status?.message ?? ''),
    'rate-limited': vscode.l10n.t('The usage endpoint asked to wait (429); the next try is {0}. The last values stay shown meanwhile.', status?.nextAttemptAt ? vscode.l10n.t('in {0}', formatDuration(Math.max(0, status.nextAttemptAt - now))) : vscode.l10n.t('later')),
    error: vscode.l10n.t('The last request failed: {0}.', status?.message ?? ''),
    ok: vscode.l10n.t('Claude limits are fetched normally.'),
    disabled: vscode.l10n.t('Claude limits are turned off in the settings.'),
    pending: vscode.l10n.t('Claude limits have not been fetched yet.'),
  };
  const signIn = vscode.l10n.t('Open a Terminal to Sign In');
  const logs = vscode.l10n.t('Show Logs');
  const settings = vscode.l10n.t('Open Settings');
  const actions = state === 'unauthorized' || state === 'no-token' ? [signIn, logs, settings] : [logs, settings];
  const pick = await vscode.window.showWarningMessage(why[state], ...actions);
  if (pick === signIn) {
    const t = vscode.window.createTerminal({ name: 'Claude Code sign-in' });
    t.show();
    t.sendText('claude', false); // typed, not run: the user presses Enter, then /login
  } else if (pick === logs) await vscode.commands.executeCommand(Commands.showLogs);
  else if (pick === settings) await vscode.commands.executeCommand('workbench.action.openSettings', 'agentUsage.limits.claude');
}
