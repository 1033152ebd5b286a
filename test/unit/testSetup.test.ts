import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planSystemSetup } from '../harness/systemPackages';

describe('npm test sets itself up', () => {
  it('does nothing when every package is there, installs as root, and otherwise says in one line what to run', () => {
    assert.deepEqual(planSystemSetup([], false, true), { kind: 'ready' });
    assert.deepEqual(planSystemSetup([], true, true), { kind: 'ready' });
    assert.deepEqual(planSystemSetup(['chromium', 'ripgrep'], true, true), { kind: 'install', pkgs: ['chromium', 'ripgrep'] });
    const user = planSystemSetup(['chromium', 'libkrb5-dev'], false, true);
    assert.equal(user.kind, 'instruct');
    const msg = (user as { message: string }).message;
    assert.ok(!msg.includes('\n'), 'one line');
    assert.match(msg, /`sudo apt-get install -y --no-install-recommends chromium libkrb5-dev`/);
    // Root without apt (another distribution): the same line, not an attempt.
    assert.equal(planSystemSetup(['ripgrep'], true, false).kind, 'instruct');
  });

  it('the test command starts with the set-up and CI runs nothing it does not', () => {
    const root = path.resolve(__dirname, '..', '..', '..');
    const scripts = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
    assert.match(scripts.test, /^npm run compile && node out\/test\/harness\/setup\.js && /);
    const ci = fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    assert.deepEqual(ci.filter((l) => /^(npm|node|bash|apt|sudo)\b/.test(l.trim())), ['npm ci --no-audit --no-fund', 'npm test']);
  });
});
