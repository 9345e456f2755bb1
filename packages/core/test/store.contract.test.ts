import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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
    damageProjections() {
      for (const f of readdirSync(join(dir, 'campaigns')).filter((x) => x.endsWith('.sqlite'))) {
        const db = new Database(join(dir, 'campaigns', f));
        db.exec("update entities set name = 'WRONG', head = null; delete from xrefs;");
        db.close();
      }
      const lib = new Database(join(dir, 'library.sqlite'));
      lib.exec('delete from entity_homes');
      lib.close();
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
