import type { CompositeOptions } from '@marsad/core';
import type { Schema } from '@marsad/db';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { readSetting } from './safety-index-store.ts';

/**
 * The choices of the composite safety index (docs/methods/safety-index.md): made by an administrator, stored in
 * `settings` under this key with a version that moves on each change, every change in the audit log, stated on every
 * profile.
 */
export const SAFETY_INDEX_KEY = 'safety-index-choices';

const Weight = z.number().finite().min(0).max(1000);
const Code = z.string().min(1).max(120);

export const SafetyChoicesInput = z
  .object({
    framework: z
      .string()
      .min(1)
      .max(60)
      .describe('The catalogue framework whose groups are the themes (urban-safety: the draft matrix)'),
    normalisation: z.enum(['min-max', 'benchmarks', 'z-score']),
    weights: z.enum(['equal', 'user', 'pca']),
    userWeights: z
      .object({
        indicators: z.record(Code, Weight).describe('Weight of each indicator within its theme, by indicator code'),
        themes: z.record(Code, Weight).optional().describe('Weight of each theme, by group code (else equal)'),
      })
      .strict()
      .optional(),
    aggregation: z.enum(['arithmetic', 'geometric']),
    missing: z.enum(['exclude-unit', 'mean-imputation', 'theme-available']),
    minThemeShare: z
      .number()
      .finite()
      .min(0.05)
      .max(1)
      .describe('theme-available: the share of a theme’s indicators needed for a theme score'),
    winsorise: z.boolean(),
  })
  .strict();
export type SafetyChoicesInput = z.infer<typeof SafetyChoicesInput>;

export const SafetyChoices = SafetyChoicesInput.extend({
  version: z.number().int().min(0),
  updatedAt: z.string().nullable(),
});
export type SafetyChoices = z.infer<typeof SafetyChoices>;

/** The choices until an administrator makes others: the Handbook's plain defaults, missing values per theme. */
export const DEFAULT_CHOICES: SafetyChoices = {
  framework: 'urban-safety',
  normalisation: 'min-max',
  weights: 'equal',
  aggregation: 'arithmetic',
  missing: 'theme-available',
  minThemeShare: 0.5,
  winsorise: false,
  version: 0,
  updatedAt: null,
};

export async function readChoices(db: Kysely<Schema>): Promise<SafetyChoices> {
  const parsed = SafetyChoices.safeParse(await readSetting(db, SAFETY_INDEX_KEY));
  return parsed.success ? parsed.data : DEFAULT_CHOICES;
}

/** The core options the choices stand for (user weights keyed by indicator and group codes, as the index's ids). */
export function coreOptions(c: SafetyChoicesInput): CompositeOptions {
  return {
    missing: c.missing,
    minThemeShare: c.minThemeShare,
    winsorise: c.winsorise,
    normalisation: c.normalisation,
    weights: c.weights,
    ...(c.userWeights ? { userWeights: c.userWeights } : {}),
    aggregation: c.aggregation,
  };
}
