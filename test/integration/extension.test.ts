import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, api, fixture, until } from './env';
import { extraClaudeLine } from '../fixtures/home';
import { UsageEngine } from '../../src/core/engine';
import { EngineIndex } from '../../src/core/persist/engineIndex';
import { totalTokens } from '../../src/core/tokens';

suite('Agent Usage in a real extension host', () => {
  const fx = fixture();

  test('activates on startup and registers its commands and view', async () => {
    // The runner says which VS Code it started (the oldest engines.vscode admits, or the current one).
    if (process.env.AGENT_USAGE_EXPECT_VSCODE) assert.equal(vscode.version, process.env.AGENT_USAGE_EXPECT_VSCODE);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'extension installed');
    await until('activation', () => ext.isActive);
    const cmds = await vscode.commands.getCommands(true);
    for (const c of ['showUsage', 'refresh', 'export', 'showLogs', 'openSettings', 'openThreadLog', 'revealThreadCwd', 'setThreadsRange', 'sortThreads']) {
      assert.ok(cmds.includes(`agentUsage.${c}`), `agentUsage.${c} registered`);
    }
    await vscode.commands.executeCommand('workbench.view.extension.agentUsage');
  });

  test('indexes the fixture HOME with the exact figures', async () => {
    const a = await api();
    const s = await a.store.whenReady();
    assert.equal(s.today.claude.tokens, fx.expected.todayTokens.claude);
    assert.equal(s.today.codex.tokens, fx.expected.todayTokens.codex);
    assert.equal(s.today.all.tokens, fx.expected.todayTokens.all);
    assert.equal(s.todayWorkspace.tokens, fx.expected.workspaceTokens);
    const codex5h = s.limits.find((l) => l.source === 'codex' && l.name === 'fiveHour');
    assert.equal(codex5h?.percent, fx.expected.codex.fiveHour);
  });

  test('the threads tree lists the repositories, the workspace first, with their totals', async () => {
    const a = await api();
    await a.store.whenReady();
    const groups = a.tree.groups();
    assert.deepEqual(
      groups.map((g) => [g.repo.repo, g.threads.length, g.threads.reduce((n, t) => n + t.totalTokens, 0), g.repo.inWorkspace]),
      Object.entries(fx.expected.repos).map(([name, r], i) => [name, r.threads, r.tokens, i === 0]),
    );
    const roots = a.tree.getChildren();
    const item = a.tree.getTreeItem(roots[0]);
    assert.equal(item.label, 'acme/web');
    assert.match(String(item.description), /this workspace/);
    const threads = a.tree.getChildren(roots[0]);
    const titles = threads.map((t) => a.tree.getTreeItem(t).label);
    assert.ok(titles.includes(fx.expected.claudeTitle), `titles: ${titles.join(' | ')}`);
  });

  test('a line appended to a log shows up in the store', async () => {
    const a = await api();
    const before = (await a.store.whenReady()).today.claude.tokens;
    fs.appendFileSync(fx.claudeSessionFile, extraClaudeLine(fx, `live-${Date.now()}`));
    await until('the appended line', () => a.store.snapshot?.today.claude.tokens === before + 1000, 15_000);
  });

  test('exports a versioned API for other extensions and sets the level context keys', async () => {
    const a = await api();
    await a.store.whenReady();
    // What another extension sees: the exports of getExtension(...), nothing internal needed.
    const pub = vscode.extensions.getExtension<{ apiVersion: number; getSnapshot(): import('../../src/extension/publicApi').PublicState | undefined; onDidChange: vscode.Event<void> }>(EXTENSION_ID)!.exports;
    assert.equal(pub.apiVersion, 1);
    const p = pub.getSnapshot()!;
    assert.equal(p.apiVersion, 1);
    assert.equal(p.today.all.tokens, a.store.snapshot!.today.all.tokens);
    const codex5h = p.limits.find((l) => l.source === 'codex' && l.name === 'fiveHour')!;
    assert.equal(codex5h.percent, fx.expected.codex.fiveHour);
    assert.equal(codex5h.origin, 'codex-logs');
    assert.ok(!JSON.stringify(p).includes(fx.token));
    // A lower threshold turns the level (and the context key) to warning, and onDidChange fires.
    let fired = 0;
    const sub = pub.onDidChange(() => fired++);
    const cfg = vscode.workspace.getConfiguration('agentUsage');
    try {
      await cfg.update('thresholds.codex.warning', 10, vscode.ConfigurationTarget.Global);
      await until('the codex level at warning', () => pub.getSnapshot()?.level.codex === 'warning' && a.contextLevels().codex === 'warning');
      assert.ok(fired > 0);
    } finally {
      sub.dispose();
      await cfg.update('thresholds.codex.warning', undefined, vscode.ConfigurationTarget.Global);
    }
    await until('the codex level back to ok', () => a.contextLevels().codex === 'ok');
  });

  test('a configuration change takes effect', async () => {
    const a = await api();
    const cfg = vscode.workspace.getConfiguration('agentUsage');
    await cfg.update('statusBar.metric', 'tokens', vscode.ConfigurationTarget.Global);
    try {
      await until('the tokens metric', () => a.store.config['statusBar.metric'] === 'tokens');
      a.meter.render();
      await cfg.update('threads.range', 'today', vscode.ConfigurationTarget.Global);
      await until('the range setting', () => a.store.config['threads.range'] === 'today');
    } finally {
      await cfg.update('statusBar.metric', undefined, vscode.ConfigurationTarget.Global);
      await cfg.update('threads.range', undefined, vscode.ConfigurationTarget.Global);
    }
    await until('the default metric back', () => a.store.config['statusBar.metric'] === 'percent');
  });

  test('Show Usage opens the dashboard and every chart draws data', async () => {
    const a = await api();
    await vscode.commands.executeCommand('agentUsage.showUsage');
    const panel = await until('the dashboard panel', () => a.dashboard());
    const drawn = await until('the charts', () => panel.lastRendered, 30_000);
    for (const k of ['daily', 'burnup', 'heatmap', 'threads', 'totals']) assert.ok(drawn[k] > 0, `${k} drew ${drawn[k]}`);
  });

  test('the dashboard gets patches while shown, nothing while hidden, and its whole state again when shown', async () => {
    const a = await api();
    await vscode.commands.executeCommand('agentUsage.showUsage');
    const panel = await until('the dashboard panel', () => a.dashboard());
    await until('its first state', () => panel.sent.some((m) => m.type === 'full'));
    const before = (await a.store.whenReady()).today.claude.tokens;
    let n = panel.sent.length;
    fs.appendFileSync(fx.claudeSessionFile, extraClaudeLine(fx, `patch-${Date.now()}`));
    await until('the line in the store', () => a.store.snapshot?.today.claude.tokens === before + 1000, 15_000);
    await until('a patch', () => panel.sent.length > n);
    assert.deepEqual([...new Set(panel.sent.slice(n).map((m) => m.type))], ['patch']);
    assert.ok(panel.sent.slice(n).every((m) => m.bytes < 50_000));
    // Hidden behind an editor: nothing is sent.
    const doc = await vscode.workspace.openTextDocument({ content: 'x' });
    await vscode.window.showTextDocument(doc, { viewColumn: panel.panel.viewColumn, preview: false });
    await until('the dashboard hidden', () => !panel.panel.visible);
    n = panel.sent.length;
    fs.appendFileSync(fx.claudeSessionFile, extraClaudeLine(fx, `hidden-${Date.now()}`));
    await until('the hidden line in the store', () => a.store.snapshot?.today.claude.tokens === before + 2000, 15_000);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(panel.sent.length, n, 'nothing while hidden');
    panel.panel.reveal();
    await until('the whole state on showing again', () => panel.sent.slice(n).some((m) => m.type === 'full'), 15_000);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a plan set in the settings reaches the open dashboard, which draws its plan value', async () => {
    const a = await api();
    await vscode.commands.executeCommand('agentUsage.showUsage');
    const panel = await until('the dashboard panel', () => a.dashboard());
    await until('drawn without a plan', () => panel.lastRendered?.plan === 0, 15_000);
    const cfg = vscode.workspace.getConfiguration('agentUsage');
    const n = panel.sent.length;
    try {
      await cfg.update('plan.claude', 'max5x', vscode.ConfigurationTarget.Global);
      // The Claude plan's card and the table of this month's repositories.
      await until('the plan value drawn', () => (panel.lastRendered?.plan ?? 0) >= 2, 15_000);
      assert.ok(panel.sent.slice(n).every((m) => m.type === 'patch'), 'a patch, not the whole state');
    } finally {
      await cfg.update('plan.claude', undefined, vscode.ConfigurationTarget.Global);
    }
    await until('drawn without a plan again', () => panel.lastRendered?.plan === 0, 15_000);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('saves a persistent index that restores the same figures without reading the logs', async () => {
    const a = await api();
    await a.store.whenReady();
    await until('the index file', () => fs.existsSync(a.store.indexFile), 30_000);
    await a.store.saveIndex();
    const engine = new UsageEngine(a.store.engineOptions);
    const r = await new EngineIndex(a.store.indexFile, engine).load();
    assert.equal(r.kind, 'loaded');
    const tokens = engine.events().reduce((n, e) => n + totalTokens(e.tokens), 0);
    const shown = Object.values(a.store.snapshot?.daily ?? {}).reduce((n, d) => n + d.totalTokens, 0);
    assert.equal(tokens, shown);
    assert.equal((await engine.scan()).bytesRead, 0);
  });

  test('export writes counts and costs only', async () => {
    const a = await api();
    const out = vscode.Uri.file(path.join(fx.root, 'export-sessions.json'));
    await a.exportTo(a.store, { kind: 'sessions', format: 'json', uri: out });
    const text = fs.readFileSync(out.fsPath, 'utf8');
    const j = JSON.parse(text);
    assert.equal(j.sessions.length, 3);
    assert.ok(!text.includes(fx.expected.claudeTitle), 'no prompt text');
    assert.ok(!text.includes(fx.token), 'no token');
    const tsv = vscode.Uri.file(path.join(fx.root, 'export-daily.tsv'));
    await a.exportTo(a.store, { kind: 'daily', format: 'tsv', uri: tsv });
    assert.match(fs.readFileSync(tsv.fsPath, 'utf8'), /^date\tinputTokens/);
  });
});
