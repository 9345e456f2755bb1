/** Bad input to the sync API: `field` names what was wrong, the message says why. */
export class SyncInputError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'SyncInputError';
  }
}
