import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { FixtureHome, createFixtureHome } from '../fixtures/home';
import { launchBrowser } from '../harness/browser';
import { CodeServer } from '../harness/codeServer';
import { checkPrerequisites } from '../harness/installCodeServer';
import { ARTIFACTS, REPO_ROOT } from '../harness/paths';
import { FakeUsageServer, UsageScript } from '../harness/usageServer';

/** One real VS Code with the packaged extension installed, a fixture HOME and a scripted usage server. */
export interface E2E {
  fx: FixtureHome;
  /** Everything this VS Code wrote: user data, logs, global storage, extensions. */
  runDir: string;
  usage: FakeUsageServer;
  server: CodeServer;
  page: Page;
  external: string[];
  close(): Promise<void>;
}

let current: E2E | undefined;

export function e2e(): E2E {
  if (!current) throw new Error('the e2e session is not started');
  return current;
}

/** The package a user installs: production build, packaged by vsce (npm run package). */
export const VSIX = path.join(REPO_ROOT, '.cache', 'agent-usage.vsix');

export function buildPackage(): string {
  try {
    execFileSync('npm', ['run', 'package', '--silent'], { cwd: REPO_ROOT, stdio: 'pipe' });
  } catch (e) {
    const x = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run package failed:\n${x.stdout?.toString() ?? ''}${x.stderr?.toString() ?? ''}`);
  }
  return VSIX;
}

/** The suite's VS Code (code-server 4.100.3), with the package built first. */
export async function startSession(): Promise<E2E> {
  checkPrerequisites({ browser: true });
  buildPackage();
  current = await openSession({ settings: { 'agentUsage.plan.claude': 'pro', 'agentUsage.plan.codex': 'custom', 'agentUsage.plan.codexCustomPrice': 8 } });
  const close = current.close;
  current.close = async () => {
    await close();
    current = undefined;
  };
  return current;
}

/**
 * A VS Code of its own (`version`: which code-server) with the built package installed as a user
 * would, a fresh fixture HOME and a scripted usage server; the caller closes it.
 */
export async function openSession(o: { version?: string; settings?: Record<string, unknown>; script?: UsageScript; seed?: (globalStorage: string) => void } = {}): Promise<E2E> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-usage-e2e-'));
  const fx = createFixtureHome(path.join(run, 'fixture'));
  const usage = new FakeUsageServer();
  usage.script = o.script ?? { kind: 'ok', fiveHour: 50, sevenDay: 20 };
  const endpoint = await usage.start();
  // What the extension's global storage holds before it starts (files earlier sessions would have written).
  if (o.seed) {
    const storage = globalStorageOf(path.join(run, 'cs'));
    fs.mkdirSync(storage, { recursive: true });
    o.seed(storage);
  }
  const server = new CodeServer({
    runDir: path.join(run, 'cs'),
    home: fx.home,
    vsix: VSIX,
    version: o.version,
    settings: { 'agentUsage.limits.claude.endpoint': endpoint, 'agentUsage.timezone': 'UTC', 'agentUsage.notifications.projection': false, ...o.settings },
  });
  const browser = await launchBrowser();
  try {
    const base = await server.start();
    const page = browser.ctx.pages()[0] ?? (await browser.ctx.newPage());
    await page.goto(`${base}/?folder=${encodeURIComponent(fx.workspace)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    return {
      fx,
      runDir: path.join(run, 'cs'),
      usage,
      server,
      page,
      external: browser.external,
      close: async () => {
        await browser.close();
        await server.stop();
        await usage.stop();
        fs.rmSync(run, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await browser.close();
    await server.stop();
    await usage.stop();
    throw e;
  }
}

/** The extension's global storage in a session's user data. */
export function globalStorageOf(runDir: string): string {
  return path.join(runDir, 'ud', 'User', 'globalStorage', 'agent-usage.agent-usage');
}

/** The extension's own log (its output channel), as VS Code wrote it below runDir. */
export function extensionLog(runDir: string): string {
  const found = (fs.readdirSync(runDir, { recursive: true }) as string[]).filter((p) => path.basename(p) === 'Agent Usage.log');
  return found.map((p) => fs.readFileSync(path.join(runDir, p), 'utf8')).join('\n');
}

/** Runs a command from the command palette, as a user would (F1, type, Enter). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

export function statusItem(page: Page) {
  return page.locator('.statusbar-item', { hasText: /Claude|Codex|Agent Usage/ }).first();
}

/** The status bar tooltip, hovered afresh (the mouse leaves first so a new hover opens). */
export async function tooltipText(page: Page): Promise<string> {
  await page.mouse.move(5, 5);
  await page.waitForTimeout(200);
  await statusItem(page).hover();
  const hover = page.locator('.monaco-hover').last();
  await hover.waitFor({ timeout: 10_000 });
  return hover.innerText();
}

/** Every notification shown so far (the notification center keeps those whose toast has hidden). */
export async function notificationTexts(page: Page): Promise<string[]> {
  await runCommand(page, 'Notifications: Show Notifications');
  const items = page.locator('.notifications-center .notification-list-item');
  await page.locator('.notifications-center').waitFor({ timeout: 10_000 });
  const texts = await items.allInnerTexts();
  await runCommand(page, 'Notifications: Hide Notifications');
  return texts;
}

export function dashboardFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

export async function shot(page: Page, name: string): Promise<string> {
  const p = path.join(ARTIFACTS, name);
  await page.screenshot({ path: p });
  return p;
}

/** Polls `probe` until it gives a value (errors count as not yet), or fails after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
