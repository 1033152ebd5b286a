// Bundles the extension host entry, the CLI and the dashboard webview. Type checking is `tsc` (npm run typecheck).
import * as esbuild from 'esbuild';
import { chmod } from 'node:fs/promises';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The engine's worker thread: reads the logs and keeps the aggregates off the extension host's thread.
  { ...common, entryPoints: ['src/core/live/worker.ts'], outfile: 'dist/engineWorker.js' },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The dashboard webview: browser code with chart.js bundled in, nothing loaded from a CDN.
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['media/src/dashboard.ts'], outfile: 'media/dist/dashboard.js' },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  await chmod('dist/cli.js', 0o755);
}
