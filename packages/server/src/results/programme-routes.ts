import type { SqlConn } from '@marsad/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import { adminGuard } from '../auth/admin-token.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { LangParam, pick } from '../http/pagination.ts';
import { RecordId } from '../http/record-id.ts';
import { budgetView } from './budget.ts';
import { MARGINS_KEY, MarginsInput, readMargins } from './margins-settings.ts';
import { findProgramme, programmeView } from './programme-view.ts';
import { IatiExportError, resultsCsv, resultsIati } from './results-export.ts';
import {
  BudgetLineCreate,
  BudgetLinePatch,
  Code,
  Currency,
  ExchangeRateInput,
  ProgrammeCreate,
  ProgrammePatch,
  Year,
} from './results-inputs.ts';
import {
  checkPartners,
  insertProgramme,
  resolveProgrammePlaces,
  writePartners,
  writePillars,
  writeProgrammePlaces,
} from './results-store.ts';
import { compute2030 } from './targets-2030.ts';

const SECURITY: { [label: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
const CodeParams = z.object({ code: z.string().max(60) });

/**
 * Programmes (issue 7; docs/methods/results.md): reading is public — the whole results tree with
 * progress computed from approved, published values, the 2030 figures, the budget, the exports;
 * programmes, their participation record, pillars, partners and budget lines, the exchange rates
 * and the margins of the 2030 figures are written by administrators, each write audited.
 */
export function registerProgrammeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  const admin = adminGuard(ctx);

  // ---- reads -------------------------------------------------------------------------------

  r.get(
    '/api/v1/programmes',
    {
      schema: {
        tags: ['results'],
        summary: 'Programmes with their overall progress',
        description:
          'Each programme with its years, status, demonstration flag, counts and the progress of its results rolled up by weight (docs/methods/results.md).',
        querystring: z.object({ lang: LangParam }),
      },
    },
    async (req) => {
      const codes = await db.selectFrom('programmes').select('code').orderBy('start_year').orderBy('code').execute();
      const items = [];
      for (const { code } of codes) {
        const v = await programmeView(db, code, req.query.lang);
        let results = 0;
        let measures = 0;
        const count = (rs: typeof v.results) =>
          rs.forEach((x) => {
            results++;
            measures += x.measures.length;
            count(x.children);
          });
        count(v.results);
        items.push({
          code: v.code,
          name: v.name,
          names: v.names,
          description: v.description,
          startYear: v.startYear,
          endYear: v.endYear,
          status: v.status,
          demonstration: v.demonstration,
          demonstrationNote: v.demonstrationNote,
          progress: v.progress,
          coverage: v.coverage,
          results,
          measures,
          places: v.places.length,
          pillars: v.pillars.length,
        });
      }
      return { items };
    },
  );

  r.get(
    '/api/v1/programmes/:code',
    {
      schema: {
        tags: ['results'],
        summary: 'A programme with its whole results tree, measures, actual values and progress',
        description:
          'Results impact → outcome → output → activity, each with its progress and coverage rolled up by weight; every measure with its baseline, targets, actual values (year, value, sources, status) and status. Catalogue indicators take their actual values from approved observations only, leaving out values withheld from the public (suppression); the answer is the same for every reader. `demonstration` marks demonstration data.',
        params: CodeParams,
        querystring: z.object({ lang: LangParam }),
      },
    },
    async (req) => programmeView(db, req.params.code, req.query.lang),
  );

  r.get(
    '/api/v1/programmes/:code/targets-2030',
    {
      schema: {
        tags: ['results'],
        summary:
          "The 2030 targets of seed 000 computed for the programme's participating places, with the places behind each figure",
        description:
          'Change in urban violence against halving by 2030 from 2015, cities with less crime and violence, countries with a measurable improvement, population concerned; definitions in docs/methods/results.md.',
        params: CodeParams,
        querystring: z.object({ lang: LangParam }),
      },
    },
    async (req) => {
      const p = await findProgramme(db, req.params.code);
      const figures = await compute2030(db, p.id, await readMargins(db), req.query.lang);
      return { programme: p.code, name: pick(p.names, req.query.lang), demonstration: p.demo, ...figures };
    },
  );

  r.get(
    '/api/v1/programmes/:code/budget',
    {
      schema: {
        tags: ['results'],
        summary:
          "A programme's budget lines with totals per currency (and, if asked, a total converted with the exchange rates users entered)",
        params: CodeParams,
        querystring: z.object({
          lang: LangParam,
          currency: Currency.optional().describe(
            'Convert to this currency with the entered rates; lines without a rate are listed',
          ),
        }),
      },
    },
    async (req) => budgetView(db, await findProgramme(db, req.params.code), req.query.lang, req.query.currency),
  );

  r.get(
    '/api/v1/programmes/:code/export',
    {
      schema: {
        tags: ['results'],
        summary:
          'The results framework as CSV, or as IATI activity XML 2.03 (results with indicators, baselines, periods)',
        description:
          'format=csv: one row per measure (UTF-8 with a byte-order mark). format=iati: one iati-activity; needs the programme\'s reportingOrg.ref and type (409 otherwise). docs/methods/results.md, "Exports".',
        params: CodeParams,
        querystring: z.object({ format: z.enum(['csv', 'iati']), lang: LangParam }),
      },
    },
    async (req, reply) => {
      const v = await programmeView(db, req.params.code, req.query.lang);
      if (req.query.format === 'csv') {
        reply
          .header('Content-Type', 'text/csv; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="${v.code}-results.csv"`);
        return resultsCsv(v);
      }
      const budget = await budgetView(db, await findProgramme(db, req.params.code), req.query.lang);
      try {
        const xml = resultsIati(v, budget);
        reply
          .header('Content-Type', 'application/xml; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="${v.code}-iati.xml"`);
        return xml;
      } catch (e) {
        if (e instanceof IatiExportError) throw new HttpError(409, 'conflict', e.message);
        throw e;
      }
    },
  );

  r.get(
    '/api/v1/settings/results-2030',
    {
      schema: {
        tags: ['results'],
        summary: 'The margins of the 2030 figures (public, so that anyone can check a figure)',
      },
    },
    async () => readMargins(db),
  );

  r.get(
    '/api/v1/settings/exchange-rates',
    {
      schema: { tags: ['results'], summary: 'Exchange rates entered by users, per currency pair and year' },
    },
    async () => ({
      items: (
        await db
          .selectFrom('exchange_rates')
          .selectAll()
          .orderBy('from_currency')
          .orderBy('to_currency')
          .orderBy('year')
          .execute()
      ).map((x) => ({ from: x.from_currency, to: x.to_currency, year: x.year, rate: x.rate, source: x.source })),
    }),
  );

  // ---- writes (administrators) ----------------------------------------------------------------

  /** Checks the lists of a programme's input (before its transaction) and gives the function that writes them. */
  const prepareLists = async (b: z.infer<typeof ProgrammePatch>) => {
    if (b.partners) await checkPartners(db, b.partners, 'partners');
    const places = b.places ? await resolveProgrammePlaces(db, b.places) : null;
    return async (conn: SqlConn, id: number) => {
      if (b.pillars) await writePillars(conn, id, b.pillars);
      if (places) await writeProgrammePlaces(conn, id, places);
      if (b.partners) await writePartners(conn, id, null, b.partners);
    };
  };

  r.post(
    '/api/v1/programmes',
    {
      onRequest: admin,
      schema: {
        tags: ['results'],
        summary: 'Add a programme (administrators)',
        security: SECURITY,
        body: ProgrammeCreate,
      },
    },
    async (req, reply) => {
      const b = req.body;
      const writeLists = await prepareLists(b);
      const id = await ctx.store.exclusive(async (conn) => {
        const pid = await insertProgramme(conn, b);
        await writeLists(conn, pid);
        await appendAudit(conn, actorOf(req), {
          action: 'create',
          entityType: 'programme',
          entityId: b.code,
          after: b,
        });
        return pid;
      });
      reply.code(201);
      return { id, code: b.code };
    },
  );

  r.patch(
    '/api/v1/programmes/:code',
    {
      onRequest: admin,
      schema: {
        tags: ['results'],
        summary: 'Change a programme; lists given (pillars, places, partners) replace the old ones (administrators)',
        security: SECURITY,
        params: CodeParams,
        body: ProgrammePatch,
      },
    },
    async (req) => {
      const p = await findProgramme(db, req.params.code);
      const b = req.body;
      const start = b.startYear ?? p.start_year;
      const end = b.endYear ?? p.end_year;
      if (end < start) throw new HttpError(400, 'bad_request', `endYear: ${end} is before startYear ${start}.`);
      const writeLists = await prepareLists(b);
      await ctx.store.exclusive(async (conn) => {
        await conn.query(
          `UPDATE programmes SET names = $2, descriptions = $3, start_year = $4, end_year = $5, status = $6, reference = $7, reporting_org = $8, demo = $9, updated_at = now()
         WHERE id = $1`,
          [
            p.id,
            JSON.stringify(b.names ?? p.names),
            JSON.stringify(b.descriptions ?? p.descriptions),
            start,
            end,
            b.status ?? p.status,
            b.reference === undefined ? p.reference : b.reference,
            JSON.stringify(b.reportingOrg ?? p.reporting_org),
            b.demonstration ?? p.demo,
          ],
        );
        await writeLists(conn, p.id);
        await appendAudit(conn, actorOf(req), {
          action: 'update',
          entityType: 'programme',
          entityId: p.code,
          before: p,
          after: b,
        });
      });
      return { code: p.code };
    },
  );

  r.delete(
    '/api/v1/programmes/:code',
    {
      onRequest: admin,
      schema: {
        tags: ['results'],
        summary: 'Delete a programme with its results, measures and budget lines (administrators)',
        security: SECURITY,
        params: CodeParams,
      },
    },
    async (req) => {
      const p = await findProgramme(db, req.params.code);
      const results = await db
        .selectFrom('results')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('programme_id', '=', p.id)
        .executeTakeFirstOrThrow();
      await ctx.store.exclusive(async (conn) => {
        await conn.query('DELETE FROM programmes WHERE id = $1', [p.id]);
        await appendAudit(conn, actorOf(req), {
          action: 'delete',
          entityType: 'programme',
          entityId: p.code,
          before: { ...p, results: Number(results.n) },
        });
      });
      return { deleted: p.code };
    },
  );

  // ---- budget lines ------------------------------------------------------------------------

  const checkResult = async (programmeId: number, resultId: number | null | undefined) => {
    if (resultId === null || resultId === undefined) return;
    const row = await db.selectFrom('results').select('programme_id').where('id', '=', resultId).executeTakeFirst();
    if (!row || row.programme_id !== programmeId)
      throw new HttpError(400, 'bad_request', `result: the programme has no result ${resultId}.`);
  };
  const LineParams = z.object({ code: z.string().max(60), id: RecordId });

  r.post(
    '/api/v1/programmes/:code/budget-lines',
    {
      onRequest: admin,
      schema: {
        tags: ['results'],
        summary: 'Add a budget line: label, currency (ISO 4217), year (or years), amount (administrators)',
        security: SECURITY,
        params: CodeParams,
        body: BudgetLineCreate,
      },
    },
    async (req, reply) => {
      const p = await findProgramme(db, req.params.code);
      const b = req.body;
      await checkResult(p.id, b.result);
      const id = await ctx.store.exclusive(async (conn) => {
        const row = await conn.query<{ id: number }>(
          `INSERT INTO budget_lines (programme_id, result_id, labels, currency, year, end_year, amount, notes, demo)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
          [
            p.id,
            b.result ?? null,
            JSON.stringify(b.labels),
            b.currency,
            b.year,
            b.endYear ?? null,
            b.amount,
            JSON.stringify(b.notes ?? {}),
            b.demonstration ?? false,
          ],
        );
        await appendAudit(conn, actorOf(req), {
          action: 'create',
          entityType: 'budget-line',
          entityId: row.rows[0]!.id,
          summary: `${p.code}: ${b.amount} ${b.currency} ${b.year}`,
          after: b,
        });
        return row.rows[0]!.id;
      });
      reply.code(201);
      return { id };
    },
  );

  const findLine = async (programmeId: number, id: number) => {
    const line = await db
      .selectFrom('budget_lines')
      .selectAll()
      .where('id', '=', id)
      .where('programme_id', '=', programmeId)
      .executeTakeFirst();
    if (!line) throw new HttpError(404, 'not_found', `The programme has no budget line ${id}.`);
    return line;
  };

  r.patch(
    '/api/v1/programmes/:code/budget-lines/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['results'],
        summary: 'Change a budget line (administrators)',
        security: SECURITY,
        params: LineParams,
        body: BudgetLinePatch,
      },
    },
    async (req) => {
      const p = await findProgramme(db, req.params.code);
      const line = await findLine(p.id, req.params.id);
      const b = req.body;
      await checkResult(p.id, b.result);
      const year = b.year ?? line.year;
      const endYear = b.endYear === undefined ? line.end_year : b.endYear;
      if (endYear !== null && endYear < year)
        throw new HttpError(400, 'bad_request', `endYear: ${endYear} is before year ${year}.`);
      await ctx.store.exclusive(async (conn) => {
        await conn.query(
          `UPDATE budget_lines SET labels = $2, currency = $3, year = $4, end_year = $5, amount = $6, result_id = $7, notes = $8, demo = $9, updated_at = now() WHERE id = $1`,
          [
            line.id,
            JSON.stringify(b.labels ?? line.labels),
            b.currency ?? line.currency,
            year,
            endYear,
            b.amount ?? line.amount,
            b.result === undefined ? line.result_id : b.result,
            JSON.stringify(b.notes ?? line.notes),
            b.demonstration ?? line.demo,
          ],
        );
        await appendAudit(conn, actorOf(req), {
          action: 'update',
          entityType: 'budget-line',
          entityId: line.id,
          before: line,
          after: b,
        });
      });
      return { id: line.id };
    },
  );

  r.delete(
    '/api/v1/programmes/:code/budget-lines/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['results'],
        summary: 'Delete a budget line (administrators)',
        security: SECURITY,
        params: LineParams,
      },
    },
    async (req) => {
      const p = await findProgramme(db, req.params.code);
      const line = await findLine(p.id, req.params.id);
      await ctx.store.exclusive(async (conn) => {
        await conn.query('DELETE FROM budget_lines WHERE id = $1', [line.id]);
        await appendAudit(conn, actorOf(req), {
          action: 'delete',
          entityType: 'budget-line',
          entityId: line.id,
          before: line,
        });
      });
      return { deleted: line.id };
    },
  );

  // ---- settings: margins, exchange rates ---------------------------------------------------

  r.put(
    '/api/v1/settings/results-2030',
    {
      onRequest: admin,
      schema: {
        tags: ['results'],
        summary: 'Set the margins of the 2030 figures: a default and per indicator (administrators)',
        description:
          'A value counts as better or worse than its base only when it moved by more than the margin × the base (docs/methods/results.md).',
        security: SECURITY,
        body: MarginsInput,
      },
    },
    async (req) => {
      const b = req.body;
      const codes = Object.keys(b.byIndicator);
      if (codes.length) {
        const found = await db.selectFrom('indicators').select('code').where('code', 'in', codes).execute();
        const missing = codes.find((c) => !found.some((f) => f.code === c));
        if (missing) throw new HttpError(400, 'bad_request', `byIndicator.${missing}: no indicator "${missing}".`);
      }
      const before = await readMargins(db);
      await ctx.store.exclusive(async (conn) => {
        await conn.query(
          `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, now())
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
          [MARGINS_KEY, JSON.stringify(b)],
        );
        await appendAudit(conn, actorOf(req), {
          action: 'update',
          entityType: 'settings',
          entityId: MARGINS_KEY,
          before,
          after: b,
        });
      });
      return b;
    },
  );

  r.put(
    '/api/v1/settings/exchange-rates',
    {
      onRequest: admin,
      schema: {
        tags: ['results'],
        summary: 'Enter an exchange rate for a currency pair and year (administrators)',
        description:
          'Budget totals are never converted without a rate entered here: 1 unit of `from` = `rate` units of `to` in `year`.',
        security: SECURITY,
        body: ExchangeRateInput,
      },
    },
    async (req) => {
      const b = req.body;
      const before = await db
        .selectFrom('exchange_rates')
        .selectAll()
        .where('from_currency', '=', b.from)
        .where('to_currency', '=', b.to)
        .where('year', '=', b.year)
        .executeTakeFirst();
      await ctx.store.exclusive(async (conn) => {
        await conn.query(
          `INSERT INTO exchange_rates (from_currency, to_currency, year, rate, source) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (from_currency, to_currency, year) DO UPDATE SET rate = EXCLUDED.rate, source = EXCLUDED.source, updated_at = now()`,
          [b.from, b.to, b.year, b.rate, b.source ?? null],
        );
        await appendAudit(conn, actorOf(req), {
          action: before ? 'update' : 'create',
          entityType: 'exchange-rate',
          entityId: `${b.from}/${b.to}/${b.year}`,
          before,
          after: b,
        });
      });
      return b;
    },
  );

  r.delete(
    '/api/v1/settings/exchange-rates/:from/:to/:year',
    {
      onRequest: admin,
      schema: {
        tags: ['results'],
        summary: 'Delete an exchange rate (administrators)',
        security: SECURITY,
        params: z.object({ from: Code, to: Code, year: z.coerce.number().pipe(Year) }),
      },
    },
    async (req) => {
      const { from, to, year } = req.params;
      const before = await db
        .selectFrom('exchange_rates')
        .selectAll()
        .where('from_currency', '=', from)
        .where('to_currency', '=', to)
        .where('year', '=', year)
        .executeTakeFirst();
      if (!before) throw new HttpError(404, 'not_found', `No exchange rate ${from}/${to} for ${year}.`);
      await ctx.store.exclusive(async (conn) => {
        await conn.query('DELETE FROM exchange_rates WHERE from_currency = $1 AND to_currency = $2 AND year = $3', [
          from,
          to,
          year,
        ]);
        await appendAudit(conn, actorOf(req), {
          action: 'delete',
          entityType: 'exchange-rate',
          entityId: `${from}/${to}/${year}`,
          before,
        });
      });
      return { deleted: `${from}/${to}/${year}` };
    },
  );
}
