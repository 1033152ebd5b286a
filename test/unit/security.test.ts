import * as assert from 'node:assert/strict';
import { dashboardCsp, dashboardHtml } from '../../src/extension/dashboard/html';
import { Redactor } from '../../src/core/redact';
import { exportUsage } from '../../src/core/export';
import { SessionRow } from '../../src/core/reports/sessions';
import { checkEndpoint } from '../../src/core/limits/endpoint';
import { fetchClaudeUsage } from '../../src/core/limits/usageClient';

const TOKEN = 'sk-ant-oat01-abcDEF0123456789-secret';

describe('security line', () => {
  it('the dashboard CSP is default-src none, nonce scripts only, nothing remote', () => {
    const html = dashboardHtml({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/dist/dashboard.js', styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/dashboard.css', nonce: 'N0nce123' });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const d = Object.fromEntries(csp.split(';').map((x) => x.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(d['default-src'], ["'none'"]);
    assert.deepEqual(d['script-src'], ["'nonce-N0nce123'"]);
    assert.deepEqual(d['connect-src'], ["'none'"]);
    for (const [k, v] of Object.entries(d)) {
      for (const src of v as string[]) {
        assert.ok(!/unsafe-inline|unsafe-eval|\*/.test(src), `${k} ${src}`);
        assert.ok(!/^https?:/.test(src) || src.includes('vscode-resource.vscode-cdn.net'), `${k} allows only the webview's own resources, not ${src}`);
      }
    }
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    assert.ok(scripts.length > 0 && scripts.every((a) => a.includes('nonce="N0nce123"')), 'every script carries the nonce');
    assert.ok(!/\son[a-z]+="/i.test(html), 'no inline event handlers');
    assert.ok(!/https?:\/\/(?!file\+\.vscode-resource)/.test(html), 'no remote URL');
    assert.equal(dashboardCsp('x', 'n').includes('frame-src'), true);
  });

  it('log lines never carry the token: registered secrets and bearer-shaped strings are redacted', () => {
    const r = new Redactor();
    r.add(TOKEN);
    assert.equal(r.redact(`request failed for ${TOKEN}`), 'request failed for ***');
    assert.equal(r.redact('Authorization: Bearer abc.def-ghi'), 'Authorization: Bearer ***');
    assert.equal(r.redact('leaked sk-ant-oat01-ZZZZZZZZZZZZ elsewhere'), 'leaked sk-ant-*** elsewhere');
  });

  it('a failed request never puts the token in its error', async () => {
    const r = await fetchClaudeUsage({ endpoint: 'https://127.0.0.1:1/api/oauth/usage', token: TOKEN, userAgent: 'x', timeoutMs: 2000 });
    assert.equal(r.kind, 'network');
    assert.ok(!JSON.stringify(r).includes(TOKEN));
  });

  it('the endpoint setting refuses non-https hosts other than loopback', () => {
    for (const bad of ['http://api.anthropic.com/api/oauth/usage', 'http://192.168.1.2/x', 'http://localhost.example.com/x', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']) assert.equal(checkEndpoint(bad).ok, false, bad);
    for (const good of ['https://api.anthropic.com/api/oauth/usage', 'http://127.0.0.1:8080/api/oauth/usage', 'http://127.5.5.5/x', 'http://localhost:1/x']) assert.equal(checkEndpoint(good).ok, true, good);
  });

  it('exports hold counts, costs, models and repository names: no prompt text, folders or log paths', () => {
    const row: SessionRow = {
      sessionId: 's1',
      source: 'claude',
      repo: 'acme/web',
      repoKey: 'github.com/acme/web',
      repoConfidence: 'exact',
      repoRoot: '/home/u/src/web',
      branch: 'main',
      cwd: '/home/u/src/web/private-folder',
      logFile: '/home/u/.claude/projects/x/s1.jsonl',
      title: 'please refactor the secret payroll module',
      firstActivity: '2026-11-23T10:00:00.000Z',
      lastActivity: '2026-11-23T11:00:00.000Z',
      modelsUsed: ['claude-opus-4-6'],
      modelBreakdowns: [],
      inputTokens: 1,
      outputTokens: 2,
      cacheCreationTokens: 3,
      cacheReadTokens: 4,
      reasoningTokens: 0,
      totalTokens: 10,
      totalCost: 0.01,
    };
    for (const format of ['json', 'tsv'] as const) {
      const out = exportUsage('sessions', format, { daily: [], sessions: [row] });
      for (const secret of ['payroll', 'private-folder', '.claude/projects', '/home/u']) assert.ok(!out.includes(secret), `${format} leaks ${secret}`);
      assert.ok(out.includes('acme/web') && out.includes('claude-opus-4-6'));
    }
  });
});
