import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { formatZodError } from './args';
import { commands } from './commands';
import { CliError, type CliCommand, type CliIo } from './registry';

function findCommand(argv: readonly string[]): { command: CliCommand; rest: string[] } | undefined {
  let best: CliCommand | undefined;
  for (const c of commands) {
    if (c.path.length <= argv.length && c.path.every((w, i) => argv[i] === w)) {
      if (!best || c.path.length > best.path.length) best = c;
    }
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : undefined;
}

export function helpText(prefix: readonly string[] = []): string {
  const rows = commands
    .filter((c) => prefix.every((w, i) => c.path[i] === w))
    .map((c) => `  loreforge ${[...c.path, c.usage].filter(Boolean).join(' ')}\n      ${c.summary}`);
  return `Usage:\n${rows.join('\n')}\n`;
}

/** Run one `loreforge` invocation; returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    io.stdout(helpText());
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr(`loreforge: unknown command "${argv.join(' ')}"\n${helpText(argv.slice(0, 1))}`);
    return 2;
  }
  const { command, rest } = found;
  if (rest.includes('--help')) {
    io.stdout(helpText(command.path));
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: command.options ?? {},
      allowPositionals: true,
      strict: true,
    });
    return await command.run({ values, positionals, io });
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr(`loreforge ${command.path.join(' ')}: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof ZodError) {
      io.stderr(`loreforge ${command.path.join(' ')}: invalid input\n${formatZodError(err, 'input')}\n`);
      return 2;
    }
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(
        `loreforge ${command.path.join(' ')}: ${(err as Error).message}\nusage: loreforge ${command.path.join(' ')} ${command.usage}\n`,
      );
      return 2;
    }
    io.stderr(`loreforge ${command.path.join(' ')}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/** The process-level I/O used by the real command. */
export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    cwd: process.env['INIT_CWD'] ?? process.cwd(),
  };
}
