import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RepoResolver, normaliseRemote } from '../../src/core/attribution';
import { tmpDir } from './helpers';
import { sessionReport } from '../../src/core/reports/sessions';
import { repositoryReport } from '../../src/core/reports/repositories';
import { ThreadHints, UsageEvent } from '../../src/core/events';

function fakeRepo(root: string, branch: string, remote?: string) {
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  fs.writeFileSync(path.join(root, '.git', 'HEAD'), `ref: refs/heads/${branch}\n`);
  fs.writeFileSync(path.join(root, '.git', 'config'), `[core]\n\tbare = false\n` + (remote ? `[remote "origin"]\n\turl = ${remote}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n` : ''));
}

describe('attribution', () => {
  it('normalises remotes in scp and URL form, dropping credentials', () => {
    assert.equal(normaliseRemote('git@github.com:Acme/Web.git'), 'github.com/acme/web');
    assert.equal(normaliseRemote('https://user:secret@github.com/acme/web.git'), 'github.com/acme/web');
    assert.equal(normaliseRemote('ssh://git@gitlab.example.com:22/team/api'), 'gitlab.example.com/team/api');
  });

  it('walks up from the cwd to the git root and reads branch and origin (exact)', async () => {
    const d = tmpDir();
    const repo = path.join(d, 'web');
    fakeRepo(repo, 'feature/x', 'git@github.com:acme/web.git');
    fs.mkdirSync(path.join(repo, 'packages', 'ui'), { recursive: true });
    const a = await new RepoResolver().resolve({ cwd: path.join(repo, 'packages', 'ui') });
    assert.deepEqual(a, { key: 'github.com/acme/web', name: 'acme/web', root: repo, remote: 'github.com/acme/web', branch: 'feature/x', confidence: 'exact' });
  });

  it('uses the git root when there is no remote', async () => {
    const repo = path.join(tmpDir(), 'local');
    fakeRepo(repo, 'main');
    const a = await new RepoResolver().resolve({ cwd: repo });
    assert.equal(a.key, repo);
    assert.equal(a.name, 'local');
    assert.equal(a.confidence, 'exact');
  });

  it('follows a worktree .git file to its git dir', async () => {
    const d = tmpDir();
    const main = path.join(d, 'main');
    fakeRepo(main, 'main', 'https://github.com/acme/api');
    const wtGit = path.join(main, '.git', 'worktrees', 'wt');
    fs.mkdirSync(wtGit, { recursive: true });
    fs.writeFileSync(path.join(wtGit, 'HEAD'), 'ref: refs/heads/hotfix\n');
    fs.writeFileSync(path.join(wtGit, 'commondir'), '../..\n');
    const wt = path.join(d, 'wt');
    fs.mkdirSync(wt);
    fs.writeFileSync(path.join(wt, '.git'), `gitdir: ${wtGit}\n`);
    const a = await new RepoResolver().resolve({ cwd: wt });
    assert.equal(a.key, 'github.com/acme/api');
    assert.equal(a.branch, 'hotfix');
  });

  it('prefers Codex session_meta.git over the disk', async () => {
    const a = await new RepoResolver().resolve({ cwd: '/does/not/exist', repositoryUrl: 'git@github.com:acme/cli.git', branch: 'dev' });
    assert.equal(a.key, 'github.com/acme/cli');
    assert.equal(a.branch, 'dev');
    assert.equal(a.confidence, 'exact');
  });

  it('groups a thread outside any repository under its directory (derived)', async () => {
    const dir = path.join(tmpDir(), 'scratch');
    fs.mkdirSync(dir);
    const a = await new RepoResolver().resolve({ cwd: dir });
    assert.equal(a.key, dir);
    assert.equal(a.confidence, 'derived');
  });

  it('one folder, one repository node: a Claude thread (path only) and a Codex thread (git metadata) in a folder gone from disk', async () => {
    const cwd = path.join(tmpDir(), 'dev', 'infra'); // never created: the history outlived the folder
    const ev = (source: 'claude' | 'codex', sessionId: string): UsageEvent => ({ id: `${source}:${sessionId}`, source, sessionId, timestamp: Date.UTC(2026, 9, 5), model: 'm', tokens: { input: 10, output: 1, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0 }, cost: 0, costFromLog: false });
    const hints = new Map<string, ThreadHints>([
      ['claude:c1', { source: 'claude', sessionId: 'c1', file: '/x/c1.jsonl', cwd, branch: 'main' }],
      ['codex:x1', { source: 'codex', sessionId: 'x1', file: '/x/x1.jsonl', cwd, branch: 'feature', repositoryUrl: 'git@github.com:dev/infra.git' }],
      ['claude:c2', { source: 'claude', sessionId: 'c2', file: '/x/c2.jsonl', cwd: path.join(cwd, '..', 'other') }],
    ]);
    const r = await sessionReport([ev('claude', 'c1'), ev('codex', 'x1'), ev('claude', 'c2')], hints, { timezone: 'UTC' });
    const repos = repositoryReport(r.sessions);
    assert.deepEqual(repos.map((x) => [x.repo, x.threads.map((t) => t.sessionId).sort(), x.repoConfidence]).sort(), [['dev/infra', ['c1', 'x1'], 'exact'], ['other', ['c2'], 'derived']]);
    // Each thread keeps its own branch.
    assert.equal(r.sessions.find((s) => s.sessionId === 'c1')?.branch, 'main');
  });
});
