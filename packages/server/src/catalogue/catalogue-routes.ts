import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { LangParam, pick } from '../http/pagination.ts';

/** Frameworks, SDG goals and targets, dimensions and sources: the reference lists. */
export function registerCatalogueRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  const langQuery = z.object({ lang: LangParam });

  r.get(
    '/api/v1/frameworks',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Frameworks (SDG, NUA, urban safety matrix, adequate housing…)',
        querystring: langQuery,
      },
    },
    async (req) => {
      const lang = req.query.lang;
      const rows = await db
        .selectFrom('frameworks as f')
        .select((eb) => [
          'f.id',
          'f.code',
          'f.names',
          'f.descriptions',
          'f.draft',
          'f.review_needed',
          eb
            .selectFrom('indicator_frameworks as m')
            .select(eb.fn.countAll<number>().as('n'))
            .whereRef('m.framework_id', '=', 'f.id')
            .as('indicators'),
        ])
        .orderBy('f.id')
        .execute();
      const groups = await db.selectFrom('framework_groups').selectAll().orderBy('position').execute();
      return {
        items: rows.map((f) => ({
          code: f.code,
          name: pick(f.names, lang),
          names: f.names,
          description: pick(f.descriptions, lang),
          draft: f.draft,
          reviewNeeded: f.review_needed,
          indicatorCount: Number(f.indicators ?? 0),
          groups: groups
            .filter((g) => g.framework_id === f.id)
            .map((g) => ({ code: g.code, name: pick(g.names, lang), names: g.names })),
        })),
      };
    },
  );

  r.get(
    '/api/v1/frameworks/:code',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'A framework with its groups and indicators',
        params: z.object({ code: z.string() }),
        querystring: langQuery,
      },
    },
    async (req) => {
      const lang = req.query.lang;
      const f = await db.selectFrom('frameworks').selectAll().where('code', '=', req.params.code).executeTakeFirst();
      if (!f) throw new HttpError(404, 'not_found', `No framework with code "${req.params.code}".`);
      const groups = await db
        .selectFrom('framework_groups')
        .selectAll()
        .where('framework_id', '=', f.id)
        .orderBy('position')
        .execute();
      const members = await db
        .selectFrom('indicator_frameworks as m')
        .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
        .leftJoin('framework_groups as g', 'g.id', 'm.group_id')
        .select(['i.code', 'i.names', 'i.status', 'i.direction', 'i.unit_code', 'g.code as group'])
        .where('m.framework_id', '=', f.id)
        .orderBy('i.code')
        .execute();
      return {
        code: f.code,
        name: pick(f.names, lang),
        names: f.names,
        description: pick(f.descriptions, lang),
        descriptions: f.descriptions,
        draft: f.draft,
        reviewNeeded: f.review_needed,
        groups: groups.map((g) => ({ code: g.code, name: pick(g.names, lang), names: g.names })),
        indicators: members.map((m) => ({
          code: m.code,
          name: pick(m.names, lang),
          status: m.status,
          direction: m.direction,
          unit: m.unit_code,
          group: m.group,
        })),
      };
    },
  );

  r.get(
    '/api/v1/sdg/goals',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'SDG goals and targets with their titles in six languages',
        querystring: langQuery,
      },
    },
    async (req) => {
      const lang = req.query.lang;
      const goals = await db
        .selectFrom('sdg_goals as g')
        .leftJoin('sources as s', 's.id', 'g.source_id')
        .select(['g.code', 'g.names', 's.name as source', 's.url as sourceUrl'])
        .execute();
      const targets = await db.selectFrom('sdg_targets').selectAll().execute();
      const num = (c: string) =>
        c
          .split('.')
          .map((p) => (/^\d+$/.test(p) ? p.padStart(3, '0') : p))
          .join('.');
      goals.sort((a, b) => num(a.code).localeCompare(num(b.code)));
      return {
        items: goals.map((g) => ({
          code: g.code,
          name: pick(g.names, lang),
          names: g.names,
          source: g.source,
          sourceUrl: g.sourceUrl,
          targets: targets
            .filter((t) => t.goal_code === g.code)
            .sort((a, b) => num(a.code).localeCompare(num(b.code)))
            .map((t) => ({ code: t.code, name: pick(t.names, lang), names: t.names })),
        })),
      };
    },
  );

  r.get(
    '/api/v1/dimensions',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Disaggregation dimensions and their code lists',
        querystring: langQuery,
      },
    },
    async (req) => {
      const lang = req.query.lang;
      const dims = await db.selectFrom('dimensions').selectAll().orderBy('id').execute();
      const values = await db
        .selectFrom('dimension_values')
        .selectAll()
        .orderBy('dimension_id')
        .orderBy('position')
        .execute();
      return {
        items: dims.map((d) => ({
          code: d.code,
          name: pick(d.names, lang),
          names: d.names,
          open: d.open,
          values: values
            .filter((v) => v.dimension_id === d.id)
            .map((v) => ({ code: v.code, name: pick(v.names, lang), names: v.names })),
        })),
      };
    },
  );

  r.get(
    '/api/v1/sources',
    { schema: { tags: ['catalogue'], summary: 'Sources of values, with licence and citation' } },
    async () => {
      const rows = await db
        .selectFrom('sources')
        .select(['name', 'licence', 'citation', 'url', 'synthetic'])
        .orderBy('name')
        .execute();
      return { items: rows };
    },
  );
}
