// npm run test:integration: the integration suite inside a real VS Code extension host (code-server),
// offline, once per VS Code it must run on (the oldest engines.vscode admits and the current one;
// AGENT_USAGE_CODE_SERVER=4.100.3 picks one). Exit code 0 when every test passed on every one.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createFixtureHome } from '../fixtures/home';
import { launchBrowser } from '../harness/browser';
import { CodeServer } from '../harness/codeServer';
import { checkPrerequisites, ensureCodeServer } from '../harness/installCodeServer';
import { CODE_SERVER_VERSIONS, REPO_ROOT, vscodeVersionOf } from '../harness/paths';
import type { SuiteResult } from './index';
import { FakeUsageServer } from '../harness/usageServer';

async function runOn(version: string): Promise<number> {
  // Installed (if it is not yet) before anything starts: which VS Code it bundles is the suite's expectation.
  ensureCodeServer(undefined, version);
  const vscodeVersion = vscodeVersionOf(version);
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-usage-it-'));
  const fx = createFixtureHome(path.join(run, 'fixture'));
  const fixtureFile = path.join(run, 'fixture.json');
  fs.writeFileSync(fixtureFile, JSON.stringify(fx));
  const resultFile = path.join(run, 'result.json');
  const usage = new FakeUsageServer();
  const endpoint = await usage.start();
  const server = new CodeServer({
    version,
    runDir: path.join(run, 'cs'),
    home: fx.home,
    settings: { 'agentUsage.limits.claude.endpoint': endpoint, 'agentUsage.timezone': 'UTC' },
    env: { AGENT_USAGE_FIXTURE: fixtureFile, AGENT_USAGE_TEST_RESULT: resultFile, AGENT_USAGE_EXPECT_VSCODE: vscodeVersion },
  });
  const browser = await launchBrowser().catch(async (e) => {
    await usage.stop();
    throw e;
  });
  let code = 1;
  try {
    const base = await server.start();
    const authority = new URL(base).host;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${REPO_ROOT}`],
      ['extensionTestsPath', `vscode-remote://${authority}${path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js')}`],
    ];
    const page = browser.ctx.pages()[0] ?? (await browser.ctx.newPage());
    if (process.env.AGENT_USAGE_DEBUG) page.on('console', (m) => process.stdout.write(`[console.${m.type()}] ${m.text()}\n`));
    let done!: (c: number) => void;
    const exited = new Promise<number>((r) => (done = r));
    await page.exposeFunction('codeAutomationExit', (c: number) => done(c));
    await page.goto(`${base}/?folder=${encodeURIComponent(fx.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    code = await Promise.race([exited, new Promise<number>((r) => setTimeout(() => r(124), 300_000))]);
    if (code === 124) process.stderr.write('integration tests timed out after 300 s\n');
    const result: SuiteResult | undefined = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : undefined;
    if (result) {
      process.stdout.write(`\nIntegration tests in a real VS Code extension host (code-server ${version}, VS Code ${vscodeVersion}):\n`);
      for (const t of result.tests) process.stdout.write(`  ${t.state === 'passed' ? '✔' : '✗'} ${t.title}${t.ms ? ` (${t.ms} ms)` : ''}\n${t.error ? `      ${t.error.split('\n').slice(0, 6).join('\n      ')}\n` : ''}`);
      process.stdout.write(`${result.passes} passed, ${result.failures} failed\n`);
    }
    else if (code === 0) {
      process.stderr.write('integration: the suite reported no result\n');
      code = 1;
    }
    if (browser.external.length) {
      process.stderr.write(`requests left loopback: ${browser.external.join(', ')}\n`);
      code = 1;
    }
  } finally {
    await browser.close();
    await server.stop();
    await usage.stop();
    if (code !== 0) process.stderr.write(`code-server log: ${server.logFile}\n`);
    else fs.rmSync(run, { recursive: true, force: true });
  }
  return code;
}

async function main(): Promise<number> {
  checkPrerequisites({ browser: true });
  const versions = process.env.AGENT_USAGE_CODE_SERVER ? process.env.AGENT_USAGE_CODE_SERVER.split(',') : [...CODE_SERVER_VERSIONS];
  let worst = 0;
  for (const v of versions) {
    const code = await runOn(v);
    if (code !== 0) process.stderr.write(`integration: failed on code-server ${v} (exit ${code})\n`);
    worst = Math.max(worst, code);
  }
  return worst;
}

main().then(
  (c) => process.exit(c),
  (e) => {
    process.stderr.write(`integration runner: ${(e as Error).message}\n`);
    process.exit(2);
  },
);
