export * from './identify.ts';
export * from './preview-journey.ts';
export * from './preview-story.ts';
