/**
 * Bench child process: runs the relay alone, so its CPU and memory can be measured apart from the clients.
 * IPC: sends `{ type: 'ready', url }`; answers `{ type: 'usage' }` with memory (after GC) and CPU time;
 * `{ type: 'close' }` closes the relay and exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { silentLogger, startRelay } from '../src/index';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const secret = process.argv[2] ?? '';
const dir = mkdtempSync(join(tmpdir(), 'relay-bench-'));
const relay = await startRelay({ port: 0, dataDir: dir, secret, logger: silentLogger });
process.send!({ type: 'ready', url: relay.url });
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'usage') {
    const cpu = process.cpuUsage(); // before the forced GC, which is the bench's cost, not the relay's
    gc();
    const m = process.memoryUsage();
    process.send!({
      type: 'usage',
      heapUsed: m.heapUsed,
      external: m.external,
      rss: m.rss,
      cpu,
      stats: relay.stats(),
    });
  } else if (msg.type === 'close') {
    void relay.close().then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  }
});
