export * from './conditions';
export * from './exhaustion';
export * from './state';
