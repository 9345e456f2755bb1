import { storeContract } from './store-contract';
import { openCore, tempDir } from './helpers';

storeContract('sqlite files', async () => {
  const { dir, cleanup } = tempDir();
  let core = await openCore(dir);
  const env = {
    get core() {
      return core;
    },
    async reopen() {
      await core.close();
      core = await openCore(dir, 2);
      return core;
    },
    async dispose() {
      await core.close();
      cleanup();
    },
  };
  return env;
});

storeContract('sqlite in memory', async () => {
  const core = await openCore(null);
  return { core, reopen: async () => core, dispose: () => core.close() };
});
