import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isLicenseOk, validateManifest } from 'ovsx';
import { REPO_ROOT } from './paths';

// vsce reads a .vsix with this (entry names lower-cased); it is not in its typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readZip } = require('@vscode/vsce/out/zip') as { readZip(file: string, filter: (name: string) => boolean): Promise<Map<string, Buffer>> };

/** What the package holds, and nothing else: the bundles, the webview, the icons, the texts. */
export const PACKAGE_FILES = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'dist/cli.js',
  'dist/engineWorker.js',
  'dist/extension.js',
  'l10n/bundle.l10n.json',
  'media/dashboard.css',
  'media/dist/dashboard.js',
  'media/icons/activity-bar.svg',
  'media/icons/icon.png',
  'media/walkthrough/cli.md',
  'media/walkthrough/data-sources.md',
  'media/walkthrough/threads.md',
  'media/walkthrough/thresholds.md',
  'package.json',
  'package.nls.json',
].sort();

/** `vsce ls`: the files vsce would package, from the working tree. */
export function vsceList(cwd = REPO_ROOT): string[] {
  const out = execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();
}

type Manifest = Record<string, unknown> & { contributes?: Record<string, unknown> };

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}[^>]*>([^<]*)</${name}>`).exec(xml)?.[1];
}
function attr(xml: string, el: string, name: string): string | undefined {
  return new RegExp(`<${el}\\b[^>]*\\b${name}="([^"]*)"`).exec(xml)?.[1];
}
function property(xml: string, id: string): string | undefined {
  return new RegExp(`<Property Id="${id.replace(/\./g, '\\.')}" Value="([^"]*)"`).exec(xml)?.[1];
}

/** Open VSX refuses control, format, private-use and unassigned characters in its text fields. */
const BAD_CHAR = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u;
const NAME = /^[\w\-+$~]+$/;
const VERSION_CHAR = /^[\p{L}\p{N}$+\-,.:;_]+$/u;

/**
 * The checks a package must pass to be published to the Visual Studio Marketplace and Open VSX:
 * ovsx's own pre-publish checks (manifest fields, a license), the metadata rules the Open VSX server
 * applies on upload (names, version characters, field sizes and characters, banner theme), every file
 * the manifest names is packaged, every `%key%` resolves in package.nls.json, and the package holds
 * exactly PACKAGE_FILES. Returns the problems found (none: publishable).
 */
export async function checkPackage(vsix: string): Promise<string[]> {
  const problems: string[] = [];
  const entries = await readZip(vsix, () => true);
  const files = [...entries.keys()].filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
  // vsce packages LICENSE as LICENSE.txt.
  const expected = PACKAGE_FILES.map((f) => (f === 'LICENSE' ? 'license.txt' : f.toLowerCase()));
  const extra = files.filter((f) => !expected.includes(f));
  const missing = expected.filter((f) => !files.includes(f));
  if (extra.length) problems.push(`packaged but not expected: ${extra.join(', ')}`);
  if (missing.length) problems.push(`expected but not packaged: ${missing.join(', ')}`);

  const manifest = JSON.parse(entries.get('extension/package.json')?.toString('utf8') ?? '{}') as Manifest;
  const xml = entries.get('extension.vsixmanifest')?.toString('utf8') ?? '';
  if (!xml) problems.push('extension.vsixmanifest is missing');
  try {
    validateManifest(manifest as never);
  } catch (e) {
    problems.push(`ovsx: ${(e as Error).message}`);
  }
  // ovsx's license check, on the package's own package.json and LICENSE.
  const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-usage-vsix-'));
  try {
    for (const f of ['package.json', 'license.txt']) {
      const b = entries.get(`extension/${f}`);
      if (b) fs.writeFileSync(path.join(unpacked, f), b);
    }
    if (!(await isLicenseOk(unpacked))) problems.push('ovsx: no license');
  } finally {
    fs.rmSync(unpacked, { recursive: true, force: true });
  }

  // The Open VSX server's rules, on what it reads from the vsixmanifest.
  const meta = {
    namespace: attr(xml, 'Identity', 'Publisher') ?? '',
    name: attr(xml, 'Identity', 'Id') ?? '',
    version: attr(xml, 'Identity', 'Version') ?? '',
    displayName: tag(xml, 'DisplayName') ?? '',
    description: tag(xml, 'Description') ?? '',
    categories: (tag(xml, 'Categories') ?? '').split(',').filter(Boolean),
    tags: (tag(xml, 'Tags') ?? '').split(',').filter(Boolean),
    galleryColor: property(xml, 'Microsoft.VisualStudio.Services.Branding.Color') ?? '',
    galleryTheme: property(xml, 'Microsoft.VisualStudio.Services.Branding.Theme') ?? '',
  };
  for (const [k, v] of [
    ['namespace', meta.namespace],
    ['name', meta.name],
  ] as const)
    if (!NAME.test(v) || v.length > 255) problems.push(`Open VSX: invalid ${k} "${v}"`);
  if (!VERSION_CHAR.test(meta.version) || ['latest', 'pre-release', 'reviews'].includes(meta.version)) problems.push(`Open VSX: invalid version "${meta.version}"`);
  const sized: [string, string[], number][] = [
    ['displayName', [meta.displayName], 255],
    ['description', [meta.description], 2048],
    ['categories', meta.categories, 255],
    ['keywords', meta.tags, 255],
    ['license', [String(manifest.license ?? '')], 255],
    ['galleryBanner.color', [meta.galleryColor], 16],
  ];
  for (const [field, values, limit] of sized)
    for (const v of values) {
      if (v.length > limit) problems.push(`Open VSX: ${field} longer than ${limit} characters`);
      if (BAD_CHAR.test(v)) problems.push(`Open VSX: invalid character in ${field}: ${JSON.stringify(v)}`);
    }
  if (meta.galleryTheme && !['dark', 'light'].includes(meta.galleryTheme)) problems.push(`Open VSX: galleryBanner.theme "${meta.galleryTheme}"`);
  if (!meta.description || meta.description.startsWith('%')) problems.push('the description is not resolved in the vsixmanifest');

  // Every file the manifest names is in the package.
  for (const f of referencedFiles(manifest)) if (!files.includes(path.posix.normalize(f).replace(/^\.\//, '').toLowerCase())) problems.push(`package.json names ${f}, which is not packaged`);
  // Every %key% resolves.
  const nls = JSON.parse(entries.get('extension/package.nls.json')?.toString('utf8') ?? '{}') as Record<string, string>;
  for (const key of nlsKeys(manifest)) if (typeof nls[key] !== 'string' || !nls[key]) problems.push(`%${key}% has no text in package.nls.json`);
  return problems;
}

/** Files package.json points at: entry points, icons, walkthrough media, the l10n bundle. */
export function referencedFiles(m: Manifest): string[] {
  const out = [m.main, m.icon].filter((x): x is string => typeof x === 'string');
  if (typeof m.l10n === 'string') out.push(path.posix.join(m.l10n, 'bundle.l10n.json'));
  const c = (m.contributes ?? {}) as {
    viewsContainers?: Record<string, { icon?: string }[]>;
    views?: Record<string, { icon?: string }[]>;
    walkthroughs?: { steps: { media: { markdown?: string; image?: string | Record<string, string>; svg?: string } }[] }[];
  };
  for (const list of [...Object.values(c.viewsContainers ?? {}), ...Object.values(c.views ?? {})]) for (const v of list) if (v.icon && !v.icon.startsWith('$(')) out.push(v.icon);
  for (const w of c.walkthroughs ?? [])
    for (const s of w.steps) {
      const img = s.media.image;
      out.push(...[s.media.markdown, s.media.svg, ...(typeof img === 'string' ? [img] : Object.values(img ?? {}))].filter((x): x is string => !!x));
    }
  return out;
}

/** Every `%key%` used in package.json. */
export function nlsKeys(m: unknown): string[] {
  const keys = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      const k = /^%([^%\s]+)%$/.exec(v)?.[1];
      if (k) keys.add(k);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(m);
  return [...keys].sort();
}

if (require.main === module) {
  const vsix = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, '.cache', 'agent-usage.vsix'));
  const listed = vsceList();
  const listProblems = listed.join('\n') === PACKAGE_FILES.join('\n') ? [] : [`vsce ls lists ${listed.join(', ')}`];
  checkPackage(vsix).then(
    (p) => {
      const all = [...listProblems, ...p];
      if (all.length) {
        console.error(all.map((x) => `✗ ${x}`).join('\n'));
        process.exit(1);
      }
      console.log(`✓ ${path.relative(REPO_ROOT, vsix)}: vsce ls and the Open VSX checks pass (${PACKAGE_FILES.length} files)`);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
