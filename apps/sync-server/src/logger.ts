/** Structured logs: one JSON object per line (`ts`, `level`, `event`, then fields). Injectable for tests. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface RelayLogger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
}

export function jsonLogger(write: (line: string) => void, now: () => number = Date.now): RelayLogger {
  return {
    log(level, event, fields = {}) {
      write(`${JSON.stringify({ ts: new Date(now()).toISOString(), level, event, ...fields })}\n`);
    },
  };
}

export const silentLogger: RelayLogger = { log: () => undefined };

/** Keeps entries in memory (tests, the bench). */
export function memoryLogger(): RelayLogger & {
  entries: { level: LogLevel; event: string; fields: LogFields }[];
} {
  const entries: { level: LogLevel; event: string; fields: LogFields }[] = [];
  return { entries, log: (level, event, fields = {}) => void entries.push({ level, event, fields }) };
}
