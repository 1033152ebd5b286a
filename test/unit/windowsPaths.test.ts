import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { RepoResolver } from '../../src/core/attribution';
import { cacheDir, claudeRoots, codexHome, uniqueFolders } from '../../src/core/discovery';
import { UsageEngine } from '../../src/core/engine';
import { expandHome, folderKey, folderName, isInsideFolder, isWindowsPath, localFolder, normaliseFolder, windowsToWsl, wslToWindows } from '../../src/core/paths';
import { buildSnapshot } from '../../src/core/snapshot';
import { isInside } from '../../src/core/view/projector';
import { claudeLine, codexEnv, sessionMeta, tmpDir, tokenCount, turnContext, usage, writeLines } from './helpers';

// Windows-style fixtures, run on any OS: paths are judged by their own shape, never by process.platform.
const HOME = 'C:\\Users\\Me';
const WIN_ENV = { USERPROFILE: HOME, APPDATA: 'C:\\Users\\Me\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\Me\\AppData\\Local' };

describe('Windows paths', () => {
  it('knows a Windows path by its shape', () => {
    for (const p of ['C:\\Users\\me', 'c:/Users/me', 'D:', '\\\\server\\share\\x', '\\\\?\\C:\\Users\\me']) assert.equal(isWindowsPath(p), true, p);
    for (const p of ['/home/me', 'relative\\dir', '~/x', '/mnt/c/Users']) assert.equal(isWindowsPath(p), false, p);
  });

  it('normalises separators, trailing slashes, dot segments, the drive letter and the verbatim prefix, keeping the case shown', () => {
    assert.equal(normaliseFolder('c:/Users/Me/src/../Repo/'), 'C:\\Users\\Me\\Repo');
    assert.equal(normaliseFolder('\\\\?\\C:\\Users\\Me\\Repo'), 'C:\\Users\\Me\\Repo');
    assert.equal(normaliseFolder('\\\\?\\UNC\\fileserver\\team\\repo'), '\\\\fileserver\\team\\repo');
    assert.equal(normaliseFolder('/home/me/repo/'), '/home/me/repo');
    assert.equal(folderName('C:\\Users\\Me\\My Repo'), 'My Repo');
    assert.equal(folderName('C:\\'), 'C:\\');
  });

  it('one folder, one key: case, either separator, the verbatim prefix and the WSL mount', () => {
    const spellings = ['C:\\Users\\Me\\Repo', 'c:\\users\\me\\repo\\', 'C:/Users/Me/Repo', '\\\\?\\C:\\Users\\Me\\Repo', '/mnt/c/Users/Me/Repo'];
    assert.deepEqual(new Set(spellings.map(folderKey)).size, 1, spellings.map(folderKey).join(' | '));
    assert.notEqual(folderKey('/home/me/Repo'), folderKey('/home/me/repo'), 'POSIX folders keep their case');
    assert.equal(wslToWindows('/mnt/d/work'), 'D:\\work');
    assert.equal(windowsToWsl('D:\\work\\x'), '/mnt/d/work/x');
    assert.equal(localFolder('C:\\Users\\Me\\Repo', 'linux'), '/mnt/c/Users/Me/Repo');
    assert.equal(localFolder('C:\\Users\\Me\\Repo', 'win32'), 'C:\\Users\\Me\\Repo');
  });

  it('matches workspace folders without case, with drive letters in either case', () => {
    // VS Code on Windows hands `c:\...` (fsPath); Claude Code writes `C:\...`.
    assert.equal(isInside('C:\\Users\\Me\\Repo\\packages\\core', ['c:\\users\\me\\repo']), true);
    assert.equal(isInside('C:\\Users\\Me\\Repo', ['c:\\Users\\Me\\Repo']), true);
    assert.equal(isInside('C:\\Users\\Me\\Repo2', ['c:\\Users\\Me\\Repo']), false, 'a sibling with a longer name is not inside');
    assert.equal(isInside('D:\\Users\\Me\\Repo', ['C:\\Users\\Me\\Repo']), false, 'another drive');
    assert.equal(isInside('C:\\Users\\Me\\Repo', ['/mnt/c/Users/Me']), true, 'a WSL workspace holds the Windows transcripts of its folder');
    assert.equal(isInsideFolder('C:\\x', 'C:\\'), true, 'a drive root holds everything on it');
    assert.equal(isInsideFolder('C:\\x', 'c:\\X', false), false, 'the folder itself when asked for strictly inside');
  });

  it('finds Claude Code and Codex under %USERPROFILE%, %APPDATA% and settings written the Windows way', () => {
    assert.deepEqual(claudeRoots(WIN_ENV, HOME, 'win32'), ['C:\\Users\\Me\\.claude', 'C:\\Users\\Me\\.config\\claude', 'C:\\Users\\Me\\AppData\\Roaming\\claude']);
    assert.deepEqual(claudeRoots({ ...WIN_ENV, CLAUDE_CONFIG_DIR: '%UserProfile%\\claude-work, ~\\other,c:\\users\\me\\CLAUDE-WORK' }, HOME, 'win32'), ['C:\\Users\\Me\\claude-work', 'C:\\Users\\Me\\other']);
    assert.equal(codexHome(WIN_ENV, HOME, 'win32'), 'C:\\Users\\Me\\.codex');
    assert.equal(codexHome({ ...WIN_ENV, CODEX_HOME: 'D:/agents/codex/' }, HOME, 'win32'), 'D:\\agents\\codex');
    assert.equal(expandHome('%NOPE%\\x', HOME, WIN_ENV, 'win32'), '%NOPE%\\x', 'an unknown variable stays as written');
    assert.equal(expandHome('%USERPROFILE%/x', '/home/me', WIN_ENV, 'linux'), '%USERPROFILE%/x', '%VAR% is a Windows habit only');
    assert.deepEqual(uniqueFolders(['C:\\A\\b', 'c:/a/B/', 'C:\\A\\c']), ['C:\\A\\b', 'C:\\A\\c']);
  });

  it('keeps the CLI cache where each OS keeps caches', () => {
    assert.equal(cacheDir(WIN_ENV, HOME, 'win32'), 'C:\\Users\\Me\\AppData\\Local\\agent-usage');
    assert.equal(cacheDir({}, HOME, 'win32'), 'C:\\Users\\Me\\AppData\\Local\\agent-usage');
    assert.equal(cacheDir({}, '/Users/me', 'darwin'), '/Users/me/Library/Caches/agent-usage');
    assert.equal(cacheDir({ XDG_CACHE_HOME: '/c' }, '/home/me', 'linux'), '/c/agent-usage');
    assert.equal(cacheDir({}, '/home/me', 'linux'), '/home/me/.cache/agent-usage');
  });

  it('attributes a Windows cwd by its own folder name and never by the folder this process runs in', async () => {
    // Resolved the POSIX way, `C:\Users\...` would become `<process cwd>/C:\Users\...` and pick up our own repository.
    const a = await new RepoResolver('linux').resolve({ cwd: 'C:\\Users\\Me\\source\\My Repo\\', branch: 'main' });
    assert.deepEqual(a, { key: 'C:\\Users\\Me\\source\\My Repo', name: 'My Repo', branch: 'main', confidence: 'derived' });
    const unc = await new RepoResolver('win32').resolve({ cwd: '\\\\?\\UNC\\fileserver\\team\\tool' });
    assert.equal(unc.name, 'tool');
  });

  it('counts Windows transcripts and rollouts once, in one repository node, inside a workspace opened as c:\\...', async () => {
    const d = tmpDir();
    const claude = path.join(d, 'claude');
    const codex = path.join(d, 'codex');
    const at = (m: number) => new Date(Date.UTC(2026, 9, 5, 10, m)).toISOString();
    writeLines(path.join(claude, 'projects', 'C--Users-Me-Repo', 's1.jsonl'), [
      claudeLine({ id: 'm1', ts: at(0), sessionId: 's1', cwd: 'C:\\Users\\Me\\Repo', usage: { input_tokens: 100, output_tokens: 10 } }),
      claudeLine({ id: 'm2', ts: at(1), sessionId: 's1', cwd: 'C:\\Users\\Me\\Repo', usage: { input_tokens: 200, output_tokens: 20 } }),
    ]);
    writeLines(path.join(codex, 'sessions', '2026', '10', '05', 'rollout-2026-10-05T10-02-00-0199aaaa-0000-7000-8000-000000000001.jsonl'), [
      sessionMeta(at(2), '0199aaaa-0000-7000-8000-000000000001', { cwd: '\\\\?\\c:\\users\\me\\repo' }),
      { ...turnContext(at(2), 'gpt-5.3-codex'), payload: { cwd: 'c:\\users\\me\\repo', model: 'gpt-5.3-codex' } },
      tokenCount(at(3), usage(1000, 0, 50), usage(1000, 0, 50)),
      codexEnv(at(4), 'event_msg', { type: 'agent_message', message: 'done' }),
    ]);
    const e = new UsageEngine({ claudeRoots: [claude], codexHome: codex });
    await e.scan();
    const snap = await buildSnapshot({
      now: Date.UTC(2026, 9, 5, 12),
      events: e.events(),
      hints: e.threadHints(),
      codexLimits: e.codexLimits(),
      claude: { enabled: false },
      workspaceFolders: ['c:\\users\\me\\repo'],
      timezone: 'UTC',
      weekStartsOn: 'monday',
      staleAfterMs: 900_000,
      indexing: { done: 1, total: 1, finished: true },
      resolver: new RepoResolver('win32'),
      historyDays: 30,
    });
    assert.equal(snap.today.all.tokens, 330 + 1050);
    assert.equal(snap.todayWorkspace.tokens, 330 + 1050, 'every thread ran inside the open folder');
    const threads = Object.values(snap.threads);
    assert.equal(threads.length, 2);
    assert.deepEqual([...new Set(threads.map((t) => t.repo))], ['Repo'], 'one folder, one repository node, whatever the spelling');
    assert.deepEqual(Object.values(snap.repos).map((r) => [r.repo, r.threadCount, r.inWorkspace]), [['Repo', 2, true]]);
    assert.equal(threads.every((t) => t.inWorkspace), true);
  });
});
