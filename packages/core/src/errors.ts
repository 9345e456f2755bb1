/** Errors core raises for expected failures. `code` is stable (the UI and the CLI switch on it). */
export type CoreErrorCode =
  | 'not-found'
  | 'invalid-input'
  | 'conflict'
  | 'read-only'
  | 'store-migration'
  | 'archive-invalid'
  | 'doc-invalid';

export class CoreError extends Error {
  constructor(
    readonly code: CoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}
