import { VALIDATION_RULE_NAMES } from '@marsad/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import { adminGuard } from '../auth/admin-token.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';

const Code = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." or "-"');

/** core/indicators/validation-rules.ts, as an input. */
export const ValidationRulesInput = z
  .object({
    min: z.number().finite().optional().describe('Smallest value accepted'),
    max: z.number().finite().optional().describe('Largest value accepted'),
    unit: Code.optional().describe('The unit code a value must be in'),
    requiredDimensions: z
      .array(Code)
      .max(10)
      .optional()
      .describe('Dimensions whose parts must be entered with a total, e.g. ["SEX"]'),
    sumTolerance: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Parts must add up to the total within this relative tolerance (0.01 = 1 %)'),
    maxChangePercent: z
      .number()
      .positive()
      .max(100000)
      .optional()
      .describe('A change of more than this % from the previous period needs a comment'),
    warnings: z
      .array(z.enum(VALIDATION_RULE_NAMES))
      .max(VALIDATION_RULE_NAMES.length)
      .optional()
      .describe(
        'Rules whose breach is a warning (the value is saved, entered or imported, and the problem reported) rather than an error: range, unit, requiredDimensions, sumTolerance, maxChangePercent',
      ),
  })
  .strict()
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
    message: 'min must not be above max',
    path: ['max'],
  });

/** core/indicators/suppression-rule.ts, as an input. */
export const SuppressionRuleInput = z
  .object({
    minCount: z
      .number()
      .int()
      .min(1)
      .max(1000000)
      .describe('Public values whose count is below this are shown as "fewer than N"'),
    countSeries: Code.optional().describe(
      'Series holding the count a rate rests on (same place, period, disaggregation); absent: the value is the count',
    ),
    dimensions: z.array(Code).max(10).optional().describe('Apply to values disaggregated by one of these dimensions'),
    levels: z
      .array(z.enum(['country', 'region', 'city', 'district']))
      .max(4)
      .optional()
      .describe('Apply to values of places at these levels'),
  })
  .strict();

const RulesBody = z
  .object({
    validationRules: ValidationRulesInput,
    suppression: SuppressionRuleInput.nullable(),
  })
  .strict();

/** Validation and suppression rules of an indicator: administrators set them; every change is audited. */
export function registerIndicatorRulesRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.put(
    '/api/v1/indicators/:code/rules',
    {
      onRequest: adminGuard(ctx),
      schema: {
        tags: ['catalogue'],
        summary: 'Set the validation rules and the suppression rule of an indicator',
        security: [{ bearer: [] }],
        params: z.object({ code: z.string().max(60) }),
        body: RulesBody,
      },
    },
    async (req) => {
      const { validationRules, suppression } = req.body;
      if (suppression?.countSeries) {
        const s = await ctx.store.db
          .selectFrom('series')
          .select('id')
          .where('code', '=', suppression.countSeries)
          .executeTakeFirst();
        if (!s)
          throw new HttpError(
            400,
            'bad_request',
            `suppression.countSeries: no series with code "${suppression.countSeries}"`,
          );
      }
      for (const dim of [...(validationRules.requiredDimensions ?? []), ...(suppression?.dimensions ?? [])]) {
        const d = await ctx.store.db.selectFrom('dimensions').select('id').where('code', '=', dim).executeTakeFirst();
        if (!d) throw new HttpError(400, 'bad_request', `dimensions: no dimension with code "${dim}"`);
      }
      return ctx.store.exclusive(async (conn) => {
        const before = (
          await conn.query<{ id: number; validation_rules: unknown; suppression: unknown }>(
            'SELECT id, validation_rules, suppression FROM indicators WHERE code = $1 FOR UPDATE',
            [req.params.code],
          )
        ).rows[0];
        if (!before) throw new HttpError(404, 'not_found', `No indicator with code "${req.params.code}".`);
        await conn.query(
          'UPDATE indicators SET validation_rules = $2::jsonb, suppression = $3::jsonb, updated_at = now() WHERE id = $1',
          [before.id, JSON.stringify(validationRules), suppression ? JSON.stringify(suppression) : null],
        );
        await appendAudit(conn, actorOf(req), {
          action: 'update-rules',
          entityType: 'indicator',
          entityId: req.params.code,
          before: { validationRules: before.validation_rules, suppression: before.suppression },
          after: { validationRules, suppression },
        });
        return { code: req.params.code, validationRules, suppression };
      });
    },
  );
}
