export * from './assessment.ts';
export * from './framework.ts';
