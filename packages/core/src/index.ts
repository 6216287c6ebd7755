export * from './observations/record.ts';
