export * from './contracts.ts';
export * from './customers.ts';
export * from './preview.ts';
export * from './analytics.ts';
export * from './providers.ts';
export * from './inbox.ts';
export * from './enrollments.ts';
export * from './segments.ts';
