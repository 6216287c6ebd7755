import { DEFAULT_MARGINS, type Margins } from '@marsad/core';
import type { Schema } from '@marsad/db';
import type { Kysely } from 'kysely';
import { z } from 'zod';

/**
 * The margins of the 2030 figures (docs/methods/results.md): the relative change a value must
 * exceed to count as better or worse, by default 5 %, per indicator where an administrator sets
 * one. Stored in `settings` under this key; every change is in the audit log.
 */
export const MARGINS_KEY = 'results-2030-margins';

const Margin = z.number().finite().min(0).max(1).describe('A share of the base value: 0.05 = 5 %');

export const MarginsInput = z
  .object({
    defaultMargin: Margin,
    byIndicator: z
      .record(z.string().min(1).max(120), Margin)
      .default({})
      .describe('Margins of single indicators, by indicator code'),
  })
  .strict();

export async function readMargins(db: Kysely<Schema>): Promise<Margins> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', MARGINS_KEY).executeTakeFirst();
  const parsed = MarginsInput.safeParse(row?.value);
  return parsed.success
    ? { defaultMargin: parsed.data.defaultMargin, byIndicator: parsed.data.byIndicator }
    : DEFAULT_MARGINS;
}
