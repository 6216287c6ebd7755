import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import {
  canEditIndicator,
  canWriteCatalogueOf,
  currentActor,
  isAdministrator,
  requireCatalogueWriter,
} from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { BoolParam, LangParam, PageQuery, page, pick } from '../http/pagination.ts';
import { createIndicator, IndicatorInput } from './create-indicator.ts';

/**
 * The fields a PATCH may change, each optional and without a default (a default would reset
 * the field on every PATCH that leaves it out).
 */
/** Texts by language in a PATCH: a language given replaces the stored text, an empty text removes it. */
const TextsPatch = z
  .record(z.string().regex(/^[a-z]{2}(-[A-Za-z]+)?$/), z.string().max(2000))
  .describe('Texts by language code; the languages left out are unchanged, an empty text removes its language');

/** The stored texts with a PATCH's applied (trimmed; empty ones removed). */
function patchTexts(cur: Record<string, string>, patch: Record<string, string>): Record<string, string> {
  const out = { ...cur };
  for (const [lang, text] of Object.entries(patch)) {
    if (text.trim()) out[lang] = text.trim();
    else delete out[lang];
  }
  return out;
}

const IndicatorPatch = z.object({
  names: TextsPatch.optional(),
  definitions: TextsPatch.optional(),
  unit: IndicatorInput.shape.unit,
  direction: IndicatorInput.shape.direction.unwrap().optional(),
  status: IndicatorInput.shape.status.unwrap().optional(),
  tags: IndicatorInput.shape.tags.unwrap().optional(),
  dimensions: IndicatorInput.shape.dimensions.unwrap().optional(),
  ownerPlace: z
    .string()
    .optional()
    .describe('Code of the city or country whose own indicator this is (local indicators only)'),
});

/** SDG indicator codes (11.1.1, 11.a.1): the global list, which only administrators extend. */
const SDG_SHAPED = /^\d{1,2}\.[0-9a-z]{1,2}(\.|$)/i;

const WRITERS =
  'Administrators; national and city focal points for the places they hold (local indicators owned by those places).';

export function registerIndicatorRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  const writer = requireCatalogueWriter(ctx);
  const placePath = async (code: string, field: string) => {
    const p = await db.selectFrom('places').select(['id', 'path']).where('code', '=', code).executeTakeFirst();
    if (!p) throw new HttpError(400, 'bad_request', `${field}: no place with code "${code}".`);
    return p;
  };

  r.get(
    '/api/v1/indicators',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Indicators of the catalogue',
        querystring: PageQuery.extend({
          framework: z.string().optional().describe('Framework code, e.g. sdg, urban-safety, adequate-housing'),
          goal: z.string().optional().describe('SDG goal, e.g. 11'),
          status: z.enum(['active', 'retired', 'draft']).optional(),
          local: BoolParam.optional(),
          q: z.string().max(200).optional().describe('Text in the code or a name, any language'),
          lang: LangParam,
        }),
      },
    },
    async (req) => {
      const { limit, offset, framework, goal, status, local, q, lang } = req.query;
      let query = db.selectFrom('indicators as i');
      if (framework) {
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('indicator_frameworks as m')
              .innerJoin('frameworks as f', 'f.id', 'm.framework_id')
              .select('m.indicator_id')
              .whereRef('m.indicator_id', '=', 'i.id')
              .where('f.code', '=', framework),
          ),
        );
      }
      if (goal) query = query.where(sql<boolean>`i.code LIKE ${`${goal}.%`}`);
      if (status) query = query.where('i.status', '=', status);
      if (local !== undefined) query = query.where('i.local', '=', local);
      if (q) query = query.where(sql<boolean>`(i.code ILIKE ${`%${q}%`} OR i.names::text ILIKE ${`%${q}%`})`);
      const total = (await query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst())?.n ?? 0;
      const rows = await query
        .select([
          'i.code',
          'i.names',
          'i.unit_code',
          'i.direction',
          'i.status',
          'i.sdg_target',
          'i.local',
          'i.tags',
          'i.review_needed',
        ])
        .orderBy(sql`string_to_array(regexp_replace(i.code, '[^0-9.]', '', 'g'), '.')::text[]`)
        .orderBy('i.code')
        .limit(limit)
        .offset(offset)
        .execute();
      return page(
        rows.map((x) => ({
          code: x.code,
          name: pick(x.names, lang),
          names: x.names,
          unit: x.unit_code,
          direction: x.direction,
          status: x.status,
          sdgTarget: x.sdg_target,
          local: x.local,
          tags: x.tags,
          reviewNeeded: x.review_needed,
        })),
        total,
        limit,
        offset,
      );
    },
  );

  r.get(
    '/api/v1/indicators/:code',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'One indicator with series, frameworks, targets and dimensions',
        params: z.object({ code: z.string() }),
        querystring: z.object({ lang: LangParam }),
      },
    },
    async (req) => {
      const ind = await db
        .selectFrom('indicators as i')
        .leftJoin('sources as s', 's.id', 'i.source_id')
        .leftJoin('places as p', 'p.id', 'i.owner_place_id')
        .select([
          'i.id',
          'i.code',
          'i.names',
          'i.definitions',
          'i.unit_code',
          'i.unit_names',
          'i.direction',
          'i.status',
          'i.sdg_target',
          'i.local',
          'i.tags',
          'i.dimensions',
          'i.review_needed',
          'i.validation_rules',
          'i.suppression',
          's.name as source_name',
          's.url as source_url',
          's.licence as source_licence',
          'p.code as owner_place',
        ])
        .where('i.code', '=', req.params.code)
        .executeTakeFirst();
      if (!ind) throw new HttpError(404, 'not_found', `No indicator with code "${req.params.code}".`);
      const lang = req.query.lang;
      const [series, frameworks, targets] = await Promise.all([
        db
          .selectFrom('series')
          .select(['code', 'names', 'unit_code', 'unit_names', 'aliases', 'is_default'])
          .where('indicator_id', '=', ind.id)
          .orderBy('id')
          .execute(),
        db
          .selectFrom('indicator_frameworks as m')
          .innerJoin('frameworks as f', 'f.id', 'm.framework_id')
          .leftJoin('framework_groups as g', 'g.id', 'm.group_id')
          .select(['f.code', 'f.names', 'g.code as group_code', 'g.names as group_names'])
          .where('m.indicator_id', '=', ind.id)
          .orderBy('f.code')
          .execute(),
        db
          .selectFrom('targets as t')
          .leftJoin('series as s', 's.id', 't.series_id')
          .leftJoin('places as p', 'p.id', 't.place_id')
          .select([
            't.id',
            't.year',
            't.value',
            't.relative_change',
            't.baseline_year',
            't.note',
            's.code as series',
            'p.code as place',
          ])
          .where('t.indicator_id', '=', ind.id)
          .orderBy('t.year')
          .execute(),
      ]);
      return {
        code: ind.code,
        name: pick(ind.names, lang),
        names: ind.names,
        definition: pick(ind.definitions, lang),
        definitions: ind.definitions,
        unit: ind.unit_code ? { code: ind.unit_code, name: pick(ind.unit_names, lang), names: ind.unit_names } : null,
        direction: ind.direction,
        status: ind.status,
        sdgTarget: ind.sdg_target,
        local: ind.local,
        ownerPlace: ind.owner_place,
        tags: ind.tags,
        dimensions: ind.dimensions,
        reviewNeeded: ind.review_needed,
        validationRules: ind.validation_rules,
        suppression: ind.suppression,
        source: ind.source_name ? { name: ind.source_name, url: ind.source_url, licence: ind.source_licence } : null,
        series: series.map((s) => ({
          code: s.code,
          name: pick(s.names, lang) ?? s.code,
          names: s.names,
          unit: s.unit_code,
          unitName: s.unit_code ? (pick(s.unit_names, lang) ?? null) : null,
          aliases: s.aliases,
          default: s.is_default,
        })),
        frameworks: frameworks.map((f) => ({
          code: f.code,
          name: pick(f.names, lang),
          group: f.group_code,
          groupName: pick(f.group_names, lang),
        })),
        targets: targets.map((t) => ({
          id: t.id,
          year: t.year,
          value: t.value,
          relativeChange: t.relative_change,
          baselineYear: t.baseline_year,
          note: t.note,
          series: t.series,
          place: t.place,
        })),
      };
    },
  );

  r.post(
    '/api/v1/indicators',
    {
      onRequest: writer,
      schema: {
        tags: ['catalogue'],
        summary: "Add an indicator (e.g. a city's or a country's own)",
        description: `${WRITERS} A focal point gives ownerPlace (a place they hold), a code not shaped like an SDG code, and no SDG framework.`,
        security: [{ bearer: [] }, { session: [] }],
        body: IndicatorInput,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const actor = await currentActor(req, ctx);
      if (!isAdministrator(actor)) {
        if (!b.ownerPlace) {
          throw new HttpError(
            403,
            'forbidden',
            'ownerPlace: only administrators add indicators without an owner place; give the code of a place you hold (your city or country).',
          );
        }
        const owner = await placePath(b.ownerPlace, 'ownerPlace');
        if (!canWriteCatalogueOf(actor, owner.path)) {
          throw new HttpError(
            403,
            'forbidden',
            `ownerPlace: you hold no focal point role on ${b.ownerPlace} or on a place above it; add indicators owned by your own places.`,
          );
        }
        if (SDG_SHAPED.test(b.code)) {
          throw new HttpError(
            403,
            'forbidden',
            `code: "${b.code}" is shaped like an SDG indicator code; those belong to the global catalogue, which only administrators extend. Choose a local code, e.g. ${b.ownerPlace}-SAFE-1.`,
          );
        }
        if (b.frameworks.some((f) => f.framework === 'sdg')) {
          throw new HttpError(
            403,
            'forbidden',
            'frameworks: only administrators place an indicator in the SDG framework (the global list).',
          );
        }
      }
      const created = await ctx.store.exclusive((conn) => createIndicator(conn, b, actorOf(req)));
      reply.code(201);
      return { code: created };
    },
  );

  r.patch(
    '/api/v1/indicators/:code',
    {
      onRequest: writer,
      schema: {
        tags: ['catalogue'],
        summary: 'Edit an indicator (names, definition, unit, direction, status, tags, owner place)',
        description: `${WRITERS} The reference catalogue (SDG and the global frameworks) is edited by administrators only. Fields left out are unchanged.`,
        security: [{ bearer: [] }, { session: [] }],
        params: z.object({ code: z.string() }),
        body: IndicatorPatch,
      },
    },
    async (req) => {
      const b = req.body;
      const cur = await db
        .selectFrom('indicators as i')
        .leftJoin('places as p', 'p.id', 'i.owner_place_id')
        .select(['i.id', 'i.names', 'i.definitions', 'i.local', 'p.code as owner_code', 'p.path as owner_path'])
        .where('i.code', '=', req.params.code)
        .executeTakeFirst();
      if (!cur) throw new HttpError(404, 'not_found', `No indicator with code "${req.params.code}".`);
      const actor = await currentActor(req, ctx);
      if (!canEditIndicator(actor, { local: cur.local, ownerPath: cur.owner_path })) {
        throw new HttpError(
          403,
          'forbidden',
          !cur.local
            ? `Indicator ${req.params.code} belongs to the reference catalogue (SDG and the global frameworks); only administrators edit it.`
            : cur.owner_code === null
              ? `Indicator ${req.params.code} is a local indicator without an owner place; only administrators edit it.`
              : `Indicator ${req.params.code} is owned by ${cur.owner_code}; you hold no focal point role on it or on a place above it.`,
        );
      }
      const set: Record<string, unknown> = { updated_at: new Date() };
      if (b.ownerPlace !== undefined) {
        if (!cur.local)
          throw new HttpError(
            400,
            'bad_request',
            `ownerPlace: ${req.params.code} is not a local indicator; only local indicators have an owner place.`,
          );
        const owner = await placePath(b.ownerPlace, 'ownerPlace');
        if (!isAdministrator(actor) && !canWriteCatalogueOf(actor, owner.path)) {
          throw new HttpError(
            403,
            'forbidden',
            `ownerPlace: you hold no focal point role on ${b.ownerPlace} or on a place above it; an indicator passes only to places you hold.`,
          );
        }
        set.owner_place_id = owner.id;
      }
      if (b.names) {
        const names = patchTexts(cur.names, b.names);
        if (!Object.keys(names).length)
          throw new HttpError(400, 'bad_request', 'names: give a name in at least one language.');
        set.names = JSON.stringify(names);
      }
      if (b.definitions) set.definitions = JSON.stringify(patchTexts(cur.definitions, b.definitions));
      if (b.unit) {
        set.unit_code = b.unit.code;
        if (b.unit.names) set.unit_names = JSON.stringify(b.unit.names);
      }
      if (b.direction) set.direction = b.direction;
      if (b.status) set.status = b.status;
      if (b.tags) set.tags = b.tags;
      if (b.dimensions) set.dimensions = b.dimensions;
      await ctx.store.exclusive(async (conn) => {
        const before = (
          await conn.query(
            'SELECT code, names, definitions, unit_code, unit_names, direction, status, tags, dimensions, owner_place_id FROM indicators WHERE id = $1',
            [cur.id],
          )
        ).rows[0];
        const keys = Object.keys(set);
        await conn.query(`UPDATE indicators SET ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')} WHERE id = $1`, [
          cur.id,
          ...keys.map((k) => set[k]),
        ]);
        const after = (
          await conn.query(
            'SELECT code, names, definitions, unit_code, unit_names, direction, status, tags, dimensions, owner_place_id FROM indicators WHERE id = $1',
            [cur.id],
          )
        ).rows[0];
        await appendAudit(conn, actorOf(req), {
          action: 'update',
          entityType: 'indicator',
          entityId: req.params.code,
          before,
          after,
        });
      });
      return { code: req.params.code, updated: Object.keys(set).filter((k) => k !== 'updated_at') };
    },
  );
}
