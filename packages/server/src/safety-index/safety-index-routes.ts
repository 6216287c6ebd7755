import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import { adminGuard } from '../auth/admin-token.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { LangParam } from '../http/pagination.ts';
import { readChoices, SAFETY_INDEX_KEY, type SafetyChoices, SafetyChoicesInput } from './safety-index-settings.ts';
import { findFramework, frameworkIndicators, frameworkThemes } from './safety-index-store.ts';
import { safetyProfile } from './safety-profile.ts';

const SECURITY: { [label: string]: string[] }[] = [{ bearer: [] }, { session: [] }];

/**
 * The composite safety profile (issue 20; docs/methods/safety-index.md): one place at a time, never a list of places
 * nor an order of them; the choices of the index, read by anyone and set by administrators (audited).
 */
export function registerSafetyIndexRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;

  r.get(
    '/api/v1/safety/profile',
    {
      schema: {
        tags: ['safety'],
        summary: 'The composite safety profile of one place: its scores, uncertainty band and trajectory',
        description:
          'One city or district only: its overall and theme scores under the choices in force, the range of its score ' +
          'under every alternative choice and the choice that moves it most, a score per year, the median and range of ' +
          'its group (the pilot cities for a pilot city, else the cities of its country; the districts of its city) and ' +
          'its country’s score, the values used and what was done to them. Other places appear only as a median and ' +
          'range; no place is ranked (docs/methods/safety-index.md).',
        querystring: z.object({ place: z.string().min(1).max(60), lang: LangParam }).strict(),
      },
    },
    async (req) => safetyProfile(db, req.query.place, req.query.lang),
  );

  r.get(
    '/api/v1/safety/choices',
    {
      schema: {
        tags: ['safety'],
        summary: 'The choices of the composite safety index in force (public, so that anyone can check a score)',
      },
    },
    async () => readChoices(db),
  );

  r.put(
    '/api/v1/safety/choices',
    {
      onRequest: adminGuard(ctx),
      schema: {
        tags: ['safety'],
        summary: 'Set the choices of the composite safety index (administrators)',
        description:
          'Framework, normalisation, weights (equal, user-set, or from principal components where the data allow), ' +
          'aggregation, missing values and outliers; stated on every profile, each change in the audit log.',
        security: SECURITY,
        body: SafetyChoicesInput,
      },
    },
    async (req) => {
      const b = req.body;
      const framework = await findFramework(db, b.framework);
      if (!framework) throw new HttpError(400, 'safety_framework_unknown', `framework: no framework "${b.framework}".`);
      const [themes, indicators] = await Promise.all([
        frameworkThemes(db, framework.id),
        frameworkIndicators(db, framework.id),
      ]);
      if (!indicators.length)
        throw new HttpError(
          400,
          'safety_framework_no_groups',
          `framework: ${b.framework} has no indicator in a group with a better direction.`,
        );
      if (b.weights === 'user' && !b.userWeights)
        throw new HttpError(
          400,
          'safety_user_weights_missing',
          'userWeights: user weights were chosen but none given.',
        );
      if (b.userWeights) {
        const codes = new Set(indicators.map((i) => i.code));
        const bad = Object.keys(b.userWeights.indicators).find((c) => !codes.has(c));
        if (bad)
          throw new HttpError(
            400,
            'safety_weight_unknown',
            `userWeights.indicators.${bad}: not an indicator of ${b.framework}.`,
          );
        const groups = new Set(themes.map((t) => t.code));
        const badTheme = Object.keys(b.userWeights.themes ?? {}).find((c) => !groups.has(c));
        if (badTheme)
          throw new HttpError(
            400,
            'safety_weight_unknown',
            `userWeights.themes.${badTheme}: not a group of ${b.framework}.`,
          );
      }
      const before = await readChoices(db);
      const after: SafetyChoices = { ...b, version: before.version + 1, updatedAt: new Date().toISOString() };
      await ctx.store.exclusive(async (conn) => {
        await conn.query(
          `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, now())
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
          [SAFETY_INDEX_KEY, JSON.stringify(after)],
        );
        await appendAudit(conn, actorOf(req), {
          action: 'update',
          entityType: 'settings',
          entityId: SAFETY_INDEX_KEY,
          before,
          after,
        });
      });
      return after;
    },
  );
}
