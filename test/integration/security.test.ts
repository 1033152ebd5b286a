import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, fixture, until } from './env';

suite('Security line in a real extension host', () => {
  const fx = fixture();

  test('neither the dashboard HTML nor any message to it carries the token; command links are off', async () => {
    const a = await api();
    await vscode.commands.executeCommand('agentUsage.showUsage');
    const panel = await until('the dashboard', () => a.dashboard());
    const msg = await until('a message', () => panel.lastMessage);
    assert.equal(msg.type, 'full');
    const json = JSON.stringify(msg);
    assert.ok(!json.includes(fx.token), 'no token in messages');
    assert.ok(!json.includes('refreshToken') && !json.includes('sk-ant-'), 'nothing credential-like');
    const html = panel.panel.webview.html;
    assert.ok(!html.includes(fx.token));
    assert.match(html, /default-src 'none'/);
    assert.equal(panel.panel.webview.options.enableCommandUris, false);
  });

  test('thread rows open nothing by themselves; tooltips are untrusted Markdown', async () => {
    const a = await api();
    await a.store.whenReady();
    for (const repo of a.tree.getChildren()) {
      const repoItem = a.tree.getTreeItem(repo);
      assert.equal(repoItem.command, undefined);
      for (const t of a.tree.getChildren(repo)) {
        const item = a.tree.getTreeItem(t);
        assert.equal(item.command, undefined, 'a path from the logs is only opened by the user’s action');
        assert.equal((item.tooltip as vscode.MarkdownString).isTrusted, false);
      }
    }
  });

  test('an endpoint that is not https (nor loopback) is refused: Claude limits are not fetched', async () => {
    const a = await api();
    const cfg = vscode.workspace.getConfiguration('agentUsage');
    const original = cfg.inspect<string>('limits.claude.endpoint')?.globalValue;
    try {
      await cfg.update('limits.claude.endpoint', 'http://example.com/api/oauth/usage', vscode.ConfigurationTarget.Global);
      await until('the refused endpoint', () => a.store.snapshot?.claude.state === 'disabled', 30_000);
    } finally {
      await cfg.update('limits.claude.endpoint', original, vscode.ConfigurationTarget.Global);
    }
    await until('the loopback endpoint again', () => a.store.config['limits.claude.endpoint'] === original);
  });

  test('a workspace cannot point the token at another endpoint, nor the reader at other folders', async () => {
    const a = await api();
    const cfg = vscode.workspace.getConfiguration('agentUsage');
    const before = a.store.config['limits.claude.endpoint'];
    try {
      await cfg.update('limits.claude.endpoint', 'https://attacker.example/api/oauth/usage', vscode.ConfigurationTarget.Workspace);
      await cfg.update('claudeConfigDirs', ['/tmp/planted'], vscode.ConfigurationTarget.Workspace);
      await until('the workspace value written', () => vscode.workspace.getConfiguration('agentUsage').inspect('limits.claude.endpoint')?.workspaceValue !== undefined);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(a.store.config['limits.claude.endpoint'], before, 'the user’s endpoint stays');
      assert.deepEqual(a.store.config.claudeConfigDirs, [], 'the reader’s folders stay');
    } finally {
      await cfg.update('limits.claude.endpoint', undefined, vscode.ConfigurationTarget.Workspace);
      await cfg.update('claudeConfigDirs', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
