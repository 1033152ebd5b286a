import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// config.ts imports vscode; read its defaults as text so this test runs outside VS Code.
const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const configSrc = fs.readFileSync(path.join(root, 'src/extension/config.ts'), 'utf8');
const commandsSrc = fs.readFileSync(path.join(root, 'src/extension/commands.ts'), 'utf8');

describe('manifest and typed configuration stay in step', () => {
  const props = pkg.contributes.configuration.properties as Record<string, { default: unknown; description?: string; markdownDescription?: string }>;

  it('every setting in package.json is in the AgentUsageConfig interface and its defaults, and back', () => {
    const iface = configSrc.slice(configSrc.indexOf('export interface AgentUsageConfig'), configSrc.indexOf('export const CONFIG_DEFAULTS'));
    const keysInInterface = [...iface.matchAll(/^\s+'?([\w.]+)'?: /gm)].map((m) => m[1]);
    const keysInPackage = Object.keys(props).map((k) => k.replace(/^agentUsage\./, ''));
    assert.deepEqual([...keysInInterface].sort(), [...keysInPackage].sort());
  });

  it('defaults agree and every setting is described', () => {
    const defaultsSrc = configSrc.slice(configSrc.indexOf('export const CONFIG_DEFAULTS'), configSrc.indexOf('export function readConfig'));
    for (const [k, p] of Object.entries(props)) {
      const key = k.replace(/^agentUsage\./, '');
      assert.ok(p.description || p.markdownDescription, `${k} has a description`);
      const m = new RegExp(`^\\s+'?${key.replace(/\./g, '\\.')}'?: (.+),$`, 'm').exec(defaultsSrc);
      assert.ok(m, `${key} has a default in config.ts`);
      const literal = m[1] === 'DEFAULT_USAGE_ENDPOINT' ? JSON.stringify('https://api.anthropic.com/api/oauth/usage') : m[1].replace(/'/g, '"');
      assert.deepEqual(JSON.parse(literal), p.default, `${key} default`);
    }
  });

  it('every command id is contributed with a category, and every contributed command exists', () => {
    const ids = [...commandsSrc.matchAll(/: '(agentUsage\.\w+)',/g)].map((m) => m[1]);
    const contributed = pkg.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual([...ids].sort(), [...contributed].sort());
    for (const c of pkg.contributes.commands) assert.equal(c.category, 'Agent Usage');
  });

  it('activates on startup, stays cheap, and has a keyboard shortcut for Show Usage', () => {
    assert.deepEqual(pkg.activationEvents.includes('onStartupFinished'), true);
    assert.ok(pkg.contributes.keybindings.some((k: { command: string }) => k.command === 'agentUsage.showUsage'));
    assert.equal(pkg.engines.vscode, '^1.99.0');
    assert.equal(pkg.devDependencies['@types/vscode'], '1.99.0');
  });
});
