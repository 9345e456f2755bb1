export * from './sync/index';
