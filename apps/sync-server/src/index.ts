/** Loreforge sync relay. See CONTEXT.md. */
export { startRelay } from './relay';
export type { Relay, RelayStats } from './relay';
export { RELAY_DEFAULTS, resolveRelayOptions } from './config';
export type { RateLimitOptions, RelayOptions } from './config';
export { jsonLogger, memoryLogger, silentLogger } from './logger';
export type { LogFields, LogLevel, RelayLogger } from './logger';
export { RelayStore } from './store';
export type { AuditEntry, AuditRow } from './store';
export { runRelayCli } from './cli';
export type { RelayCliIo } from './cli';
