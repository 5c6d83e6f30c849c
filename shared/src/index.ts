export * from './graph/index.ts';
export * from './compile/index.ts';
export * from './engine/index.ts';
export * from './template/index.ts';
export * from './time/index.ts';
export * from './api/index.ts';
export * from './preview/index.ts';
export * from './analytics/index.ts';
