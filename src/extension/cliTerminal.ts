import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../cli/args';

/**
 * Runs the bundled CLI (`dist/cli.js`) in a terminal with the editor's own Node, so it works where no
 * Node is installed: the terminal's process is the CLI itself (no shell, so no quoting per shell), and
 * its output stays on screen when it ends. Under Remote it runs where the extension runs, beside the logs.
 */
export async function runCliInTerminal(extensionPath: string): Promise<vscode.Terminal | undefined> {
  const descriptions: Record<(typeof COMMANDS)[number], string> = {
    daily: vscode.l10n.t('tokens and cost per day'),
    weekly: vscode.l10n.t('per week'),
    monthly: vscode.l10n.t('per month'),
    session: vscode.l10n.t('per Claude Code session and Codex thread'),
    blocks: vscode.l10n.t('5-hour blocks with burn rate'),
    limits: vscode.l10n.t('the limit windows, official and from the logs'),
  };
  const items = COMMANDS.map((c) => ({ label: c, description: descriptions[c] }));
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Agent Usage: Run the CLI'), placeHolder: vscode.l10n.t('Which report') });
  if (!pick) return undefined;
  const cli = path.join(extensionPath, 'dist', 'cli.js');
  const terminal = vscode.window.createTerminal({
    name: vscode.l10n.t('Agent Usage CLI'),
    shellPath: process.execPath,
    shellArgs: [cli, pick.label],
    // The desktop editors' executable is Electron: this makes it run as plain Node.
    env: { ELECTRON_RUN_AS_NODE: '1' },
    iconPath: new vscode.ThemeIcon('pulse'),
  });
  terminal.show();
  return terminal;
}
