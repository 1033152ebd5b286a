import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM } from './paths';

/** Debian's Chromium, headless, with every background connection off and a fresh profile. */
export async function launchBrowser(): Promise<{ ctx: BrowserContext; close: () => Promise<void>; external: string[] }> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (bash .ci/run does), or set CHROMIUM_PATH`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-usage-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1500, height: 950 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  // A request leaves loopback if it gets an answer that a service worker did not give (webview
  // resources on *.vscode-cdn.net are answered by the webview's own service worker from the host),
  // or if it fails on the network.
  const external: string[] = [];
  const isRemote = (url: string) => {
    const u = new URL(url);
    if (['data:', 'blob:', 'vscode-webview:', 'vscode-file:', 'chrome-extension:'].includes(u.protocol)) return false;
    return !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && !u.hostname.endsWith('.localhost');
  };
  ctx.on('response', (r) => {
    if (isRemote(r.url()) && !r.fromServiceWorker()) external.push(`${r.url()} (answered from the network)`);
  });
  ctx.on('requestfailed', (r) => {
    if (isRemote(r.url())) external.push(`${r.url()} (${r.failure()?.errorText ?? 'failed'})`);
  });
  return {
    ctx,
    external,
    close: async () => {
      await ctx.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
