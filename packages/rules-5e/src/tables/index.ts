export * from './advancement';
export * from './hit-points';
export * from './spell-slots';
