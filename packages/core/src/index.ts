export * from './observations/record.ts';
export * from './observations/period.ts';
