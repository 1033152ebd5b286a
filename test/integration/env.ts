import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { AgentUsageApi } from '../../src/extension/extension';
import type { FixtureHome } from '../fixtures/home';

export const EXTENSION_ID = 'agent-usage.agent-usage';

/** The fixture the runner created (its path comes through the server's environment). */
export function fixture(): FixtureHome {
  const p = process.env.AGENT_USAGE_FIXTURE;
  if (!p) throw new Error('AGENT_USAGE_FIXTURE is not set: run through npm run test:integration');
  return JSON.parse(fs.readFileSync(p, 'utf8')) as FixtureHome;
}

export async function api(): Promise<AgentUsageApi> {
  const ext = vscode.extensions.getExtension<AgentUsageApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  return ext.isActive ? ext.exports : await ext.activate();
}

export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  while (Date.now() - t0 < timeoutMs) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}
