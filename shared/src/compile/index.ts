export * from './catalog.ts';
export * from './compile-error.ts';
export * from './compile-journey.ts';
export * from './journey-machine.ts';
export * from './references.ts';
export * from './validate-journey.ts';
