import type { Names } from '@marsad/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log.ts';
import { resolveActor } from '../auth/actor.ts';
import { currentActor, isAdministrator, requireActor } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { pick } from '../http/pagination.ts';
import { requestBody } from '../http/raw-body.ts';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from '../http/upload-limits.ts';
import {
  ATTACHMENT_EXTENSIONS,
  addAttachment,
  contentDisposition,
  deleteAttachment,
  MAX_ATTACHMENT_BYTES,
  readAttachment,
} from './attachments.ts';
import { createItem, deleteItem, loadState, updateItem } from './item-store.ts';
import { compareSnapshots, getVersion, listVersions } from './item-versions.ts';
import { itemView } from './item-view.ts';
import {
  CONTACT_ROLES,
  Id,
  IdParams,
  ITEM_KINDS,
  ITEM_TYPES,
  ItemCreate,
  ItemPatch,
  LANGUAGES,
  Lang,
  PARTICIPANT_ORGANISATION_TYPES,
  PARTNER_TYPES,
  PILOT_STAGES,
  SearchQuery,
  STATUSES,
  WORKSHOP_KINDS,
} from './knowledge-inputs.ts';
import { canEditItem, ITEM_GRANT_TYPE, requireItemAuthor } from './knowledge-policy.ts';
import { searchFacets, searchItems } from './knowledge-search.ts';
import { runWith, TS } from './knowledge-sql.ts';

const SECURITY: { [label: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
const LangQuery = z.object({ lang: Lang.optional().describe('Language of names and titles') });

/**
 * Items of the knowledge repository: search, read, write, versions, files (docs/methods/search.md, ARCHITECTURE.md).
 */
export function registerKnowledgeItemRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  const run = runWith(db);
  const signedIn = requireActor(ctx);

  r.get(
    '/api/v1/knowledge/options',
    {
      schema: {
        tags: ['knowledge'],
        summary:
          'The vocabularies of the repository and network forms: types, kinds, languages, frameworks, SDG targets, roles, stages, organisation types',
        querystring: LangQuery,
      },
    },
    async (req) => {
      const lang = req.query.lang;
      const [frameworks, targets] = await Promise.all([
        db.selectFrom('frameworks').select(['code', 'names']).orderBy('id').execute(),
        db.selectFrom('sdg_targets').select(['code', 'names', 'goal_code']).execute(),
      ]);
      const goalOrder = (c: string) =>
        c
          .split('.')
          .map((p) => (/^\d+$/.test(p) ? p.padStart(3, '0') : `~${p}`))
          .join('.');
      return {
        types: ITEM_TYPES,
        kinds: ITEM_KINDS,
        statuses: STATUSES,
        languages: LANGUAGES,
        contactRoles: CONTACT_ROLES,
        pilotStages: PILOT_STAGES,
        partnerTypes: PARTNER_TYPES,
        workshopKinds: WORKSHOP_KINDS,
        participantOrganisationTypes: PARTICIPANT_ORGANISATION_TYPES,
        attachmentExtensions: ATTACHMENT_EXTENSIONS,
        maxAttachmentBytes: MAX_ATTACHMENT_BYTES,
        frameworks: frameworks.map((f) => ({ code: f.code, name: pick(f.names, lang) })),
        sdgTargets: targets
          .sort((a, b) => goalOrder(a.code).localeCompare(goalOrder(b.code)))
          .map((t) => ({ code: t.code, goal: t.goal_code, name: pick(t.names, lang) })),
        nuaParagraphs: { min: 1, max: 175 },
      };
    },
  );

  r.get(
    '/api/v1/knowledge/search',
    {
      schema: {
        tags: ['knowledge'],
        summary:
          'Search the repository: ranked published items with highlighted snippets, and counts by type, language, place, framework, SDG target and year',
        description:
          "Every word of `q` must appear (Arabic folded: hamza forms of alef, ta marbuta/ha, alef maqsura/ya, tatweel, diacritics, Arabic-Indic digits, the article and prefixes; PostgreSQL's arabic and english stemmers; other languages unstemmed). Ranked as docs/methods/search.md says. `snippet` is HTML in which everything is escaped except <mark> around matched words. Without `q`, the newest items first. Filters combine with AND; the values of one filter with OR. Facets count each filter's values with the other filters applied. `total` is null when the results were not all counted (the facets' total counts them).",
        querystring: SearchQuery,
      },
    },
    async (req) => {
      const { facets, ...o } = req.query;
      const [page, counts] = await Promise.all([
        searchItems(ctx.store, o),
        facets ? searchFacets(ctx.store, o) : Promise.resolve(null),
      ]);
      return { ...page, total: page.total ?? counts?.total ?? null, limit: o.limit, offset: o.offset, facets: counts };
    },
  );

  r.get(
    '/api/v1/knowledge/editable',
    {
      onRequest: signedIn,
      schema: {
        tags: ['knowledge'],
        summary: 'Items the signed-in user may edit, drafts among them, newest change first',
        security: SECURITY,
        querystring: z.object({
          lang: Lang.optional(),
          status: z.enum(STATUSES).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      // Narrowed in SQL to the places of the actor's roles and their grants; canEditItem decides.
      const paths = actor.roles.flatMap((r) => (r.placePath ? [`${r.placePath}%`] : []));
      const grants = actor.grants
        .filter((g) => g.recordType === ITEM_GRANT_TYPE)
        .map((g) => Number(g.recordId))
        .filter(Number.isInteger);
      const rows = await run<{
        id: number;
        type: string;
        kind: string | null;
        status: string;
        version: number;
        owner_path: string | null;
        owner_code: string | null;
        updated_at: string;
        titles: Names;
      }>(
        `SELECT i.id, i.type, i.kind, i.status, i.version, o.path AS owner_path, o.code AS owner_code, ${TS('i.updated_at')} AS updated_at,
              (SELECT jsonb_object_agg(t.lang, t.title) FROM knowledge_item_texts t WHERE t.item_id = i.id) AS titles
         FROM knowledge_items i LEFT JOIN places o ON o.id = i.owner_place_id
        WHERE ($1::text IS NULL OR i.status = $1) AND ($2 OR o.path LIKE ANY($3::text[]) OR i.id = ANY($4::int[]))
        ORDER BY i.updated_at DESC, i.id DESC`,
        [req.query.status ?? null, isAdministrator(actor), paths, grants],
      );
      const items = rows
        .filter((i) => canEditItem(actor, i.owner_path, i.id))
        .slice(0, req.query.limit)
        .map((i) => ({
          id: i.id,
          type: i.type,
          kind: i.kind,
          status: i.status,
          version: i.version,
          ownerPlace: i.owner_code,
          updatedAt: i.updated_at,
          title: pick(i.titles, req.query.lang),
        }));
      return { items };
    },
  );

  r.get(
    '/api/v1/knowledge/items/:id',
    {
      schema: {
        tags: ['knowledge'],
        summary:
          'One item with its texts, tags, files, pilots (tools) and workshops; drafts only for those who may edit them',
        params: IdParams,
        querystring: LangQuery,
      },
    },
    async (req) => itemView(run, req.params.id, req.query.lang, await resolveActor(req, ctx)),
  );

  r.post(
    '/api/v1/knowledge/items',
    {
      onRequest: requireItemAuthor(ctx),
      schema: {
        tags: ['knowledge'],
        summary: 'Add an item (editors and focal points: items owned by a place they hold; administrators: any)',
        security: SECURITY,
        description:
          'Rich text (body, results) is sanitised: no scripts, event handlers, styles, frames or foreign schemes. Version 1 is kept; the change is audited.',
        body: ItemCreate,
      },
    },
    async (req, reply) => {
      const actor = await currentActor(req, ctx);
      const id = await createItem(ctx.store, actor, actorOf(req), req.body);
      reply.code(201);
      return itemView(run, id, undefined, actor);
    },
  );

  r.patch(
    '/api/v1/knowledge/items/:id',
    {
      onRequest: signedIn,
      schema: {
        tags: ['knowledge'],
        summary:
          'Change an item: the fields given replace its own (a new version, audited); `status` publishes or withdraws it',
        security: SECURITY,
        description:
          "Allowed to administrators, the editors and focal points of the item's owner place (or a place above it) and holders of an `edit` grant on the item (record type knowledge-item). A save that changes nothing makes no version. `expectedVersion` guards against overwriting a change made meanwhile (409).",
        params: IdParams,
        body: ItemPatch,
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      const result = await updateItem(ctx.store, actor, actorOf(req), req.params.id, req.body);
      return { ...result, item: await itemView(run, req.params.id, undefined, actor) };
    },
  );

  r.delete(
    '/api/v1/knowledge/items/:id',
    {
      onRequest: signedIn,
      schema: {
        tags: ['knowledge'],
        summary: 'Delete an item with its versions, files and pilots (audited)',
        security: SECURITY,
        params: IdParams,
      },
    },
    async (req) => {
      await deleteItem(ctx.store, await currentActor(req, ctx), actorOf(req), req.params.id);
      return { deleted: true };
    },
  );

  const mayEdit = async (req: FastifyRequest, id: number) => {
    const actor = await currentActor(req, ctx);
    const state = await loadState(run, id);
    if (!state || !canEditItem(actor, state.ownerPath, id)) {
      if (state && state.status === 'published')
        throw new HttpError(403, 'forbidden', `The versions of item ${id} are shown to those who may edit it.`);
      throw new HttpError(404, 'not_found', `No item ${id}.`);
    }
  };

  r.get(
    '/api/v1/knowledge/items/:id/versions',
    {
      onRequest: signedIn,
      schema: {
        tags: ['knowledge'],
        summary: 'The versions of an item, newest first, with the fields each changed (for those who may edit it)',
        security: SECURITY,
        params: IdParams,
      },
    },
    async (req) => {
      await mayEdit(req, req.params.id);
      return { id: req.params.id, versions: await listVersions(run, req.params.id) };
    },
  );

  r.get(
    '/api/v1/knowledge/items/:id/versions/:version',
    {
      onRequest: signedIn,
      schema: {
        tags: ['knowledge'],
        summary: 'One version of an item, whole',
        security: SECURITY,
        params: z.object({ id: Id, version: z.coerce.number().int().min(1) }),
      },
    },
    async (req) => {
      await mayEdit(req, req.params.id);
      return getVersion(run, req.params.id, req.params.version);
    },
  );

  r.get(
    '/api/v1/knowledge/items/:id/compare',
    {
      onRequest: signedIn,
      schema: {
        tags: ['knowledge'],
        summary:
          'Two versions of an item side by side, with the changed fields and, for texts, the words inserted and deleted',
        security: SECURITY,
        params: IdParams,
        querystring: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
      },
    },
    async (req) => {
      await mayEdit(req, req.params.id);
      const [from, to] = await Promise.all([
        getVersion(run, req.params.id, req.query.from),
        getVersion(run, req.params.id, req.query.to),
      ]);
      return { id: req.params.id, from, to, changes: compareSnapshots(from, to) };
    },
  );

  r.get(
    '/api/v1/knowledge/attachments/:id',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'A file of an item, byte for byte as it was added (ETag and X-Content-SHA256: its SHA-256)',
        params: IdParams,
      },
    },
    async (req, reply) => {
      const a = await readAttachment(ctx.store, await resolveActor(req, ctx), req.params.id);
      reply.header('Content-Type', a.mediaType.startsWith('text/') ? `${a.mediaType}; charset=utf-8` : a.mediaType);
      reply.header('Content-Disposition', contentDisposition(a.fileName, a.mediaType));
      reply.header('ETag', `"${a.sha256}"`);
      reply.header('X-Content-SHA256', a.sha256);
      reply.header('Cache-Control', 'private, max-age=0, must-revalidate');
      return reply.send(a.content);
    },
  );

  r.delete(
    '/api/v1/knowledge/attachments/:id',
    {
      onRequest: signedIn,
      schema: {
        tags: ['knowledge'],
        summary: 'Remove a file from an item (a new version, audited)',
        security: SECURITY,
        params: IdParams,
      },
    },
    async (req) => deleteAttachment(ctx.store, await currentActor(req, ctx), actorOf(req), req.params.id),
  );
}

/** The upload route, registered where request bodies stay raw streams. */
export function registerKnowledgeUploadRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  limits: Pick<UploadLimits, 'maxPdfMemory'> = DEFAULT_UPLOAD_LIMITS,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/knowledge/items/:id/attachments',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: ['knowledge'],
        summary: 'Add a file to an item: the body is the file; its name (with extension) in `fileName`',
        security: SECURITY,
        description: `PDF, text (UTF-8) and office files: ${ATTACHMENT_EXTENSIONS.join(' ')}, at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB. The kind is taken from the extension and checked against the content; a Content-Type that disagrees is refused (415). Kept byte for byte with its SHA-256; the text of PDF and text files is indexed for search. A new version of the item; audited.`,
        params: IdParams,
        querystring: z.object({
          fileName: z.string().trim().min(1).max(300).describe('The file name, with its extension'),
          language: Lang.optional().describe('Language of the text, for search (found from the text when not given)'),
        }),
      },
    },
    async (req, reply) => {
      const actor = await currentActor(req, ctx);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of requestBody(req)) {
        size += chunk.length;
        if (size > MAX_ATTACHMENT_BYTES)
          throw new HttpError(
            413,
            'payload_too_large',
            `body: files of more than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB are not kept.`,
          );
        chunks.push(Buffer.from(chunk));
      }
      const added = await addAttachment(
        ctx.store,
        actor,
        actorOf(req),
        req.params.id,
        {
          fileName: req.query.fileName,
          contentType: String(req.headers['content-type'] ?? ''),
          ...(req.query.language ? { language: req.query.language } : {}),
        },
        Buffer.concat(chunks),
        limits,
      );
      reply.code(201);
      return { ...added, url: `/api/v1/knowledge/attachments/${added.id}` };
    },
  );
}
