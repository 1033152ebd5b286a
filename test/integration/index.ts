// Loaded by the extension host (code-server payload or @vscode/test-electron) through extensionTestsPath.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface SuiteResult {
  passes: number;
  failures: number;
  tests: { title: string; state: 'passed' | 'failed'; ms?: number; error?: string }[];
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const dir = __dirname;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, f));
  const resultFile = process.env.AGENT_USAGE_TEST_RESULT;
  const result: SuiteResult = { passes: 0, failures: 0, tests: [] };
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      result.passes = runner.stats?.passes ?? 0;
      result.failures = failures;
      if (resultFile) fs.writeFileSync(resultFile, JSON.stringify(result, null, 2));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => result.tests.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }));
    runner.on('fail', (t, err: Error) => result.tests.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack ?? err) }));
  });
}
