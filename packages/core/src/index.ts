export * from './observations/record.ts';
export * from './observations/period.ts';
export * from './search/arabic-normalise.ts';
export * from './progress/progress.ts';
export * from './indicators/validation-rules.ts';
export * from './indicators/suppression-rule.ts';
export * from './observations/typed-number.ts';
export * from './results/result-progress.ts';
