export * from './compare-arms.ts';
export * from './wait-time.ts';
export * from './travelled-path.ts';
