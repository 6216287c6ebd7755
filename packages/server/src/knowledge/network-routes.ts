import type { Names } from '@marsad/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import { adminGuard } from '../auth/admin-token.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { pick } from '../http/pagination.ts';
import { placeRefs } from './item-view.ts';
import {
  CentreInput,
  CentrePatch,
  IdParams,
  Lang,
  PARTNER_TYPES,
  PartnerInput,
  PartnerPatch,
} from './knowledge-inputs.ts';
import { D, runWith, TS } from './knowledge-sql.ts';

const SECURITY: { [label: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
const LangQuery = z.object({ lang: Lang.optional() });
const FOCAL_ROLES = ['national-focal-point', 'city-focal-point'];

/**
 * The Global Network on Safer Cities (PRODUCT.md S7; seed 000, section 8 c and f): partner
 * organisations with the date each joined, designated safer-cities coordination centres, and
 * the pilot countries and cities with the focal-point roles held for them — roles and the
 * date since when, never who holds them. Partners and centres are written by administrators.
 */
export function registerNetworkRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  const run = runWith(db);
  const admin = adminGuard(ctx);

  const placeId = async (code: string | null | undefined, field: string): Promise<number | null> => {
    if (code === null || code === undefined) return null;
    const p = await db.selectFrom('places').select('id').where('code', '=', code).executeTakeFirst();
    if (!p) throw new HttpError(400, 'bad_request', `${field}: no place with code "${code}".`);
    return p.id;
  };

  // ---- partner organisations -----------------------------------------------------------------

  const partners = async (lang: string | undefined, where: { id?: number; type?: string[] } = {}) => {
    const rows = await run<{
      id: number;
      names: Names;
      type: string;
      country_place_id: number | null;
      website: string | null;
      descriptions: Names;
      joined_on: string | null;
      left_on: string | null;
      updated_at: string;
    }>(
      `SELECT id, names, type, country_place_id, website, descriptions, ${D('joined_on')} AS joined_on, ${D('left_on')} AS left_on, ${TS('updated_at')} AS updated_at
         FROM partner_organisations
        WHERE ($1::int IS NULL OR id = $1) AND ($2::text[] IS NULL OR type = ANY($2::text[]))
        ORDER BY joined_on NULLS LAST, id`,
      [where.id ?? null, where.type ?? null],
    );
    const places = await placeRefs(
      run,
      rows.flatMap((p) => (p.country_place_id ? [p.country_place_id] : [])),
      lang,
    );
    return rows.map((p) => ({
      id: p.id,
      name: pick(p.names, lang),
      names: p.names,
      type: p.type,
      country: p.country_place_id ? (places.get(p.country_place_id) ?? null) : null,
      website: p.website,
      description: pick(p.descriptions, lang),
      descriptions: p.descriptions,
      joinedOn: p.joined_on,
      leftOn: p.left_on,
      member: p.left_on === null,
      updatedAt: p.updated_at,
    }));
  };

  r.get(
    '/api/v1/network/partners',
    {
      schema: {
        tags: ['network'],
        summary: 'Partner organisations of the Global Network on Safer Cities, in the order they joined',
        querystring: LangQuery.extend({
          type: z
            .union([z.enum(PARTNER_TYPES), z.array(z.enum(PARTNER_TYPES))])
            .optional()
            .describe('Types (repeatable)'),
        }),
      },
    },
    async (req) => {
      const type = req.query.type === undefined ? undefined : [req.query.type].flat();
      return { items: await partners(req.query.lang, { ...(type ? { type } : {}) }) };
    },
  );

  r.get(
    '/api/v1/network/partners/:id',
    {
      schema: {
        tags: ['network'],
        summary: 'One partner organisation, with the coordination centres it runs',
        params: IdParams,
        querystring: LangQuery,
      },
    },
    async (req) => {
      const [p] = await partners(req.query.lang, { id: req.params.id });
      if (!p) throw new HttpError(404, 'not_found', `No partner organisation ${req.params.id}.`);
      return { ...p, centres: (await centres(req.query.lang)).filter((c) => c.organisation?.id === p.id) };
    },
  );

  const partnerValues = (b: z.infer<typeof PartnerInput>, country: number | null) => [
    JSON.stringify(b.names),
    b.type,
    country,
    b.website ?? null,
    JSON.stringify(b.descriptions),
    b.joinedOn ?? null,
    b.leftOn ?? null,
  ];
  const checkDates = (from: string | null | undefined, to: string | null | undefined, field: string, other: string) => {
    if (from && to && to < from) throw new HttpError(400, 'bad_request', `${field}: is before ${other}.`);
  };

  r.post(
    '/api/v1/network/partners',
    {
      onRequest: admin,
      schema: {
        tags: ['network'],
        summary: 'Add a partner organisation (administrators; audited)',
        security: SECURITY,
        body: PartnerInput,
      },
    },
    async (req, reply) => {
      checkDates(req.body.joinedOn, req.body.leftOn, 'leftOn', 'joinedOn');
      const country = await placeId(req.body.country, 'country');
      const id = await ctx.store.exclusive(async (conn) => {
        const [row] = (
          await conn.query<{ id: number }>(
            `INSERT INTO partner_organisations (names, type, country_place_id, website, descriptions, joined_on, left_on) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
            partnerValues(req.body, country),
          )
        ).rows;
        await appendAudit(conn, actorOf(req), {
          action: 'create',
          entityType: 'partner-organisation',
          entityId: row!.id,
          summary: pick(req.body.names as Names, 'en') ?? '',
          after: req.body,
        });
        return row!.id;
      });
      reply.code(201);
      return (await partners(undefined, { id }))[0];
    },
  );

  r.patch(
    '/api/v1/network/partners/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['network'],
        summary: 'Change a partner organisation, e.g. the date it left (administrators; audited)',
        security: SECURITY,
        params: IdParams,
        body: PartnerPatch,
      },
    },
    async (req) => {
      const [before] = await partners(undefined, { id: req.params.id });
      if (!before) throw new HttpError(404, 'not_found', `No partner organisation ${req.params.id}.`);
      const next = {
        names: req.body.names ?? before.names,
        type: req.body.type ?? (before.type as (typeof PARTNER_TYPES)[number]),
        country: req.body.country !== undefined ? req.body.country : (before.country?.code ?? null),
        website: req.body.website !== undefined ? req.body.website : before.website,
        descriptions: req.body.descriptions ?? before.descriptions,
        joinedOn: req.body.joinedOn !== undefined ? req.body.joinedOn : before.joinedOn,
        leftOn: req.body.leftOn !== undefined ? req.body.leftOn : before.leftOn,
      };
      checkDates(next.joinedOn, next.leftOn, 'leftOn', 'joinedOn');
      const country = await placeId(next.country, 'country');
      await ctx.store.exclusive(async (conn) => {
        await conn.query(
          `UPDATE partner_organisations SET names = $1, type = $2, country_place_id = $3, website = $4, descriptions = $5, joined_on = $6, left_on = $7, updated_at = now() WHERE id = $8`,
          [...partnerValues(next, country), req.params.id],
        );
        await appendAudit(conn, actorOf(req), {
          action: 'update',
          entityType: 'partner-organisation',
          entityId: req.params.id,
          before,
          after: next,
        });
      });
      return (await partners(undefined, { id: req.params.id }))[0];
    },
  );

  r.delete(
    '/api/v1/network/partners/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['network'],
        summary:
          'Delete a partner organisation entered by mistake (a partner that left keeps its record: set leftOn) (administrators; audited)',
        security: SECURITY,
        params: IdParams,
      },
    },
    async (req) => {
      const [before] = await partners(undefined, { id: req.params.id });
      if (!before) throw new HttpError(404, 'not_found', `No partner organisation ${req.params.id}.`);
      await ctx.store.exclusive(async (conn) => {
        await conn.query('DELETE FROM partner_organisations WHERE id = $1', [req.params.id]);
        await appendAudit(conn, actorOf(req), {
          action: 'delete',
          entityType: 'partner-organisation',
          entityId: req.params.id,
          before,
        });
      });
      return { deleted: true };
    },
  );

  // ---- coordination centres ------------------------------------------------------------------

  const centres = async (lang: string | undefined, id?: number) => {
    const rows = await run<{
      id: number;
      names: Names;
      place_id: number;
      organisation_id: number | null;
      org_names: Names | null;
      designated_on: string | null;
      descriptions: Names;
      updated_at: string;
    }>(
      `SELECT c.id, c.names, c.place_id, c.organisation_id, o.names AS org_names, ${D('c.designated_on')} AS designated_on, c.descriptions, ${TS('c.updated_at')} AS updated_at
         FROM coordination_centres c LEFT JOIN partner_organisations o ON o.id = c.organisation_id
        WHERE ($1::int IS NULL OR c.id = $1) ORDER BY c.designated_on NULLS LAST, c.id`,
      [id ?? null],
    );
    const places = await placeRefs(
      run,
      rows.map((c) => c.place_id),
      lang,
    );
    return rows.map((c) => ({
      id: c.id,
      name: pick(c.names, lang),
      names: c.names,
      place: places.get(c.place_id) ?? null,
      organisation: c.organisation_id ? { id: c.organisation_id, name: pick(c.org_names, lang) } : null,
      designatedOn: c.designated_on,
      description: pick(c.descriptions, lang),
      descriptions: c.descriptions,
      updatedAt: c.updated_at,
    }));
  };

  r.get(
    '/api/v1/network/centres',
    {
      schema: {
        tags: ['network'],
        summary: 'Designated safer-cities coordination centres, in the order they were designated',
        querystring: LangQuery,
      },
    },
    async (req) => ({ items: await centres(req.query.lang) }),
  );

  const organisation = async (id: number | null | undefined) => {
    if (id === null || id === undefined) return null;
    if (!(await db.selectFrom('partner_organisations').select('id').where('id', '=', id).executeTakeFirst())) {
      throw new HttpError(400, 'bad_request', `organisation: no partner organisation ${id}.`);
    }
    return id;
  };

  r.post(
    '/api/v1/network/centres',
    {
      onRequest: admin,
      schema: {
        tags: ['network'],
        summary: 'Add a designated coordination centre (administrators; audited)',
        security: SECURITY,
        body: CentreInput,
      },
    },
    async (req, reply) => {
      const place = await placeId(req.body.place, 'place');
      const org = await organisation(req.body.organisation);
      const id = await ctx.store.exclusive(async (conn) => {
        const [row] = (
          await conn.query<{ id: number }>(
            'INSERT INTO coordination_centres (names, place_id, organisation_id, designated_on, descriptions) VALUES ($1, $2, $3, $4, $5) RETURNING id',
            [
              JSON.stringify(req.body.names),
              place,
              org,
              req.body.designatedOn ?? null,
              JSON.stringify(req.body.descriptions),
            ],
          )
        ).rows;
        await appendAudit(conn, actorOf(req), {
          action: 'create',
          entityType: 'coordination-centre',
          entityId: row!.id,
          after: req.body,
        });
        return row!.id;
      });
      reply.code(201);
      return (await centres(undefined, id))[0];
    },
  );

  r.patch(
    '/api/v1/network/centres/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['network'],
        summary: 'Change a coordination centre (administrators; audited)',
        security: SECURITY,
        params: IdParams,
        body: CentrePatch,
      },
    },
    async (req) => {
      const [before] = await centres(undefined, req.params.id);
      if (!before) throw new HttpError(404, 'not_found', `No coordination centre ${req.params.id}.`);
      const place =
        req.body.place !== undefined
          ? await placeId(req.body.place, 'place')
          : await placeId(before.place?.code, 'place');
      const org =
        req.body.organisation !== undefined
          ? await organisation(req.body.organisation)
          : (before.organisation?.id ?? null);
      const next = {
        names: req.body.names ?? before.names,
        designatedOn: req.body.designatedOn !== undefined ? req.body.designatedOn : before.designatedOn,
        descriptions: req.body.descriptions ?? before.descriptions,
      };
      await ctx.store.exclusive(async (conn) => {
        await conn.query(
          'UPDATE coordination_centres SET names = $1, place_id = $2, organisation_id = $3, designated_on = $4, descriptions = $5, updated_at = now() WHERE id = $6',
          [JSON.stringify(next.names), place, org, next.designatedOn, JSON.stringify(next.descriptions), req.params.id],
        );
        await appendAudit(conn, actorOf(req), {
          action: 'update',
          entityType: 'coordination-centre',
          entityId: req.params.id,
          before,
          after: { ...next, place: req.body.place ?? before.place?.code, organisation: org },
        });
      });
      return (await centres(undefined, req.params.id))[0];
    },
  );

  r.delete(
    '/api/v1/network/centres/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['network'],
        summary: 'Delete a coordination centre (administrators; audited)',
        security: SECURITY,
        params: IdParams,
      },
    },
    async (req) => {
      const [before] = await centres(undefined, req.params.id);
      if (!before) throw new HttpError(404, 'not_found', `No coordination centre ${req.params.id}.`);
      await ctx.store.exclusive(async (conn) => {
        await conn.query('DELETE FROM coordination_centres WHERE id = $1', [req.params.id]);
        await appendAudit(conn, actorOf(req), {
          action: 'delete',
          entityType: 'coordination-centre',
          entityId: req.params.id,
          before,
        });
      });
      return { deleted: true };
    },
  );

  // ---- pilot countries and cities, and the summary -------------------------------------------

  const pilotPlaces = async (lang: string | undefined) => {
    const rows = await run<{
      id: number;
      code: string;
      level: string;
      names: Names;
      parent_code: string | null;
      parent_names: Names | null;
    }>(
      `SELECT p.id, p.code, p.level, p.names, parent.code AS parent_code, parent.names AS parent_names
         FROM places p LEFT JOIN places parent ON parent.id = p.parent_id WHERE p.pilot ORDER BY p.path`,
    );
    const roles = await run<{ place_id: number; role: string; n: number; since: string }>(
      `SELECT ra.place_id, ra.role, count(*)::int AS n, ${D('min(ra.created_at)')} AS since
         FROM role_assignments ra JOIN users u ON u.id = ra.user_id
        WHERE ra.role = ANY($1::text[]) AND u.status = 'active' AND ra.place_id = ANY($2::int[])
        GROUP BY ra.place_id, ra.role ORDER BY ra.role`,
      [FOCAL_ROLES, rows.map((p) => p.id)],
    );
    const cs = await centres(lang);
    return rows.map((p) => ({
      code: p.code,
      level: p.level,
      name: pick(p.names, lang),
      parent: p.parent_code ? { code: p.parent_code, name: pick(p.parent_names, lang) } : null,
      focalPoints: roles.filter((x) => x.place_id === p.id).map((x) => ({ role: x.role, count: x.n, since: x.since })),
      centres: cs
        .filter((c) => c.place?.code === p.code)
        .map((c) => ({ id: c.id, name: c.name, designatedOn: c.designatedOn })),
    }));
  };

  r.get(
    '/api/v1/network/pilots',
    {
      schema: {
        tags: ['network'],
        summary:
          'Pilot countries and cities, with the focal-point roles held for each (roles, how many, since when — never who) and their coordination centres',
        querystring: LangQuery,
      },
    },
    async (req) => ({ items: await pilotPlaces(req.query.lang) }),
  );

  r.get(
    '/api/v1/network/summary',
    {
      schema: {
        tags: ['network'],
        summary:
          'The network in numbers (seed 000, section 8 c and f): pilot countries and cities, coordination centres, partners by type, who joined when',
        querystring: LangQuery,
      },
    },
    async (req) => {
      const [places, ps, cs] = await Promise.all([
        pilotPlaces(req.query.lang),
        partners(req.query.lang),
        centres(req.query.lang),
      ]);
      const members = ps.filter((p) => p.member);
      const byType = Object.fromEntries(PARTNER_TYPES.map((t) => [t, members.filter((p) => p.type === t).length]));
      const years = new Map<string, { partnersJoined: number; partnersLeft: number; centresDesignated: number }>();
      const year = (y: string) => {
        let e = years.get(y);
        if (!e) {
          e = { partnersJoined: 0, partnersLeft: 0, centresDesignated: 0 };
          years.set(y, e);
        }
        return e;
      };
      for (const p of ps) {
        if (p.joinedOn) year(p.joinedOn.slice(0, 4)).partnersJoined++;
        if (p.leftOn) year(p.leftOn.slice(0, 4)).partnersLeft++;
      }
      for (const c of cs) if (c.designatedOn) year(c.designatedOn.slice(0, 4)).centresDesignated++;
      return {
        pilotCountries: places.filter((p) => p.level === 'country').length,
        pilotCities: places.filter((p) => p.level === 'city').length,
        coordinationCentres: cs.length,
        partners: { members: members.length, left: ps.length - members.length, byType },
        byYear: [...years.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([y, e]) => ({ year: Number(y), ...e })),
      };
    },
  );
}
