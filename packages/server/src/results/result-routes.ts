import type { SqlConn } from '@marsad/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import type { Actor } from '../auth/actor.ts';
import { currentActor } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { RecordId } from '../http/record-id.ts';
import { checkResultPlaces, requireResultsWriter } from './results-access.ts';
import {
  ActualInput,
  MeasureCreate,
  MeasurePatch,
  ResultCreate,
  ResultPatch,
  TargetInput,
  Year,
} from './results-inputs.ts';
import {
  checkPartners,
  insertResult,
  isUniqueViolation,
  LEVEL_RANK,
  type PlaceRow,
  resolvePillars,
  resolvePlaces,
  resultPlacePaths,
  subtreeIds,
  writePartners,
} from './results-store.ts';

const SECURITY: { [label: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
const IdParams = z.object({ id: RecordId });
const WHO =
  'Administrators; national focal points for results whose responsible places are all within the countries they hold.';

type Level = 'impact' | 'outcome' | 'output' | 'activity';

/**
 * Results, their measures, targets and actual values (docs/methods/results.md). Written by
 * administrators, and by national focal points for the results whose responsible places they
 * hold; every write is audited. Catalogue indicators never take typed actual values.
 */
export function registerResultRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  const writer = requireResultsWriter(ctx);

  const findResult = async (id: number) => {
    const row = await db.selectFrom('results').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new HttpError(404, 'not_found', `No result ${id}.`);
    return row;
  };

  /** The result of a measure, after checking that the actor may write it. */
  const measureForWrite = async (req: FastifyRequest, id: number) => {
    const m = await db.selectFrom('result_measures').selectAll().where('id', '=', id).executeTakeFirst();
    if (!m) throw new HttpError(404, 'not_found', `No measure ${id}.`);
    const actor = await currentActor(req, ctx);
    checkResultPlaces(actor, await resultPlacePaths(db, [m.result_id]), 'result');
    return { m, actor };
  };

  /** Checks the parent and level of a result; returns the parent's row. */
  const checkParent = async (
    programmeId: number,
    parentId: number | null | undefined,
    level: Level,
    selfId?: number,
  ) => {
    if (parentId === null || parentId === undefined) return null;
    const parent = await db
      .selectFrom('results')
      .select(['id', 'programme_id', 'level'])
      .where('id', '=', parentId)
      .executeTakeFirst();
    if (!parent || parent.programme_id !== programmeId)
      throw new HttpError(400, 'bad_request', `parent: the programme has no result ${parentId}.`);
    if (selfId !== undefined && (await subtreeIds(db, selfId)).includes(parentId)) {
      throw new HttpError(400, 'bad_request', `parent: result ${parentId} is this result or one under it.`);
    }
    if (LEVEL_RANK[parent.level]! >= LEVEL_RANK[level]!) {
      throw new HttpError(
        400,
        'bad_request',
        `level: an ${level} cannot be under an ${parent.level}; the chain runs impact → outcome → output → activity.`,
      );
    }
    return parent;
  };

  const writeResultLinks = async (
    conn: SqlConn,
    programmeId: number,
    id: number,
    places: PlaceRow[] | null,
    pillarIds: number[] | null,
    partners: z.infer<typeof ResultCreate>['partners'],
  ) => {
    if (places) {
      await conn.query('DELETE FROM result_places WHERE result_id = $1', [id]);
      for (const p of places)
        await conn.query('INSERT INTO result_places (result_id, place_id) VALUES ($1, $2)', [id, p.id]);
    }
    if (pillarIds) {
      await conn.query('DELETE FROM result_pillars WHERE result_id = $1', [id]);
      for (const q of pillarIds)
        await conn.query('INSERT INTO result_pillars (result_id, pillar_id) VALUES ($1, $2)', [id, q]);
    }
    if (partners) await writePartners(conn, programmeId, id, partners);
  };

  const dates = (start: string | null | undefined, end: string | null | undefined) => {
    if (start && end && end < start)
      throw new HttpError(400, 'bad_request', `endDate: ${end} is before startDate ${start}.`);
  };

  // ---- results -----------------------------------------------------------------------------

  r.post(
    '/api/v1/results',
    {
      onRequest: writer,
      schema: {
        tags: ['results'],
        summary: 'Add a result to a programme (impact, outcome, output or activity)',
        description: WHO,
        security: SECURITY,
        body: ResultCreate,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const actor = await currentActor(req, ctx);
      const programme = await db
        .selectFrom('programmes')
        .select(['id', 'code'])
        .where('code', '=', b.programme)
        .executeTakeFirst();
      if (!programme) throw new HttpError(400, 'bad_request', `programme: no programme "${b.programme}".`);
      const places = await resolvePlaces(db, b.places ?? [], 'places');
      checkResultPlaces(
        actor,
        places.map((p) => p.path),
        'places',
      );
      await checkParent(programme.id, b.parent, b.level);
      const pillarIds = await resolvePillars(db, programme.id, b.pillars ?? [], 'pillars');
      await checkPartners(db, b.partners ?? [], 'partners');
      dates(b.startDate, b.endDate);
      const id = await ctx.store.exclusive(async (conn) => {
        const rid = await insertResult(conn, programme.id, b);
        await writeResultLinks(conn, programme.id, rid, places, pillarIds, b.partners ?? []);
        await appendAudit(conn, actorOf(req), {
          action: 'create',
          entityType: 'result',
          entityId: rid,
          summary: `${programme.code}: ${b.level} ${b.code ?? rid}`,
          after: b,
        });
        return rid;
      });
      reply.code(201);
      return { id };
    },
  );

  r.patch(
    '/api/v1/results/:id',
    {
      onRequest: writer,
      schema: {
        tags: ['results'],
        summary: 'Change a result; lists given (places, partners, pillars) replace the old ones',
        description: WHO,
        security: SECURITY,
        params: IdParams,
        body: ResultPatch,
      },
    },
    async (req) => {
      const b = req.body;
      const actor = await currentActor(req, ctx);
      const old = await findResult(req.params.id);
      checkResultPlaces(actor, await resultPlacePaths(db, [old.id]), 'result');
      const places = b.places ? await resolvePlaces(db, b.places, 'places') : null;
      if (places)
        checkResultPlaces(
          actor,
          places.map((p) => p.path),
          'places',
        );
      const level = b.level ?? old.level;
      const parentId = b.parent === undefined ? old.parent_id : b.parent;
      await checkParent(old.programme_id, parentId, level, old.id);
      if (b.level && b.level !== old.level) {
        const lower = await db.selectFrom('results').select('level').where('parent_id', '=', old.id).execute();
        const bad = lower.find((c) => LEVEL_RANK[c.level]! <= LEVEL_RANK[level]!);
        if (bad)
          throw new HttpError(
            400,
            'bad_request',
            `level: a result under it is an ${bad.level}; an ${level} must be above its results.`,
          );
      }
      const pillarIds = b.pillars ? await resolvePillars(db, old.programme_id, b.pillars, 'pillars') : null;
      if (b.partners) await checkPartners(db, b.partners, 'partners');
      const startDate = b.startDate === undefined ? old.start_date : b.startDate;
      const endDate = b.endDate === undefined ? old.end_date : b.endDate;
      const iso = (d: string | Date | null) =>
        d === null ? null : d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10);
      dates(iso(startDate), iso(endDate));
      await ctx.store.exclusive(async (conn) => {
        try {
          await conn.query(
            `UPDATE results SET parent_id = $2, level = $3, code = $4, titles = $5, descriptions = $6, start_date = $7, end_date = $8, status = $9,
             weight = $10, position = $11, updated_at = now() WHERE id = $1`,
            [
              old.id,
              parentId,
              level,
              b.code === undefined ? old.code : b.code,
              JSON.stringify(b.titles ?? old.titles),
              JSON.stringify(b.descriptions ?? old.descriptions),
              iso(startDate),
              iso(endDate),
              b.status ?? old.status,
              b.weight ?? old.weight,
              b.position ?? old.position,
            ],
          );
        } catch (e) {
          if (isUniqueViolation(e))
            throw new HttpError(409, 'conflict', `code: the programme has a result "${b.code}" already.`);
          throw e;
        }
        await writeResultLinks(conn, old.programme_id, old.id, places, pillarIds, b.partners);
        await appendAudit(conn, actorOf(req), {
          action: 'update',
          entityType: 'result',
          entityId: old.id,
          before: old,
          after: b,
        });
      });
      return { id: old.id };
    },
  );

  r.delete(
    '/api/v1/results/:id',
    {
      onRequest: writer,
      schema: {
        tags: ['results'],
        summary: 'Delete a result with the results under it and their measures',
        description: WHO,
        security: SECURITY,
        params: IdParams,
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      const old = await findResult(req.params.id);
      const ids = await subtreeIds(db, old.id);
      // A focal point deletes only what they hold: every result of the subtree.
      for (const id of ids)
        checkResultPlaces(actor, await resultPlacePaths(db, [id]), id === old.id ? 'result' : `result ${id} under it`);
      await ctx.store.exclusive(async (conn) => {
        await conn.query('DELETE FROM results WHERE id = $1', [old.id]);
        await appendAudit(conn, actorOf(req), {
          action: 'delete',
          entityType: 'result',
          entityId: old.id,
          summary: `with ${ids.length - 1} results under it`,
          before: old,
        });
      });
      return { deleted: ids };
    },
  );

  // ---- measures ----------------------------------------------------------------------------

  /** Resolves what a catalogue measure needs, checking every field. */
  const catalogueParts = async (
    actor: Actor,
    indicatorCode: string,
    seriesCode: string | undefined,
    placeCodes: string[] | undefined,
  ) => {
    const ind = await db
      .selectFrom('indicators')
      .select(['id', 'code', 'direction', 'unit_code'])
      .where('code', '=', indicatorCode)
      .executeTakeFirst();
    if (!ind) throw new HttpError(400, 'bad_request', `indicator: no indicator "${indicatorCode}".`);
    const all = await db
      .selectFrom('series')
      .select(['id', 'code', 'aliases', 'is_default', 'unit_code'])
      .where('indicator_id', '=', ind.id)
      .orderBy('id')
      .execute();
    const series = seriesCode
      ? (all.find((s) => s.code === seriesCode) ?? all.find((s) => s.aliases.includes(seriesCode)))
      : (all.find((s) => s.is_default) ?? all[0]);
    if (!series)
      throw new HttpError(
        400,
        'bad_request',
        seriesCode
          ? `series: indicator ${ind.code} has no series "${seriesCode}".`
          : `indicator: ${ind.code} has no series.`,
      );
    let places: PlaceRow[] | null = null;
    if (placeCodes) {
      places = await resolvePlaces(db, placeCodes, 'places');
      checkResultPlaces(
        actor,
        places.map((p) => p.path),
        'places',
      );
    }
    return { ind, series, places };
  };

  const writeMeasureLists = async (
    conn: SqlConn,
    measureId: number,
    places: PlaceRow[] | null,
    targets?: z.infer<typeof TargetInput>[],
    actuals?: z.infer<typeof ActualInput>[],
  ) => {
    if (places) {
      await conn.query('DELETE FROM result_measure_places WHERE measure_id = $1', [measureId]);
      for (const p of places)
        await conn.query('INSERT INTO result_measure_places (measure_id, place_id) VALUES ($1, $2)', [measureId, p.id]);
    }
    for (const t of targets ?? []) await upsertTarget(conn, measureId, t);
    for (const a of actuals ?? []) await upsertActual(conn, measureId, a);
  };

  const unique = <T extends { year: number }>(items: T[] | undefined, field: string) => {
    const years = (items ?? []).map((i) => i.year);
    const dup = years.find((y, i) => years.indexOf(y) !== i);
    if (dup !== undefined) throw new HttpError(400, 'bad_request', `${field}: the year ${dup} is given twice.`);
  };

  r.post(
    '/api/v1/results/:id/measures',
    {
      onRequest: writer,
      schema: {
        tags: ['results'],
        summary:
          'Measure a result: an indicator of the catalogue at places, a programme-specific indicator, or a 2030 figure',
        description: `kind indicator: actual values come from approved observations of the places, never typed; kind specific: with its own actual values; kind computed: one of the 2030 figures of seed 000. ${WHO}`,
        security: SECURITY,
        params: IdParams,
        body: MeasureCreate,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const actor = await currentActor(req, ctx);
      const result = await findResult(req.params.id);
      checkResultPlaces(actor, await resultPlacePaths(db, [result.id]), 'result');
      unique(b.targets, 'targets');
      let row: {
        kind: string;
        indicator_id: number | null;
        series_id: number | null;
        aggregation: string | null;
        formula: string | null;
        names: string | null;
        definitions: string;
        unit_names: string;
        measure: string;
        ascending: boolean;
      };
      let places: PlaceRow[] | null = null;
      if (b.kind === 'indicator') {
        const parts = await catalogueParts(actor, b.indicator, b.series, b.places);
        places = parts.places;
        const ascending =
          b.ascending ??
          (parts.ind.direction === 'higher' ? true : parts.ind.direction === 'lower' ? false : undefined);
        if (ascending === undefined)
          throw new HttpError(
            400,
            'bad_request',
            `ascending: indicator ${parts.ind.code} has no better direction; say whether a higher value is better.`,
          );
        const unit = parts.series.unit_code ?? parts.ind.unit_code;
        row = {
          kind: 'indicator',
          indicator_id: parts.ind.id,
          series_id: parts.series.id,
          aggregation: b.aggregation ?? 'mean',
          formula: null,
          names: null,
          definitions: '{}',
          unit_names: '{}',
          measure: b.measure ?? (unit === 'PERCENT' ? 'percentage' : 'unit'),
          ascending,
        };
      } else if (b.kind === 'specific') {
        unique(b.actuals, 'actuals');
        if (b.baseline && (b.baseline.value === null || b.baseline.value === undefined)) {
          throw new HttpError(
            400,
            'bad_request',
            'baseline.value: a programme-specific indicator needs its baseline value (only catalogue indicators take it from observations).',
          );
        }
        row = {
          kind: 'specific',
          indicator_id: null,
          series_id: null,
          aggregation: null,
          formula: null,
          names: JSON.stringify(b.names),
          definitions: JSON.stringify(b.definitions ?? {}),
          unit_names: JSON.stringify(b.unitNames ?? {}),
          measure: b.measure ?? 'unit',
          ascending: b.ascending,
        };
      } else {
        row = {
          kind: 'computed',
          indicator_id: null,
          series_id: null,
          aggregation: null,
          formula: b.formula,
          names: null,
          definitions: '{}',
          unit_names: '{}',
          measure: b.formula === 'urban-violence-change' ? 'percentage' : 'unit',
          ascending: b.formula !== 'urban-violence-change',
        };
      }
      const id = await ctx.store.exclusive(async (conn) => {
        const ins = await conn.query<{ id: number }>(
          `INSERT INTO result_measures (result_id, kind, indicator_id, series_id, aggregation, formula, names, definitions, unit_names, measure, ascending,
           baseline_year, baseline_value, weight, position, demo)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
          [
            result.id,
            row.kind,
            row.indicator_id,
            row.series_id,
            row.aggregation,
            row.formula,
            row.names,
            row.definitions,
            row.unit_names,
            row.measure,
            row.ascending,
            b.baseline?.year ?? null,
            b.baseline?.value ?? null,
            b.weight ?? 1,
            b.position ?? 0,
            b.demonstration ?? false,
          ],
        );
        const mid = ins.rows[0]!.id;
        await writeMeasureLists(conn, mid, places, b.targets, b.kind === 'specific' ? b.actuals : undefined);
        await appendAudit(conn, actorOf(req), {
          action: 'create',
          entityType: 'result-measure',
          entityId: mid,
          summary: `result ${result.id}: ${b.kind}`,
          after: b,
        });
        return mid;
      });
      reply.code(201);
      return { id };
    },
  );

  r.patch(
    '/api/v1/result-measures/:id',
    {
      onRequest: writer,
      schema: {
        tags: ['results'],
        summary: 'Change a measure (its kind, indicator and formula stay: delete it and add another to change them)',
        description: WHO,
        security: SECURITY,
        params: IdParams,
        body: MeasurePatch,
      },
    },
    async (req) => {
      const b = req.body;
      const { m, actor } = await measureForWrite(req, req.params.id);
      const onlyFor = (field: keyof typeof b, kinds: string[]) => {
        if (b[field] !== undefined && !kinds.includes(m.kind))
          throw new HttpError(400, 'bad_request', `${field}: not for a measure of kind ${m.kind}.`);
      };
      onlyFor('series', ['indicator']);
      onlyFor('places', ['indicator']);
      onlyFor('aggregation', ['indicator']);
      onlyFor('names', ['specific']);
      onlyFor('definitions', ['specific']);
      onlyFor('unitNames', ['specific']);
      onlyFor('ascending', ['indicator', 'specific']);
      onlyFor('measure', ['indicator', 'specific']);
      let seriesId = m.series_id;
      let places: PlaceRow[] | null = null;
      if (m.kind === 'indicator' && (b.series !== undefined || b.places !== undefined)) {
        const ind = await db
          .selectFrom('indicators')
          .select('code')
          .where('id', '=', m.indicator_id!)
          .executeTakeFirstOrThrow();
        const parts = await catalogueParts(actor, ind.code, b.series ?? undefined, b.places);
        if (b.series !== undefined) seriesId = parts.series.id;
        places = parts.places;
      }
      if (m.kind === 'specific' && b.baseline && (b.baseline.value === null || b.baseline.value === undefined)) {
        throw new HttpError(
          400,
          'bad_request',
          'baseline.value: a programme-specific indicator needs its baseline value.',
        );
      }
      const baselineYear = b.baseline === undefined ? m.baseline_year : (b.baseline?.year ?? null);
      const baselineValue = b.baseline === undefined ? m.baseline_value : (b.baseline?.value ?? null);
      await ctx.store.exclusive(async (conn) => {
        await conn.query(
          `UPDATE result_measures SET series_id = $2, aggregation = $3, ascending = $4, measure = $5, names = $6, definitions = $7, unit_names = $8,
           baseline_year = $9, baseline_value = $10, weight = $11, position = $12, demo = $13, updated_at = now() WHERE id = $1`,
          [
            m.id,
            seriesId,
            b.aggregation ?? m.aggregation,
            b.ascending ?? m.ascending,
            b.measure ?? m.measure,
            b.names ? JSON.stringify(b.names) : m.names === null ? null : JSON.stringify(m.names),
            JSON.stringify(b.definitions ?? m.definitions),
            JSON.stringify(b.unitNames ?? m.unit_names),
            baselineYear,
            baselineValue,
            b.weight ?? m.weight,
            b.position ?? m.position,
            b.demonstration ?? m.demo,
          ],
        );
        await writeMeasureLists(conn, m.id, places);
        await appendAudit(conn, actorOf(req), {
          action: 'update',
          entityType: 'result-measure',
          entityId: m.id,
          before: m,
          after: b,
        });
      });
      return { id: m.id };
    },
  );

  r.delete(
    '/api/v1/result-measures/:id',
    {
      onRequest: writer,
      schema: {
        tags: ['results'],
        summary: 'Delete a measure with its targets and typed actual values',
        description: WHO,
        security: SECURITY,
        params: IdParams,
      },
    },
    async (req) => {
      const { m } = await measureForWrite(req, req.params.id);
      await ctx.store.exclusive(async (conn) => {
        await conn.query('DELETE FROM result_measures WHERE id = $1', [m.id]);
        await appendAudit(conn, actorOf(req), {
          action: 'delete',
          entityType: 'result-measure',
          entityId: m.id,
          before: m,
        });
      });
      return { deleted: m.id };
    },
  );

  // ---- targets and actual values -----------------------------------------------------------

  const YearParams = z.object({ id: RecordId, year: z.coerce.number().pipe(Year) });

  r.put(
    '/api/v1/result-measures/:id/targets',
    {
      onRequest: writer,
      schema: {
        tags: ['results'],
        summary: 'Set the target of a measure for a year',
        description: WHO,
        security: SECURITY,
        params: IdParams,
        body: TargetInput,
      },
    },
    async (req) => {
      const { m } = await measureForWrite(req, req.params.id);
      const before = await db
        .selectFrom('result_targets')
        .selectAll()
        .where('measure_id', '=', m.id)
        .where('year', '=', req.body.year)
        .executeTakeFirst();
      await ctx.store.exclusive(async (conn) => {
        await upsertTarget(conn, m.id, req.body);
        await appendAudit(conn, actorOf(req), {
          action: before ? 'update' : 'create',
          entityType: 'result-target',
          entityId: `${m.id}/${req.body.year}`,
          before,
          after: req.body,
        });
      });
      return { measure: m.id, ...req.body };
    },
  );

  r.delete(
    '/api/v1/result-measures/:id/targets/:year',
    {
      onRequest: writer,
      schema: {
        tags: ['results'],
        summary: 'Delete the target of a measure for a year',
        description: WHO,
        security: SECURITY,
        params: YearParams,
      },
    },
    async (req) => {
      const { m } = await measureForWrite(req, req.params.id);
      const before = await db
        .selectFrom('result_targets')
        .selectAll()
        .where('measure_id', '=', m.id)
        .where('year', '=', req.params.year)
        .executeTakeFirst();
      if (!before) throw new HttpError(404, 'not_found', `Measure ${m.id} has no target for ${req.params.year}.`);
      await ctx.store.exclusive(async (conn) => {
        await conn.query('DELETE FROM result_targets WHERE measure_id = $1 AND year = $2', [m.id, req.params.year]);
        await appendAudit(conn, actorOf(req), {
          action: 'delete',
          entityType: 'result-target',
          entityId: `${m.id}/${req.params.year}`,
          before,
        });
      });
      return { deleted: req.params.year };
    },
  );

  const refuseTypedActual = (kind: string) => {
    if (kind === 'indicator') {
      throw new HttpError(
        400,
        'bad_request',
        'kind: the actual values of a catalogue indicator are its approved observations; enter them through data entry or an import, not here.',
      );
    }
    if (kind === 'computed')
      throw new HttpError(
        400,
        'bad_request',
        'kind: the actual value of a 2030 figure is computed from the data, not typed.',
      );
  };

  r.put(
    '/api/v1/result-measures/:id/actuals',
    {
      onRequest: writer,
      schema: {
        tags: ['results'],
        summary: 'Set the actual value of a programme-specific measure for a year',
        description: `Only for kind specific. ${WHO}`,
        security: SECURITY,
        params: IdParams,
        body: ActualInput,
      },
    },
    async (req) => {
      const { m } = await measureForWrite(req, req.params.id);
      refuseTypedActual(m.kind);
      const before = await db
        .selectFrom('result_actuals')
        .selectAll()
        .where('measure_id', '=', m.id)
        .where('year', '=', req.body.year)
        .executeTakeFirst();
      await ctx.store.exclusive(async (conn) => {
        await upsertActual(conn, m.id, req.body);
        await appendAudit(conn, actorOf(req), {
          action: before ? 'update' : 'create',
          entityType: 'result-actual',
          entityId: `${m.id}/${req.body.year}`,
          before,
          after: req.body,
        });
      });
      return { measure: m.id, ...req.body };
    },
  );

  r.delete(
    '/api/v1/result-measures/:id/actuals/:year',
    {
      onRequest: writer,
      schema: {
        tags: ['results'],
        summary: 'Delete the actual value of a programme-specific measure for a year',
        description: WHO,
        security: SECURITY,
        params: YearParams,
      },
    },
    async (req) => {
      const { m } = await measureForWrite(req, req.params.id);
      refuseTypedActual(m.kind);
      const before = await db
        .selectFrom('result_actuals')
        .selectAll()
        .where('measure_id', '=', m.id)
        .where('year', '=', req.params.year)
        .executeTakeFirst();
      if (!before) throw new HttpError(404, 'not_found', `Measure ${m.id} has no actual value for ${req.params.year}.`);
      await ctx.store.exclusive(async (conn) => {
        await conn.query('DELETE FROM result_actuals WHERE measure_id = $1 AND year = $2', [m.id, req.params.year]);
        await appendAudit(conn, actorOf(req), {
          action: 'delete',
          entityType: 'result-actual',
          entityId: `${m.id}/${req.params.year}`,
          before,
        });
      });
      return { deleted: req.params.year };
    },
  );
}

async function upsertTarget(conn: SqlConn, measureId: number, t: z.infer<typeof TargetInput>): Promise<void> {
  await conn.query(
    `INSERT INTO result_targets (measure_id, year, value, notes) VALUES ($1, $2, $3, $4)
    ON CONFLICT (measure_id, year) DO UPDATE SET value = EXCLUDED.value, notes = EXCLUDED.notes`,
    [measureId, t.year, t.value, JSON.stringify(t.notes ?? {})],
  );
}

async function upsertActual(conn: SqlConn, measureId: number, a: z.infer<typeof ActualInput>): Promise<void> {
  await conn.query(
    `INSERT INTO result_actuals (measure_id, year, value, source, notes) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (measure_id, year) DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source, notes = EXCLUDED.notes, updated_at = now()`,
    [measureId, a.year, a.value, a.source ?? null, JSON.stringify(a.notes ?? {})],
  );
}
