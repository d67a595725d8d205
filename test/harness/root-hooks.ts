// Mocha root hooks: stop the shared control plane after the run, and on Ctrl-C / SIGTERM.
import { stopTestCluster } from './cluster.ts';

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopTestCluster().finally(() => process.exit(130));
  });
}

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopTestCluster();
  },
};
