export { derive, toDeriveOutput } from './derive';
export { validate } from './validate';
export { repair } from './repair';
export { arcanumLevels, invocationProblem, invocationSlots, warlockLevel } from './invocations';
export { closestId, normalizeId } from './closest-id';
export type { Explained, Part } from './explained';
export type * from './types';
