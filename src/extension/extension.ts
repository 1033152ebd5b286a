import * as vscode from 'vscode';
import { ThresholdAlerts } from './alerts';
import { fixClaudeLimits } from './claudeProblem';
import { Commands, VIEW_THREADS } from './commands';
import { AgentUsageConfig, SECTION, readConfig } from './config';
import { DashboardPanel, registerDashboardSerializer } from './dashboard/panel';
import { runCliInTerminal } from './cliTerminal';
import { exportCommand } from './exportCommand';
import { log, logChannel } from './log';
import { StatusBarMeter } from './statusBarItem';
import { UsageStore, defaultStoreEnv } from './store';
import { AgentUsagePublicApi, PublicApi } from './publicApi';
import { ThreadsTreeProvider, TreeNode, openThreadLog, revealThreadCwd } from './threadsTree';

/**
 * What activate() returns: the public API (apiVersion, getSnapshot, onDidChange: see publicApi.ts and
 * the README), and beside it the parts the integration tests drive, which are not part of that API.
 */
export interface AgentUsageApi extends AgentUsagePublicApi {
  store: UsageStore;
  tree: ThreadsTreeProvider;
  meter: StatusBarMeter;
  dashboard: () => DashboardPanel | undefined;
  exportTo: typeof exportCommand;
  contextLevels: () => Partial<Record<'claude' | 'codex', string>>;
}

/** Cheap: creates the meter, registers commands and views, and indexes in the background. */
let activeStore: UsageStore | undefined;

export function activate(context: vscode.ExtensionContext): AgentUsageApi {
  const t0 = Date.now();
  const sub = (d: vscode.Disposable) => context.subscriptions.push(d);
  sub(logChannel());
  const store = new UsageStore(readConfig(), defaultStoreEnv(context.globalStorageUri.fsPath, context.extensionUri.fsPath));
  activeStore = store;
  sub(store);
  const meter = new StatusBarMeter(store);
  sub(meter);
  const tree = new ThreadsTreeProvider(store);
  sub(tree);
  const view = vscode.window.createTreeView<TreeNode>(VIEW_THREADS, { treeDataProvider: tree, showCollapseAll: true });
  sub(view);
  const describeRange = () => {
    const c = store.config;
    const range = { today: vscode.l10n.t('today'), '7d': vscode.l10n.t('7 days'), '30d': vscode.l10n.t('30 days'), all: vscode.l10n.t('all time') }[c['threads.range']];
    const by = { lastActivity: vscode.l10n.t('activity'), tokens: vscode.l10n.t('tokens'), cost: vscode.l10n.t('cost') }[c['threads.sortBy']];
    view.description = vscode.l10n.t('{0} · by {1}', range, by);
  };
  describeRange();
  sub(new ThresholdAlerts(store, context.globalStorageUri.fsPath));
  sub(registerDashboardSerializer(context, store));

  const cmd = (id: string, fn: (...args: never[]) => unknown) => sub(vscode.commands.registerCommand(id, fn));
  cmd(Commands.showUsage, () => DashboardPanel.show(context, store));
  cmd(Commands.refresh, () => vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Agent Usage: refreshing') }, () => store.refresh()));
  cmd(Commands.export, () => exportCommand(store));
  cmd(Commands.showLogs, () => logChannel().show());
  cmd(Commands.runCli, () => runCliInTerminal(context.extensionUri.fsPath));
  cmd(Commands.fixClaudeLimits, () => fixClaudeLimits(store.snapshot?.claude));
  cmd(Commands.openSettings, () => vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${context.extension.id}`));
  cmd(Commands.openThreadLog, (node: TreeNode) => openThreadLog(node));
  cmd(Commands.revealThreadCwd, (node: TreeNode) => revealThreadCwd(node));
  const pickSetting = (title: string, key: keyof AgentUsageConfig, items: readonly { label: string; value: string }[]) => async () => {
    const pick = await vscode.window.showQuickPick(items, { title });
    if (pick) await vscode.workspace.getConfiguration(SECTION).update(key, pick.value, vscode.ConfigurationTarget.Global);
  };
  cmd(
    Commands.setThreadsRange,
    pickSetting(vscode.l10n.t('Show threads from'), 'threads.range', [
      { label: vscode.l10n.t('Today'), value: 'today' },
      { label: vscode.l10n.t('Last 7 days'), value: '7d' },
      { label: vscode.l10n.t('Last 30 days'), value: '30d' },
      { label: vscode.l10n.t('All time'), value: 'all' },
    ]),
  );
  cmd(
    Commands.sortThreads,
    pickSetting(vscode.l10n.t('Sort threads by'), 'threads.sortBy', [
      { label: vscode.l10n.t('Last activity'), value: 'lastActivity' },
      { label: vscode.l10n.t('Tokens'), value: 'tokens' },
      { label: vscode.l10n.t('Cost'), value: 'cost' },
    ]),
  );

  sub(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      store.applyConfig(readConfig());
      describeRange();
      tree.refresh();
      meter.render();
    }),
  );
  sub(vscode.workspace.onDidChangeWorkspaceFolders(() => store.workspaceChanged()));

  const pub = new PublicApi(store);
  sub(pub);
  // The first index runs after activation returns.
  setTimeout(() => store.start(), 0);
  // Which editor and where: what a bug report needs first (Cursor, Windsurf, VSCodium; Remote-SSH, WSL, a container).
  log.info(`activated in ${Date.now() - t0} ms (${vscode.env.appName} ${vscode.version}${vscode.env.remoteName ? `, remote ${vscode.env.remoteName}` : ''})`);
  return {
    apiVersion: pub.apiVersion,
    getSnapshot: () => pub.getSnapshot(),
    onDidChange: pub.onDidChange,
    contextLevels: () => pub.contextLevels,
    store,
    tree,
    meter,
    dashboard: () => DashboardPanel.current,
    exportTo: exportCommand,
  };
}

/** Saves the persistent index before the extension host goes away. */
export async function deactivate(): Promise<void> {
  await activeStore?.saveIndex();
  activeStore = undefined;
}
