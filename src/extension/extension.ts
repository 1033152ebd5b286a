import type * as vscode from 'vscode';

// Extension host entry. The engine in src/core is complete; the status bar, views and dashboard
// that use it are built on top of it (see the README's roadmap).
export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
