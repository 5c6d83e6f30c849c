export * from './sms-segments.ts';
export * from './message-content.ts';
