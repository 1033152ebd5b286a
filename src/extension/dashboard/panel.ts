import * as vscode from 'vscode';
import { HostToWebview, WebviewToHostSchema } from '../../shared/protocol';
import { Shown, dashboardFull, dashboardPatch } from '../../shared/dashboardSync';
import type { DashboardSettings } from '../../shared/protocol';
import { planSettings, thresholds } from '../config';
import { StoreChange } from '../store';
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
  /** Every message posted, with its size in bytes of JSON (tests and the benchmark check patches stay small). */
  readonly sent: { type: HostToWebview['type']; bytes: number }[] = [];
  private ready = false;
  /** What the webview holds: threads of its table, and the limits, login state and thresholds it was sent. */
  private shown?: Shown;

  static show(ctx: vscode.ExtensionContext, store: UsageStore): DashboardPanel {
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal();
      return DashboardPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, vscode.l10n.t('Agent Usage'), vscode.ViewColumn.Active, DashboardPanel.options(ctx));
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
    this.register(store.onDidChange((c) => this.onChange(c)));
    // Hidden, it gets nothing; shown again, it gets the whole state once.
    this.register(panel.onDidChangeViewState(() => panel.visible && this.postFull()));
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
        this.postFull();
        break;
      case 'rendered':
        this.lastRendered = m.charts;
        break;
      case 'command':
        await vscode.commands.executeCommand(m.command === 'refresh' ? Commands.refresh : m.command === 'export' ? Commands.export : Commands.openSettings);
        break;
    }
  }

  private send(msg: HostToWebview): void {
    this.lastMessage = msg;
    this.sent.push({ type: msg.type, bytes: Buffer.byteLength(JSON.stringify(msg)) });
    if (this.sent.length > 1000) this.sent.splice(0, 500);
    void this.panel.webview.postMessage(msg);
  }

  /** The whole state (on open, on showing again, after a new view). */
  private settings(): DashboardSettings {
    return { thresholds: thresholds(this.store.config), plans: planSettings(this.store.config) };
  }

  private postFull(): void {
    if (!this.ready || !this.panel.visible) {
      this.shown = undefined;
      return;
    }
    const { msg, shown } = dashboardFull(this.store.snapshot, this.settings());
    this.shown = shown;
    this.send(msg);
  }

  /** A change in the store: a patch of what the dashboard holds, or the whole state when it holds none. */
  private onChange(c: StoreChange): void {
    if (!this.ready || !this.panel.visible) {
      this.shown = undefined;
      return;
    }
    const s = this.store.snapshot;
    if (c.full || !this.shown || !s || (!s.hasLogs && s.limits.length === 0)) return this.postFull();
    const patch = dashboardPatch(this.shown, s, c.patch, this.settings());
    if (patch) this.send({ type: 'patch', patch });
  }
}

export function registerDashboardSerializer(ctx: vscode.ExtensionContext, store: UsageStore): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
    async deserializeWebviewPanel(panel) {
      DashboardPanel.revive(panel, ctx, store);
    },
  });
}
