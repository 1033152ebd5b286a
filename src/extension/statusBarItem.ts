import * as vscode from 'vscode';
import { statusBarTooltip, statusBarView } from '../core/present/statusBar';
import { Commands } from './commands';
import { statusBarConfig } from './config';
import { Disposable } from './disposable';
import { UsageStore } from './store';

/**
 * The meter: text and colour from the store's snapshot, rendered on each change; while it shows limit
 * windows (countdowns, staleness) also once a minute, on the minute, and never otherwise.
 */
export class StatusBarMeter extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private tick?: ReturnType<typeof setTimeout>;

  constructor(private readonly store: UsageStore) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem('agentUsage.meter', vscode.StatusBarAlignment.Right, 100));
    this.item.name = vscode.l10n.t('Agent Usage');
    this.item.command = Commands.showUsage;
    this.register(store.onDidChange(() => this.render()));
    this.register({ dispose: () => this.tick && clearTimeout(this.tick) });
    this.render();
    this.item.show();
  }

  render(): void {
    const now = Date.now();
    const s = this.store.snapshot;
    const v = statusBarView(s, statusBarConfig(this.store.config), now);
    this.item.text = v.text;
    // A marked meter (Claude's limits cannot be fetched) offers the fix on click; otherwise the dashboard.
    this.item.command = v.problem ? Commands.fixClaudeLimits : Commands.showUsage;
    this.item.accessibilityInformation = { label: v.ariaLabel, role: 'button' };
    this.item.backgroundColor =
      v.level === 'critical' ? new vscode.ThemeColor('statusBarItem.errorBackground') : v.level === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const md = new vscode.MarkdownString(statusBarTooltip(s, now), true);
    md.isTrusted = false;
    this.item.tooltip = md;
    if (this.tick) clearTimeout(this.tick);
    this.tick = s?.limits.length ? setTimeout(() => this.render(), 60_000 - (now % 60_000) + 50) : undefined;
  }
}
