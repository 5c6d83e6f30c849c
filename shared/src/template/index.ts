export * from './liquid.ts';
export * from './render-template.ts';
export * from './template-context.ts';
export * from './template-fields.ts';
export * from './template-limits.ts';
export * from './storable-text.ts';
export * from './author-links.ts';
