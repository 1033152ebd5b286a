import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { claudeRoots, codexHome, discoverLogFiles, findJsonl } from '../../src/core/discovery';
import { tmpDir } from './helpers';

describe('discovery', () => {
  it('reads CLAUDE_CONFIG_DIR as a comma list, de-duplicated', () => {
    assert.deepEqual(claudeRoots({ CLAUDE_CONFIG_DIR: '/a, /b,/a' }, '/home/u'), ['/a', '/b']);
    assert.deepEqual(claudeRoots({ CLAUDE_CONFIG_DIR: '~/x' }, '/home/u'), ['/home/u/x']);
  });

  it('defaults to ~/.claude and the XDG config dir', () => {
    assert.deepEqual(claudeRoots({}, '/home/u'), ['/home/u/.claude', '/home/u/.config/claude']);
    assert.deepEqual(claudeRoots({ XDG_CONFIG_HOME: '/cfg' }, '/home/u'), ['/home/u/.claude', '/cfg/claude']);
  });

  it('takes CODEX_HOME, else ~/.codex', () => {
    assert.equal(codexHome({ CODEX_HOME: '/c' }, '/home/u'), '/c');
    assert.equal(codexHome({}, '/home/u'), '/home/u/.codex');
  });

  it('finds transcripts recursively, sub-agents and archived rollouts included, and survives a symlink loop', async () => {
    const d = tmpDir();
    const claude = path.join(d, 'claude');
    const codex = path.join(d, 'codex');
    const files = [
      path.join(claude, 'projects', 'p', 's.jsonl'),
      path.join(claude, 'projects', 'p', 's', 'subagents', 'agent-1.jsonl'),
      path.join(claude, 'projects', 'p', 'agent-2.jsonl'),
      path.join(codex, 'sessions', '2026', '10', '05', 'rollout-a.jsonl'),
      path.join(codex, 'sessions', 'rollout-flat.jsonl'),
      path.join(codex, 'archived_sessions', 'rollout-b.jsonl'),
    ];
    for (const f of files) {
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, '');
    }
    fs.writeFileSync(path.join(claude, 'projects', 'p', 's', 'subagents', 'agent-1.meta.json'), '{}');
    fs.symlinkSync(path.join(claude, 'projects'), path.join(claude, 'projects', 'p', 'loop'));
    const found = await discoverLogFiles({ claudeRoots: [claude, path.join(d, 'missing')], codexHome: codex });
    assert.deepEqual(found.map((f) => f.path).sort(), [...files].sort());
    assert.deepEqual(found.filter((f) => f.source === 'codex').length, 3);
  });

  it('gives nothing for a missing folder', async () => {
    assert.deepEqual(await findJsonl(path.join(tmpDir(), 'nope')), []);
  });
});
