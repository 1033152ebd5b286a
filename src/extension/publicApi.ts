import * as vscode from 'vscode';
import { PublicState, publicState } from '../core/present/publicState';
import { Source } from '../core/discovery';
import { thresholds } from './config';
import { Disposable } from './disposable';
import { UsageStore } from './store';

export type { PublicLimit, PublicState } from '../core/present/publicState';

/** The API other extensions get from `vscode.extensions.getExtension('agent-usage.agent-usage').exports`. */
export interface AgentUsagePublicApi {
  readonly apiVersion: 1;
  /** The figures now, or undefined before the first index. */
  getSnapshot(): PublicState | undefined;
  /** Fires when the figures or the limit windows change (read getSnapshot() then). */
  readonly onDidChange: vscode.Event<void>;
}

/**
 * The when-clause context keys `agentUsage.claude.level` and `agentUsage.codex.level` (ok, warning,
 * critical), set when they change, and the exported API.
 */
export class PublicApi extends Disposable implements AgentUsagePublicApi {
  readonly apiVersion = 1 as const;
  private readonly emitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.emitter.event;
  private levels: Partial<Record<Source, string>> = {};

  constructor(private readonly store: UsageStore) {
    super();
    this.register(
      store.onDidChange(() => {
        this.updateContext();
        this.emitter.fire();
      }),
    );
  }

  getSnapshot(): PublicState | undefined {
    const s = this.store.snapshot;
    return s && publicState(s, thresholds(this.store.config));
  }

  private updateContext(): void {
    const p = this.getSnapshot();
    if (!p) return;
    for (const src of ['claude', 'codex'] as const) {
      if (this.levels[src] === p.level[src]) continue;
      this.levels[src] = p.level[src];
      void vscode.commands.executeCommand('setContext', `agentUsage.${src}.level`, p.level[src]);
    }
  }

  /** What the context keys were last set to (tests). */
  get contextLevels(): Partial<Record<Source, string>> {
    return { ...this.levels };
  }
}
