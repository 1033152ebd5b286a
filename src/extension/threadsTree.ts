import * as vscode from 'vscode';
import { formatCost, formatTokensShort } from '../core/format';
import { localFolder } from '../core/paths';
import { RepoSummary, ThreadView } from '../core/view/model';
import { AgentUsageConfig } from './config';
import { Disposable } from './disposable';
import { StoreChange, UsageStore } from './store';

export type TreeNode = { kind: 'repo'; repo: RepoSummary; threads: ThreadView[] } | { kind: 'thread'; thread: ThreadView } | { kind: 'message'; text: string };

const RANGE_DAYS: Record<AgentUsageConfig['threads.range'], number> = { today: 1, '7d': 7, '30d': 30, all: Infinity };

/** Tooltips show text from the logs: never trusted (no command links run from them). */
function untrusted(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

function ago(iso: string, now: number): string {
  const m = Math.floor((now - Date.parse(iso)) / 60_000);
  if (m < 60) return `${Math.max(0, m)}m ago`;
  if (m < 1440) return `${Math.floor(m / 60)}h ago`;
  return `${Math.floor(m / 1440)}d ago`;
}

/**
 * Repository -> thread, from the store's view; the open workspace's repository first. A patch refreshes
 * only the repositories whose threads changed (the whole tree when the order of repositories moves).
 */
export class ThreadsTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly emitter = this.register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.emitter.event;
  /** The repository nodes last handed out, by key: the same objects are refreshed. */
  private nodes = new Map<string, Extract<TreeNode, { kind: 'repo' }>>();
  private order = '';

  constructor(private readonly store: UsageStore) {
    super();
    this.register(store.onDidChange((c) => this.onChange(c)));
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  private onChange(c: StoreChange): void {
    if (c.full || c.patch?.indexing || c.patch?.hasLogs !== undefined) return this.refresh();
    const p = c.patch;
    if (!p || (!p.threads && !p.repos)) return;
    const groups = this.groups();
    const order = groups.map((g) => g.repo.repoKey).join('\n');
    if (order !== this.order || groups.some((g) => !this.nodes.has(g.repo.repoKey))) return this.refresh();
    const changed = new Set<string>([...Object.keys(p.repos?.upsert ?? {}), ...(p.repos?.remove ?? [])]);
    for (const t of Object.values(p.threads?.upsert ?? {})) changed.add(t.repoKey);
    for (const g of groups) {
      if (!changed.has(g.repo.repoKey)) continue;
      const node = this.nodes.get(g.repo.repoKey)!;
      node.repo = g.repo;
      node.threads = g.threads;
      this.emitter.fire(node);
    }
  }

  /** Threads within the range setting, sorted by the sort setting, grouped by repository. */
  groups(now = Date.now()): { repo: RepoSummary; threads: ThreadView[] }[] {
    const s = this.store.snapshot;
    if (!s) return [];
    const cfg = this.store.config;
    const days = RANGE_DAYS[cfg['threads.range']];
    const since = days === Infinity ? '' : new Date(now - days * 86_400_000).toISOString();
    const by = cfg['threads.sortBy'];
    const cmp = (a: { totalTokens: number; totalCost: number; lastActivity: string }, b: typeof a) =>
      by === 'tokens' ? b.totalTokens - a.totalTokens : by === 'cost' ? b.totalCost - a.totalCost : b.lastActivity.localeCompare(a.lastActivity);
    const byRepo = new Map<string, ThreadView[]>();
    for (const t of Object.values(s.threads)) {
      if (t.lastActivity < since) continue;
      const l = byRepo.get(t.repoKey);
      if (l) l.push(t);
      else byRepo.set(t.repoKey, [t]);
    }
    const out = [...byRepo].flatMap(([k, threads]) => (s.repos[k] ? [{ repo: s.repos[k], threads: threads.sort(cmp) }] : []));
    const total = (g: { threads: ThreadView[] }) => ({
      totalTokens: g.threads.reduce((n, t) => n + t.totalTokens, 0),
      totalCost: g.threads.reduce((n, t) => n + t.totalCost, 0),
      lastActivity: g.threads[0]?.lastActivity ?? '',
    });
    return out.sort((a, b) => Number(b.repo.inWorkspace) - Number(a.repo.inWorkspace) || cmp(total(a), total(b)) || a.repo.repoKey.localeCompare(b.repo.repoKey));
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (node?.kind === 'repo') return node.threads.map((thread) => ({ kind: 'thread', thread }));
    if (node) return [];
    const s = this.store.snapshot;
    if (!s || ((s.indexing.phase === 'indexing' || s.indexing.phase === 'starting') && !s.hasLogs)) return [{ kind: 'message', text: vscode.l10n.t('Indexing Claude Code and Codex logs…') }];
    const groups = this.groups();
    this.order = groups.map((g) => g.repo.repoKey).join('\n');
    if (!groups.length) {
      this.nodes.clear();
      return [{ kind: 'message', text: s.hasLogs ? vscode.l10n.t('No threads in this range ({0}).', this.store.config['threads.range']) : vscode.l10n.t('No Claude Code or Codex logs found.') }];
    }
    this.nodes = new Map(groups.map((g) => [g.repo.repoKey, { kind: 'repo' as const, repo: g.repo, threads: g.threads }]));
    return [...this.nodes.values()];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'message') return new vscode.TreeItem(node.text);
    const now = Date.now();
    if (node.kind === 'repo') {
      const r = node.repo;
      const tokens = node.threads.reduce((n, t) => n + t.totalTokens, 0);
      const cost = node.threads.reduce((n, t) => n + t.totalCost, 0);
      const item = new vscode.TreeItem(r.repo, r.inWorkspace ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `repo:${r.repoKey}`;
      const count = node.threads.length === 1 ? vscode.l10n.t('1 thread') : vscode.l10n.t('{0} threads', node.threads.length);
      item.description = `${r.inWorkspace ? vscode.l10n.t('● this workspace') + ' · ' : ''}${formatTokensShort(tokens)} · ${formatCost(cost)} · ${count}`;
      item.tooltip = untrusted(
        [
          `**${r.repo}**`,
          '',
          r.repoRoot ? vscode.l10n.t('Root: {0}', `\`${r.repoRoot}\``) : vscode.l10n.t('Folder: {0}', `\`${r.repoKey}\``),
          '',
          r.repoConfidence === 'exact' ? vscode.l10n.t('Attribution: exact (git metadata)') : vscode.l10n.t('Attribution: derived from the path'),
          '',
          vscode.l10n.t('{0} tokens, {1}', tokens.toLocaleString('en-US'), formatCost(cost)),
        ].join('\n'),
      );
      item.iconPath = new vscode.ThemeIcon(r.repoConfidence === 'exact' ? 'repo' : 'folder');
      item.contextValue = 'repo';
      return item;
    }
    const t = node.thread;
    const title = t.title ?? t.sessionId.slice(0, 8);
    const item = new vscode.TreeItem(title, vscode.TreeItemCollapsibleState.None);
    item.id = `thread:${t.source}:${t.sessionId}`;
    item.description = `${formatTokensShort(t.totalTokens)} · ${formatCost(t.totalCost)}${t.unpricedModels ? '*' : ''} · ${t.modelsUsed[0] ?? ''} · ${ago(t.lastActivity, now)}${t.logDeleted ? ` · ${vscode.l10n.t('log deleted')}` : ''}`;
    item.tooltip = untrusted(
      [
        `**${t.source === 'claude' ? vscode.l10n.t('Claude Code session') : vscode.l10n.t('Codex thread')}** \`${t.sessionId}\``,
        '',
        vscode.l10n.t('{0} tokens (input {1}, output {2}, cache write {3}, cache read {4})', ...[t.totalTokens, t.inputTokens, t.outputTokens, t.cacheCreationTokens, t.cacheReadTokens].map((n) => n.toLocaleString('en-US'))),
        '',
        t.unpricedModels ? vscode.l10n.t('Cost {0} (no price for {1})', formatCost(t.totalCost), t.unpricedModels.join(', ')) : vscode.l10n.t('Cost {0}', formatCost(t.totalCost)),
        '',
        vscode.l10n.t('Models: {0}', t.modelsUsed.join(', ')),
        '',
        `${t.firstActivity.slice(0, 16).replace('T', ' ')} → ${t.lastActivity.slice(0, 16).replace('T', ' ')} UTC`,
        t.branch ? `\n\n${vscode.l10n.t('Branch: {0}', t.branch)}` : '',
        t.cwd ? `\n\n${vscode.l10n.t('Folder: {0}', `\`${t.cwd}\``)}` : '',
        t.logDeleted ? `\n\n${vscode.l10n.t('Its log file has been deleted since; these figures are what was read before.')}` : '',
      ].join('\n'),
    );
    item.iconPath = new vscode.ThemeIcon(t.source === 'claude' ? 'sparkle' : 'terminal');
    item.contextValue = 'thread';
    return item;
  }
}

/** Opens the thread's log file in an editor (read, never executed). */
export async function openThreadLog(node: TreeNode | undefined): Promise<void> {
  if (node?.kind !== 'thread' || !node.thread.logFile) return;
  if (node.thread.logDeleted) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The log file of this thread has been deleted; its figures are what was read before.'));
    return;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(node.thread.logFile));
  await vscode.window.showTextDocument(doc, { preview: true });
}

/** Reveals the thread's working folder in the OS file manager (or the explorer in a remote). */
export async function revealThreadCwd(node: TreeNode | undefined): Promise<void> {
  if (node?.kind !== 'thread' || !node.thread.cwd) return;
  await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(localFolder(node.thread.cwd)));
}
