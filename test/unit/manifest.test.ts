import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// config.ts imports vscode; read its defaults as text so this test runs outside VS Code.
const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const configSrc = fs.readFileSync(path.join(root, 'src/extension/config.ts'), 'utf8');
const commandsSrc = fs.readFileSync(path.join(root, 'src/extension/commands.ts'), 'utf8');

describe('manifest and typed configuration stay in step', () => {
  type Prop = { default: unknown; description?: string; markdownDescription?: string; scope?: string };
  const groups = pkg.contributes.configuration as { title: string; properties: Record<string, Prop> }[];
  const props: Record<string, Prop> = Object.assign({}, ...groups.map((g) => g.properties));
  const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const text = (s: string | undefined) => (s && /^%.+%$/.test(s) ? nls[s.slice(1, -1)] : s);

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
      assert.ok(text(p.description) || text(p.markdownDescription), `${k} has a description`);
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

  it('settings come in titled groups, and what decides which files are read or where the token goes is out of a workspace’s reach', () => {
    assert.ok(groups.length >= 4);
    for (const g of groups) assert.ok(text(g.title), 'each group has a title');
    // A workspace's .vscode/settings.json must not point the token at another endpoint or the reader at other folders.
    // Which folders are read and where the token goes: read from user settings only (readConfig), and said so.
    const userOnly = /USER_ONLY_SETTINGS[^=]*= \[([^\]]+)\]/.exec(configSrc)![1].match(/'([\w.]+)'/g)!.map((x) => x.slice(1, -1));
    assert.deepEqual(userOnly.sort(), ['claudeConfigDirs', 'codexHome', 'limits.claude.enabled', 'limits.claude.endpoint', 'limits.claude.pollMinutes']);
    for (const k of userOnly) assert.match(text(props[`agentUsage.${k}`].description) ?? text(props[`agentUsage.${k}`].markdownDescription) ?? '', /user settings/, k);
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces, { supported: true });
    assert.equal(pkg.capabilities.virtualWorkspaces.supported, 'limited');
  });

  it('runs on the workspace side, where the agents and their logs are (Remote-SSH, WSL, Dev Containers)', () => {
    assert.deepEqual(pkg.extensionKind, ['workspace']);
  });

  it('has a 128x128 PNG icon, an activity-bar SVG of its own, and a walkthrough whose commands exist', () => {
    const png = fs.readFileSync(path.join(root, pkg.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    const bar = pkg.contributes.viewsContainers.activitybar[0].icon as string;
    assert.match(fs.readFileSync(path.join(root, bar), 'utf8'), /^<svg[^>]+viewBox="0 0 24 24"/);
    const commands = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));
    for (const step of pkg.contributes.walkthroughs[0].steps) {
      for (const m of (text(step.description) ?? '').matchAll(/\(command:([\w.]+)/g)) assert.ok(commands.has(m[1]) || /^workbench\.|\.focus$/.test(m[1]), m[1]);
      assert.ok(fs.existsSync(path.join(root, step.media.markdown)), step.media.markdown);
    }
  });

  it('the translation bundle holds exactly the strings the extension passes to vscode.l10n.t', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-usage-l10n-'));
    try {
      execFileSync(process.execPath, [path.join(root, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js'), 'export', '-o', out, path.join(root, 'src', 'extension')], { stdio: 'pipe' });
      const fresh = JSON.parse(fs.readFileSync(path.join(out, 'bundle.l10n.json'), 'utf8'));
      const committed = JSON.parse(fs.readFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), 'utf8'));
      assert.deepEqual(committed, fresh, 'run npm run l10n');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
