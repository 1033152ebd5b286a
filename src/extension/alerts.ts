import * as path from 'node:path';
import * as vscode from 'vscode';
import { AlertLedger, alertFor, periodKey, thresholdMessage } from '../core/alerts/thresholds';
import { SOURCE_NAME, formatDuration } from '../core/format';
import { LimitEntry } from '../core/snapshot';
import { forecastRange } from '../core/present/pace';
import { UsageSnapshot } from '../core/snapshot';
import { Commands } from './commands';
import { thresholds } from './config';
import { Disposable } from './disposable';
import { log } from './log';
import { UsageStore } from './store';

const NAME = SOURCE_NAME;

function projectionMessage(l: LimitEntry, now: number): string {
  const f = l.forecast!;
  const range = forecastRange(f, now);
  return vscode.l10n.t("At the pace of the last {0}, {1}'s {2} limit fills in about {3}, before it resets (estimate from the official percentages).", formatDuration(now - f.since), NAME[l.source], l.label, range);
}

/**
 * Threshold toasts: one per crossing (warning, then critical) per window period, claimed in a ledger
 * on disk so several VS Code windows and reloads show it once; again after the window resets.
 */
export class ThresholdAlerts extends Disposable {
  private readonly ledger: AlertLedger;
  private running = Promise.resolve();

  constructor(
    private readonly store: UsageStore,
    globalStorage: string,
  ) {
    super();
    this.ledger = new AlertLedger(path.join(globalStorage, 'alerts'));
    void this.ledger.prune(10 * 86_400_000);
    // Only what can cross a threshold or change a forecast: the limit windows (Claude's poll, Codex's rollouts).
    this.register(
      store.onDidChange((c) => {
        if (!c.full && !c.limits && !c.patch?.codexWindows) return;
        const s = store.snapshot;
        if (s) this.running = this.running.then(() => this.check(s)).catch((e) => log.warn(`alerts: ${e}`));
      }),
    );
  }

  private async check(s: UsageSnapshot): Promise<void> {
    const cfg = this.store.config;
    if (!cfg['notifications.enabled']) return;
    const t = thresholds(cfg);
    for (const l of s.limits) {
      // Each window crosses on its own (a model's weekly limit too) and is named in its toast.
      if (l.stale || l.hasReset || l.quiet) continue;
      const level = await alertFor(l, t[l.source], this.ledger);
      if (!level) continue;
      const msg = thresholdMessage(l, Date.now());
      log.info(`alert (${level}): ${msg}`);
      void this.toast(level === 'critical' ? 'error' : 'warning', msg, periodKey(l));
    }
    if (!cfg['notifications.projection']) return;
    // A forecast earns a toast only when even its slowest rate fills the window before the reset.
    for (const l of s.limits) {
      if (!l.forecast?.fillsBeforeReset || l.stale || l.hasReset || l.quiet) continue;
      const period = periodKey(l);
      if (!(await this.ledger.claim(period, 'projection'))) continue;
      const msg = projectionMessage(l, Date.now());
      log.info(`alert (projection): ${msg}`);
      void this.toast('info', msg, period);
    }
  }

  private async toast(kind: 'warning' | 'error' | 'info', msg: string, period: string): Promise<void> {
    const show = kind === 'error' ? vscode.window.showErrorMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const showUsage = vscode.l10n.t('Show Usage');
    const mute = vscode.l10n.t("Don't show again for this window");
    const pick = await show(msg, showUsage, mute);
    if (pick === showUsage) await vscode.commands.executeCommand(Commands.showUsage);
    else if (pick === mute) await this.ledger.suppress(period);
  }
}
