export * from './liquid.ts';
export * from './template-fields.ts';
