/**
 * The `loreforge` command line: commands are data (`CliCommand`), registered in `commands.ts`, dispatched by
 * `runCli` in `main.ts`. Commands write through an injected `CliIo`, so tests run them in-process.
 */
import type { ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whole standard input as text (for `-` file arguments). */
  readStdin(): Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliContext {
  positionals: string[];
  values: OptionValues;
  io: CliIo;
}

export interface CliCommand {
  /** Words that select the command, e.g. `['rules', 'derive']`. */
  path: readonly string[];
  /** One line for the help listing. */
  summary: string;
  /** Argument synopsis shown in help and usage errors, e.g. `<file|->`. */
  usage: string;
  options?: ParseArgsOptionsConfig;
  /** Returns the process exit code. */
  run(ctx: CliContext): Promise<number>;
}

/** An expected failure: printed as `loreforge: <message>` on stderr, exit code `exitCode` (default 2). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
