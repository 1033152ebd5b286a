// The engine's worker thread: reads the logs, keeps the aggregates and sends views and patches to the
// extension host, whose thread never reads a log or walks the history.
import { parentPort } from 'node:worker_threads';
import { LiveModel } from './liveModel';
import { FromWorker, ToWorkerSchema } from './protocol';

const port = parentPort;
if (!port) throw new Error('the engine worker must run in a worker thread');
const send = (m: FromWorker) => port.postMessage(m);
let model: LiveModel | undefined;

port.on('message', (raw: unknown) => {
  const p = ToWorkerSchema.safeParse(raw);
  if (!p.success) {
    send({ type: 'log', level: 'warn', message: 'engine: ignored a malformed message' });
    return;
  }
  const m = p.data;
  const fail = (e: unknown) => send({ type: 'log', level: 'error', message: `engine: ${(e as Error).stack ?? e}` });
  switch (m.type) {
    case 'start':
      model?.dispose();
      model = new LiveModel(m.config, {
        full: (view) => send({ type: 'full', view }),
        patch: (patch) => send({ type: 'patch', patch }),
        log: (level, message) => send({ type: 'log', level, message }),
      });
      model.start().catch(fail);
      break;
    case 'configure':
      model?.configure(m.config).catch(fail);
      break;
    case 'claude':
      model?.setClaude(m.state).catch(fail);
      break;
    case 'paths':
      model?.paths(m.paths).catch(fail);
      break;
    case 'call': {
      const reply = (r: Promise<unknown> | undefined) =>
        (r ?? Promise.resolve()).then(
          (result) => send({ type: 'reply', id: m.id, ...(m.what === 'export' ? { result: result as never } : {}) }),
          (e: Error) => send({ type: 'reply', id: m.id, error: e.message }),
        );
      if (m.what === 'refresh') void reply(model?.refresh());
      else if (m.what === 'save') void reply(model?.saveIndex());
      else if (m.what === 'export') void reply(model?.exportRows());
      else void reply(model?.idle());
      break;
    }
  }
});
