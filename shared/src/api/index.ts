export * from './contracts.ts';
export * from './customers.ts';
