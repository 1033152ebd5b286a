import { promises as fsp } from 'node:fs';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import { writeFileAtomic } from '../limits/sharedState';
import { ViewModel } from '../view/model';
import { INDEX_VERSION } from './indexFile';

const gzipAsync = promisify(gzip);

interface ViewEnvelope {
  version: number;
  /** The index's key (log roots) and the view's own (zone, week start, history, workspace). */
  key: string;
  savedAt: number;
  view: ViewModel;
}

/**
 * The last view, saved beside the persistent index: a window that starts again shows its figures at
 * once, before the index is loaded and the logs are checked. Any doubt (another version, other roots or
 * settings, a damaged file) and it is not used.
 */
export class ViewFile {
  constructor(
    readonly file: string,
    private readonly indexKey: string,
  ) {}

  async load(viewKey: string): Promise<ViewModel | undefined> {
    let buf: Buffer;
    try {
      buf = await fsp.readFile(this.file);
    } catch {
      return undefined;
    }
    try {
      const env = JSON.parse(gunzipSync(buf).toString('utf8')) as ViewEnvelope;
      return env.version === INDEX_VERSION && env.key === `${this.indexKey}\n${viewKey}` && env.view && typeof env.view === 'object' ? env.view : undefined;
    } catch {
      return undefined;
    }
  }

  async save(viewKey: string, view: ViewModel, now = Date.now()): Promise<void> {
    const env: ViewEnvelope = { version: INDEX_VERSION, key: `${this.indexKey}\n${viewKey}`, savedAt: now, view };
    await writeFileAtomic(this.file, await gzipAsync(JSON.stringify(env), { level: 1 }));
  }
}
