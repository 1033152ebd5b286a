// npm run test:electron: the same integration suite in a desktop VS Code downloaded by
// @vscode/test-electron (needs internet; on this offline machine use npm run test:integration).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { createFixtureHome } from '../fixtures/home';
import { QUIET_SETTINGS } from '../harness/codeServer';
import { REPO_ROOT } from '../harness/paths';
import { FakeUsageServer } from '../harness/usageServer';

async function main(): Promise<number> {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-usage-electron-'));
  const fx = createFixtureHome(path.join(run, 'fixture'));
  const fixtureFile = path.join(run, 'fixture.json');
  fs.writeFileSync(fixtureFile, JSON.stringify(fx));
  const usage = new FakeUsageServer();
  const endpoint = await usage.start();
  const userData = path.join(run, 'ud');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, 'agentUsage.limits.claude.endpoint': endpoint, 'agentUsage.timezone': 'UTC' }));
  try {
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [fx.workspace, '--user-data-dir', userData, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { HOME: fx.home, AGENT_USAGE_FIXTURE: fixtureFile, AGENT_USAGE_TEST_RESULT: path.join(run, 'result.json') },
    });
    return 0;
  } catch (e) {
    process.stderr.write(`electron integration tests failed: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await usage.stop();
  }
}

main().then((c) => process.exit(c));
