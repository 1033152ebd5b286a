import * as vscode from 'vscode';

// The extension host entry. The status bar, views and dashboard arrive with the extension issue;
// until then it only registers Refresh so the manifest's command resolves.
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand('agentUsage.refresh', () => undefined));
}

export function deactivate(): void {}
