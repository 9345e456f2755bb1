export * from './cr';
export * from './difficulty';
