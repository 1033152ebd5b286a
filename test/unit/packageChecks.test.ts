import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { PACKAGE_FILES, checkPackage, nlsKeys, referencedFiles } from '../../test/harness/packageChecks';
import { REPO_ROOT } from '../../test/harness/paths';
import { tmpDir } from './helpers';

/** A stored (uncompressed) zip: enough to hand the checks a package of our making. */
function writeZip(file: string, entries: Record<string, string | Buffer>): void {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, body] of Object.entries(entries)) {
    const data = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const n = Buffer.from(name, 'utf8');
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += local.length + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  fs.writeFileSync(file, Buffer.concat([...locals, cd, end]));
}

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const nls = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.nls.json'), 'utf8'));

function vsixManifest(o: { description?: string; theme?: string; version?: string } = {}): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0"><Metadata>
<Identity Language="en-US" Id="${pkg.name}" Version="${o.version ?? pkg.version}" Publisher="${pkg.publisher}" />
<DisplayName>${pkg.displayName}</DisplayName>
<Description xml:space="preserve">${o.description ?? nls['extension.description']}</Description>
<Tags>${pkg.keywords.join(',')}</Tags>
<Categories>${pkg.categories.join(',')}</Categories>
<Properties>
<Property Id="Microsoft.VisualStudio.Services.Branding.Color" Value="${pkg.galleryBanner.color}" />
<Property Id="Microsoft.VisualStudio.Services.Branding.Theme" Value="${o.theme ?? pkg.galleryBanner.theme}" />
</Properties></Metadata></PackageManifest>`;
}

function vsix(o: { manifest?: object; nls?: object; drop?: string[]; add?: string[]; xml?: Parameters<typeof vsixManifest>[0] } = {}): string {
  const entries: Record<string, string> = { '[Content_Types].xml': '<Types/>', 'extension.vsixmanifest': vsixManifest(o.xml) };
  for (const f of PACKAGE_FILES) if (!o.drop?.includes(f)) entries[`extension/${f === 'LICENSE' ? 'LICENSE.txt' : f}`] = 'x';
  for (const f of o.add ?? []) entries[`extension/${f}`] = 'x';
  entries['extension/package.json'] = JSON.stringify(o.manifest ?? pkg);
  entries['extension/package.nls.json'] = JSON.stringify(o.nls ?? nls);
  const file = path.join(tmpDir(), 'p.vsix');
  writeZip(file, entries);
  return file;
}

describe('the package checks (vsce ls, Open VSX)', () => {
  it('every file package.json names is in the package list, and every %key% has its text', () => {
    for (const f of referencedFiles(pkg)) assert.ok(PACKAGE_FILES.includes(f.replace(/^\.\//, '')), f);
    const keys = nlsKeys(pkg);
    assert.deepEqual(keys.filter((k) => !(k in nls)), []);
    assert.deepEqual(Object.keys(nls).filter((k) => !keys.includes(k)), [], 'no unused text in package.nls.json');
  });

  it('pass on a package laid out as ours', async () => {
    assert.deepEqual(await checkPackage(vsix()), []);
  });

  it('find what Open VSX or a user would trip over', async () => {
    const noIcon = { ...pkg, icon: 'media/icons/missing.png' };
    const noNls = { ...nls };
    delete noNls['walkthrough.title'];
    const problems = await checkPackage(
      vsix({ manifest: { ...noIcon, license: undefined }, nls: noNls, drop: ['media/walkthrough/cli.md', 'LICENSE'], add: ['src/extension.ts'], xml: { theme: 'blue', description: 'a\u0007b', version: 'latest' } }),
    );
    const expect = [
      /packaged but not expected: src\/extension\.ts/,
      /expected but not packaged: license\.txt, media\/walkthrough\/cli\.md/,
      /ovsx: no license/,
      /invalid version "latest"/,
      /invalid character in description/,
      /galleryBanner\.theme "blue"/,
      /names media\/icons\/missing\.png, which is not packaged/,
      /names media\/walkthrough\/cli\.md, which is not packaged/,
      /%walkthrough\.title% has no text/,
    ];
    for (const re of expect) assert.ok(problems.some((p) => re.test(p)), `${re} in:\n${problems.join('\n')}`);
    assert.equal(problems.length, expect.length, problems.join('\n'));
  });
});
