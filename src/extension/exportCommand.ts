import * as vscode from 'vscode';
import { ExportFormat, ExportKind, exportUsage } from '../core/export';
import { UsageStore } from './store';

/** Export: daily or session data as JSON or TSV, to a file the user picks. */
export async function exportCommand(store: UsageStore, preset?: { kind: ExportKind; format: ExportFormat; uri: vscode.Uri }): Promise<vscode.Uri | undefined> {
  const s = await store.whenReady();
  let choice = preset;
  if (!choice) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('Daily totals (JSON)'), what: 'daily', format: 'json' },
        { label: vscode.l10n.t('Daily totals (TSV)'), what: 'daily', format: 'tsv' },
        { label: vscode.l10n.t('Threads (JSON)'), what: 'sessions', format: 'json' },
        { label: vscode.l10n.t('Threads (TSV)'), what: 'sessions', format: 'tsv' },
        { label: vscode.l10n.t('Limit windows (JSON)'), what: 'limits', format: 'json' },
        { label: vscode.l10n.t('Limit windows (TSV)'), what: 'limits', format: 'tsv' },
      ] as const,
      { title: vscode.l10n.t('Agent Usage: Export'), placeHolder: vscode.l10n.t('What to export (counts and costs only, no prompt text)') },
    );
    if (!pick) return undefined;
    const uri = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export usage'),
      defaultUri: vscode.Uri.file(`agent-usage-${pick.what}.${pick.format}`),
      filters: pick.format === 'json' ? { JSON: ['json'] } : { TSV: ['tsv'] },
    });
    if (!uri) return undefined;
    choice = { kind: pick.what, format: pick.format, uri };
  }
  // The whole history (the views hold the last months): daily rows and every thread, from the engine.
  const { daily, sessions } = await store.exportRows();
  const text = exportUsage(choice.kind, choice.format, { daily, sessions, limits: s.limits });
  await vscode.workspace.fs.writeFile(choice.uri, Buffer.from(text, 'utf8'));
  if (!preset) void vscode.window.showInformationMessage(vscode.l10n.t('Agent Usage: exported to {0}', choice.uri.fsPath));
  return choice.uri;
}
