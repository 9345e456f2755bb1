/**
 * `loreforge relay …` (dispatched by scripts/loreforge.ts) and the Docker entry (main.ts):
 *   relay start  --port P --data-dir DIR --secret-file F [--host H]   foreground; prints `relay listening on <url>`
 *   relay token  --secret-file F --campaign C --user U --role R [--owns a,b] [--ttl SECONDS]   prints a token
 *   relay secret --secret-file F [--force]   writes a new random secret (mode 0600)
 * Flags win over env: PORT, HOST, DATA_DIR, SECRET_FILE, RELAY_SECRET, MAX_MESSAGE_BYTES, RATE_MESSAGES_PER_SEC,
 * RATE_BYTES_PER_SEC, PING_INTERVAL_MS, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_USER, MAX_CONNECTIONS_PER_IP,
 * UPGRADE_DEADLINE_MS. Errors: exit code 2, `relay: <field>: <reason>` on stderr.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  ROLES,
  SyncInputError,
  createRelayToken,
  generateRelaySecret,
  type Role,
} from '@loreforge/core/sync';
import { jsonLogger } from './logger';
import { startRelay } from './relay';

export interface RelayCliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Base for relative paths (default: process.cwd()). */
  cwd?: string;
  /** `start` runs until this aborts (default: until SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

class UsageError extends Error {}

const USAGE = `usage:
  relay start  --port P --data-dir DIR --secret-file F [--host H]
  relay token  --secret-file F --campaign C --user U --role dm|player|spectator [--owns ID,…] [--ttl SECONDS]
  relay secret --secret-file F [--force]
`;

const DEFAULT_TTL_SECONDS = 30 * 24 * 3600;

function parse(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

function str(
  values: Record<string, string | boolean | undefined>,
  flag: string,
  env?: string,
  io?: RelayCliIo,
): string | undefined {
  const v = values[flag];
  if (typeof v === 'string' && v !== '') return v;
  const e = env && io ? io.env[env] : undefined;
  return e === undefined || e === '' ? undefined : e;
}

function required(value: string | undefined, field: string): string {
  if (value === undefined) throw new UsageError(`${field}: required`);
  return value;
}

function int(value: string | undefined, field: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`${field}: must be a whole number ${min}–${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function path(io: RelayCliIo, p: string): string {
  return isAbsolute(p) ? p : resolve(io.cwd ?? process.cwd(), p);
}

function readSecret(io: RelayCliIo, file: string | undefined, field: string): string {
  if (file === undefined) {
    const fromEnv = io.env['RELAY_SECRET'];
    if (fromEnv) return fromEnv;
    throw new UsageError(`${field}: required (or set RELAY_SECRET)`);
  }
  try {
    const s = readFileSync(path(io, file), 'utf8').trim();
    if (s === '') throw new UsageError(`${field}: ${file} is empty`);
    return s;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${field}: cannot read ${file} (${code === 'ENOENT' ? 'no such file' : (code ?? String(err))})`,
    );
  }
}

async function start(argv: string[], io: RelayCliIo): Promise<number> {
  const v = parse(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    'secret-file': { type: 'string' },
    'max-message-bytes': { type: 'string' },
    'rate-messages': { type: 'string' },
    'rate-bytes': { type: 'string' },
    'ping-interval-ms': { type: 'string' },
    'max-connections': { type: 'string' },
    'max-connections-per-user': { type: 'string' },
    'max-connections-per-ip': { type: 'string' },
    'upgrade-deadline-ms': { type: 'string' },
  });
  const port = int(str(v, 'port', 'PORT', io), '--port', 0, 65535) ?? 0;
  const dataDir = path(io, required(str(v, 'data-dir', 'DATA_DIR', io), '--data-dir'));
  const secret = readSecret(io, str(v, 'secret-file', 'SECRET_FILE', io), '--secret-file');
  const maxMessageBytes = int(
    str(v, 'max-message-bytes', 'MAX_MESSAGE_BYTES', io),
    '--max-message-bytes',
    1024,
    2 ** 30,
  );
  const msgs = int(str(v, 'rate-messages', 'RATE_MESSAGES_PER_SEC', io), '--rate-messages', 1, 1e6);
  const bytes = int(str(v, 'rate-bytes', 'RATE_BYTES_PER_SEC', io), '--rate-bytes', 1, 2 ** 30);
  const ping = int(str(v, 'ping-interval-ms', 'PING_INTERVAL_MS', io), '--ping-interval-ms', 100, 3_600_000);
  const host = str(v, 'host', 'HOST', io);
  const maxConnections = int(str(v, 'max-connections', 'MAX_CONNECTIONS', io), '--max-connections', 1, 1e6);
  const perUser = int(
    str(v, 'max-connections-per-user', 'MAX_CONNECTIONS_PER_USER', io),
    '--max-connections-per-user',
    1,
    1e6,
  );
  const perIp = int(
    str(v, 'max-connections-per-ip', 'MAX_CONNECTIONS_PER_IP', io),
    '--max-connections-per-ip',
    1,
    1e6,
  );
  const deadline = int(
    str(v, 'upgrade-deadline-ms', 'UPGRADE_DEADLINE_MS', io),
    '--upgrade-deadline-ms',
    100,
    600_000,
  );
  const relay = await startRelay({
    port,
    dataDir,
    secret,
    logger: jsonLogger((line) => io.stderr(line)),
    ...(host !== undefined ? { host } : {}),
    ...(maxMessageBytes !== undefined ? { maxMessageBytes } : {}),
    ...(ping !== undefined ? { pingIntervalMs: ping } : {}),
    ...(maxConnections !== undefined ? { maxConnections } : {}),
    limits: {
      ...(perUser !== undefined ? { maxConnectionsPerUser: perUser } : {}),
      ...(perIp !== undefined ? { maxConnectionsPerIp: perIp } : {}),
      ...(deadline !== undefined ? { upgradeDeadlineMs: deadline } : {}),
    },
    rateLimit: {
      ...(msgs !== undefined ? { messagesPerSecond: msgs, messageBurst: msgs * 2 } : {}),
      ...(bytes !== undefined ? { bytesPerSecond: bytes } : {}),
      ...(maxMessageBytes !== undefined ? { byteBurst: Math.max(maxMessageBytes, 4 * (bytes ?? 0)) } : {}),
    },
  });
  io.stdout(`relay listening on ${relay.url}\n`);
  await new Promise<void>((done) => {
    if (io.signal) {
      if (io.signal.aborted) return done();
      io.signal.addEventListener('abort', () => done(), { once: true });
      return undefined;
    }
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return undefined;
  });
  await relay.close();
  return 0;
}

function token(argv: string[], io: RelayCliIo, nowMs: number): number {
  const v = parse(argv, {
    'secret-file': { type: 'string' },
    campaign: { type: 'string' },
    user: { type: 'string' },
    role: { type: 'string' },
    owns: { type: 'string' },
    ttl: { type: 'string' },
  });
  const secret = readSecret(io, str(v, 'secret-file', 'SECRET_FILE', io), '--secret-file');
  const campaign = required(str(v, 'campaign'), '--campaign');
  const user = required(str(v, 'user'), '--user');
  const role = required(str(v, 'role'), '--role');
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new UsageError(`--role: must be one of ${ROLES.join(', ')}, got ${JSON.stringify(role)}`);
  }
  const ttlSeconds = int(str(v, 'ttl'), '--ttl', 1, 10 * 365 * 24 * 3600) ?? DEFAULT_TTL_SECONDS;
  const ownsText = str(v, 'owns');
  const owns =
    ownsText === undefined
      ? []
      : ownsText
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
  try {
    io.stdout(
      `${createRelayToken({ campaign, user, role: role as Role, owns, ttlSeconds, nowMs }, secret)}\n`,
    );
  } catch (err) {
    if (err instanceof SyncInputError) {
      const field = err.field.replace(/^claims\./, '').replace(/\.\d+$/, '');
      throw new UsageError(`--${field === 'secret' ? 'secret-file' : field}: ${err.reason}`);
    }
    throw err;
  }
  return 0;
}

function secret(argv: string[], io: RelayCliIo): number {
  const v = parse(argv, { 'secret-file': { type: 'string' }, force: { type: 'boolean' } });
  const file = path(io, required(str(v, 'secret-file', 'SECRET_FILE', io), '--secret-file'));
  if (existsSync(file) && v['force'] !== true) {
    throw new UsageError(
      `--secret-file: ${file} exists (pass --force to replace it; old tokens stop working)`,
    );
  }
  writeFileSync(file, `${generateRelaySecret()}\n`, { mode: 0o600 });
  io.stdout(`wrote ${file}\n`);
  return 0;
}

/** Returns the exit code; never throws for bad input. */
export async function runRelayCli(
  argv: readonly string[],
  io: RelayCliIo,
  nowMs: number = Date.now(),
): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'start':
        return await start(rest, io);
      case 'token':
        return token(rest, io, nowMs);
      case 'secret':
        return secret(rest, io);
      case undefined:
      case 'help':
      case '--help':
        io.stdout(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(cmd)}\n${USAGE}`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof SyncInputError) {
      io.stderr(`relay: ${err.message}\n`);
      return 2;
    }
    io.stderr(`relay: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
