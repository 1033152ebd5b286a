import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser } from './browser';
import { REPO_ROOT } from './paths';

/**
 * `npm run icon`: renders media/icons/icon.svg to the 128x128 icon.png the Marketplace and Open VSX
 * show, in the same headless Chromium the e2e suite drives (no image library needed).
 */
export async function renderIcon(svgFile = path.join(REPO_ROOT, 'media', 'icons', 'icon.svg'), pngFile = svgFile.replace(/\.svg$/, '.png')): Promise<string> {
  const svg = fs.readFileSync(svgFile, 'utf8');
  const b = await launchBrowser();
  try {
    const page = b.ctx.pages()[0] ?? (await b.ctx.newPage());
    await page.setViewportSize({ width: 128, height: 128 });
    await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: pngFile, omitBackground: true });
  } finally {
    await b.close();
  }
  return pngFile;
}

if (require.main === module) {
  renderIcon().then(
    (f) => console.log(`wrote ${path.relative(REPO_ROOT, f)}`),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
