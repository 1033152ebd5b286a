import * as vscode from 'vscode';
import { HostToWebview, WebviewToHostSchema, toDashboardData } from '../../shared/protocol';
import { thresholds } from '../config';
import { Commands, DASHBOARD_VIEW_TYPE } from '../commands';
import { Disposable } from '../disposable';
import { log } from '../log';
import { UsageStore } from '../store';
import { dashboardHtml, nonce } from './html';

/** The "Show Usage" dashboard: one panel, fed by the store, surviving hide/show and reloads. */
export class DashboardPanel extends Disposable {
  static current: DashboardPanel | undefined;
  /** What the webview last reported drawing (chart id -> data points), for tests. */
  lastRendered: Record<string, number> | undefined;
  /** The last message posted to the webview (tests check what crosses the boundary). */
  lastMessage: HostToWebview | undefined;
  private ready = false;

  static show(ctx: vscode.ExtensionContext, store: UsageStore): DashboardPanel {
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal();
      return DashboardPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Agent Usage', vscode.ViewColumn.Active, DashboardPanel.options(ctx));
    return (DashboardPanel.current = new DashboardPanel(panel, ctx, store));
  }

  static revive(panel: vscode.WebviewPanel, ctx: vscode.ExtensionContext, store: UsageStore): DashboardPanel {
    panel.webview.options = DashboardPanel.options(ctx);
    DashboardPanel.current?.dispose();
    return (DashboardPanel.current = new DashboardPanel(panel, ctx, store));
  }

  static options(ctx: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(ctx.extensionUri, 'media')], enableCommandUris: false };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    ctx: vscode.ExtensionContext,
    private readonly store: UsageStore,
  ) {
    super();
    const w = panel.webview;
    const media = (...p: string[]) => w.asWebviewUri(vscode.Uri.joinPath(ctx.extensionUri, 'media', ...p)).toString();
    w.html = dashboardHtml({ cspSource: w.cspSource, scriptUri: media('dist', 'dashboard.js'), styleUri: media('dashboard.css'), nonce: nonce() });
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(w.onDidReceiveMessage((m) => void this.onMessage(m)));
    this.register(store.onDidChange(() => this.post()));
    this.register(panel.onDidChangeViewState(() => panel.visible && this.post()));
  }

  override dispose(): void {
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    super.dispose();
    this.panel.dispose();
  }

  private async onMessage(raw: unknown): Promise<void> {
    const p = WebviewToHostSchema.safeParse(raw);
    if (!p.success) {
      log.warn('dashboard: ignored a malformed message');
      return;
    }
    const m = p.data;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.post();
        break;
      case 'rendered':
        this.lastRendered = m.charts;
        break;
      case 'command':
        await vscode.commands.executeCommand(m.command === 'refresh' ? Commands.refresh : m.command === 'export' ? Commands.export : Commands.openSettings);
        break;
    }
  }

  private post(): void {
    if (!this.ready || !this.panel.visible) return;
    const s = this.store.snapshot;
    let msg: HostToWebview;
    if (!s) msg = { type: 'empty', reason: 'Indexing Claude Code and Codex logs…' };
    else if (!s.hasLogs && s.limits.length === 0)
      msg = s.indexing.finished ? { type: 'empty', reason: 'No Claude Code or Codex logs found. Use Claude Code or Codex, or set agentUsage.claudeConfigDirs / agentUsage.codexHome.' } : { type: 'empty', reason: `Indexing logs: ${s.indexing.done} of ${s.indexing.total} files…` };
    else msg = { type: 'data', data: toDashboardData(s, thresholds(this.store.config)) };
    this.lastMessage = msg;
    void this.panel.webview.postMessage(msg);
  }
}

export function registerDashboardSerializer(ctx: vscode.ExtensionContext, store: UsageStore): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
    async deserializeWebviewPanel(panel) {
      DashboardPanel.revive(panel, ctx, store);
    },
  });
}
