/** Process entry (Docker image, `node --import tsx src/main.ts start …`). */
import { runRelayCli } from './cli';

runRelayCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`relay: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
