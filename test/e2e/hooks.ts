import { e2e, startSession } from './session';

/** Root hooks: one VS Code for the whole e2e run, stopped (process group and all) at the end. */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(240_000);
    await startSession();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    try {
      await e2e().close();
    } catch {
      /* not started */
    }
  },
};
