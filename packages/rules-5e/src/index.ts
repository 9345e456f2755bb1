export * from './content/types';
export * from './content/index';
export * from './build';
