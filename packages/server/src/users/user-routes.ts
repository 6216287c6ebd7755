import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { actorOf, recordAudit } from '../audit/audit-log.ts';
import { currentActor, requireAdministrator } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { PageQuery, page } from '../http/pagination.ts';
import { RecordId } from '../http/record-id.ts';
import { acceptUrl, linkBase, mailLink } from '../mail/link-mail.ts';
import { MAIL_LANGUAGES } from '../mail/link-messages.ts';
import { loadMailSettings } from '../mail/mail-settings.ts';
import {
  addGrant,
  addRole,
  createUser,
  disableUser,
  enableUser,
  issueReset,
  ROLES,
  removeGrant,
  removeRole,
  requireUser,
  userView,
} from './accounts.ts';
import { listUserTokens } from './user-tokens.ts';

export const RoleBody = z.object({
  role: z.enum(ROLES),
  place: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('Code of the place (e.g. MAR, MAAGA); none for the administrator role'),
});
const GrantBody = z.object({
  recordType: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be a lower-case record type such as submission or knowledge-item'),
  recordId: z.string().min(1).max(100),
  permission: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be a lower-case permission such as review or edit'),
});
const UserId = z.object({ id: RecordId });

const MailLanguage = z
  .enum(MAIL_LANGUAGES)
  .optional()
  .describe('The language of the e-mail (when SMTP is configured); default: Arabic and English');
const EMAIL_OUTCOME =
  'emailSent says whether the link was also e-mailed (when an SMTP server is configured in the mail settings), emailProblem why not; the link is in the answer either way. Links lead to the public address of the mail settings, else to the address of this request.';

/** Accounts, for administrators: invite, list, roles on places, grants on records, reset links, disable. */
export function registerUserRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  const admin = requireAdministrator(ctx);
  const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
  const by = async (req: FastifyRequest) => (await currentActor(req, ctx)).userId;

  r.post(
    '/api/v1/users',
    {
      onRequest: admin,
      schema: {
        tags: ['accounts'],
        summary: 'Invite a user: an account with roles on places, and the invitation link to give them',
        description: `The link works for 7 days. ${EMAIL_OUTCOME} A failure to send does not undo the invitation.`,
        security,
        body: z.object({
          email: z
            .string()
            .trim()
            .max(254)
            .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address'),
          displayName: z.string().trim().min(1).max(200).optional(),
          roles: z.array(RoleBody).max(100).default([]),
          language: MailLanguage,
        }),
      },
    },
    async (req, reply) => {
      const { user, token, expiresAt } = await createUser(ctx.store, req.body, await by(req));
      await recordAudit(ctx.store, actorOf(req), {
        action: 'create',
        entityType: 'user',
        entityId: user.id,
        after: { email: user.email, roles: req.body.roles },
      });
      const settings = await loadMailSettings(db);
      const invitationUrl = acceptUrl(linkBase(settings, req), token, req.body.language);
      const mail = await mailLink(ctx.store, actorOf(req), settings, {
        userId: user.id,
        to: user.email,
        kind: 'invitation',
        url: invitationUrl,
        expiresAt,
        site: linkBase(settings, req),
        displayName: user.displayName,
        language: req.body.language,
      });
      reply.code(201);
      return { user, invitationUrl, expiresAt: expiresAt.toISOString(), ...mail };
    },
  );

  r.get(
    '/api/v1/users',
    {
      onRequest: admin,
      schema: {
        tags: ['accounts'],
        summary: 'Users with their roles (administrators)',
        security,
        querystring: PageQuery.extend({
          q: z.string().max(200).optional().describe('Part of the e-mail address or name'),
          status: z.enum(['invited', 'active', 'disabled']).optional(),
          role: z.enum(ROLES).optional(),
          place: z
            .string()
            .trim()
            .min(1)
            .max(100)
            .optional()
            .describe('Code of a place: users holding a role (the role given, if any) on it or on a place under it'),
        }),
      },
    },
    async (req) => {
      const { limit, offset, q, status, role, place } = req.query;
      let query = db.selectFrom('users as u');
      if (q) query = query.where(sql<boolean>`(u.email ILIKE ${`%${q}%`} OR u.display_name ILIKE ${`%${q}%`})`);
      if (status) query = query.where('u.status', '=', status);
      if (place) {
        const p = await db.selectFrom('places').select('path').where('code', '=', place).executeTakeFirst();
        if (!p) throw new HttpError(400, 'bad_request', `place: no place with code "${place}".`);
        query = query.where((eb) => {
          let sub = eb
            .selectFrom('role_assignments as ra')
            .innerJoin('places as rp', 'rp.id', 'ra.place_id')
            .select('ra.id')
            .whereRef('ra.user_id', '=', 'u.id')
            .where('rp.path', 'like', `${p.path}%`);
          if (role) sub = sub.where('ra.role', '=', role);
          return eb.exists(sub);
        });
      } else if (role) {
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('role_assignments as ra')
              .select('ra.id')
              .whereRef('ra.user_id', '=', 'u.id')
              .where('ra.role', '=', role),
          ),
        );
      }
      const total = (await query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst())?.n ?? 0;
      const ids = await query.select('u.id').orderBy('u.email').limit(limit).offset(offset).execute();
      const items = [];
      for (const { id } of ids) items.push(await userView(db, id));
      return page(items, total, limit, offset);
    },
  );

  r.get(
    '/api/v1/users/tokens',
    {
      onRequest: admin,
      schema: {
        tags: ['accounts'],
        summary: "Every user's API tokens, newest first (administrators; never their values)",
        description: 'An administrator revokes any of them with DELETE /api/v1/tokens/:id.',
        security,
        querystring: PageQuery.extend({
          user: RecordId.optional().describe('Id of a user: their tokens only'),
          state: z.enum(['active', 'expired', 'revoked']).optional(),
          q: z
            .string()
            .trim()
            .max(200)
            .optional()
            .describe("Part of the token's name or of its user's e-mail address or name"),
        }),
      },
    },
    async (req) => {
      const { limit, offset, user, state, q } = req.query;
      if (user !== undefined) await requireUser(db, user);
      const { items, total } = await listUserTokens(db, { userId: user, state, q: q || undefined, limit, offset });
      return page(items, total, limit, offset);
    },
  );

  r.get(
    '/api/v1/users/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['accounts'],
        summary: 'One user with their roles and grants (administrators)',
        security,
        params: UserId,
      },
    },
    async (req) => {
      const grants = await db
        .selectFrom('record_grants')
        .select(['record_type', 'record_id', 'permission', 'created_at'])
        .where('user_id', '=', req.params.id)
        .orderBy('id')
        .execute();
      return {
        ...(await userView(db, req.params.id)),
        grants: grants.map((g) => ({
          recordType: g.record_type,
          recordId: g.record_id,
          permission: g.permission,
          createdAt: new Date(g.created_at).toISOString(),
        })),
      };
    },
  );

  r.post(
    '/api/v1/users/:id/roles',
    {
      onRequest: admin,
      schema: {
        tags: ['accounts'],
        summary: 'Give a user a role on a place',
        security,
        params: UserId,
        body: RoleBody,
      },
    },
    async (req, reply) => {
      const added = await addRole(ctx.store, req.params.id, req.body, await by(req));
      await recordAudit(ctx.store, actorOf(req), {
        action: 'create',
        entityType: 'role',
        entityId: req.params.id,
        after: req.body,
      });
      reply.code(added ? 201 : 200);
      return { added, user: await userView(db, req.params.id) };
    },
  );

  r.delete(
    '/api/v1/users/:id/roles',
    {
      onRequest: admin,
      schema: {
        tags: ['accounts'],
        summary: 'Take a role on a place away from a user',
        security,
        params: UserId,
        body: RoleBody,
      },
    },
    async (req) => {
      await removeRole(ctx.store, req.params.id, req.body);
      await recordAudit(ctx.store, actorOf(req), {
        action: 'delete',
        entityType: 'role',
        entityId: req.params.id,
        before: req.body,
      });
      return { removed: true, user: await userView(db, req.params.id) };
    },
  );

  r.post(
    '/api/v1/users/:id/reset',
    {
      onRequest: admin,
      schema: {
        tags: ['accounts'],
        summary: 'A password reset link for the user (a new invitation link if they never accepted)',
        description: `The current password keeps working until the link is used; the link works for 24 hours (7 days for an invitation). ${EMAIL_OUTCOME}`,
        security,
        params: UserId,
        querystring: z.object({ language: MailLanguage }),
      },
    },
    async (req) => {
      const { token, expiresAt, kind } = await issueReset(ctx.store, req.params.id);
      await recordAudit(ctx.store, actorOf(req), { action: 'reset-link', entityType: 'user', entityId: req.params.id });
      const user = await userView(db, req.params.id);
      const settings = await loadMailSettings(db);
      const resetUrl = acceptUrl(linkBase(settings, req), token, req.query.language);
      const mail = await mailLink(ctx.store, actorOf(req), settings, {
        userId: user.id,
        to: user.email,
        kind,
        url: resetUrl,
        expiresAt,
        site: linkBase(settings, req),
        displayName: user.displayName,
        language: req.query.language,
      });
      return { kind, resetUrl, expiresAt: expiresAt.toISOString(), ...mail };
    },
  );

  r.post(
    '/api/v1/users/:id/disable',
    {
      onRequest: admin,
      schema: {
        tags: ['accounts'],
        summary: 'Disable an account: it cannot sign in, its sessions end, its API tokens stop working',
        security,
        params: UserId,
      },
    },
    async (req) => {
      await disableUser(ctx.store, req.params.id);
      await recordAudit(ctx.store, actorOf(req), { action: 'disable', entityType: 'user', entityId: req.params.id });
      return { user: await userView(db, req.params.id) };
    },
  );

  r.post(
    '/api/v1/users/:id/enable',
    {
      onRequest: admin,
      schema: { tags: ['accounts'], summary: 'Enable a disabled account again', security, params: UserId },
    },
    async (req) => {
      await enableUser(ctx.store, req.params.id);
      await recordAudit(ctx.store, actorOf(req), { action: 'enable', entityType: 'user', entityId: req.params.id });
      return { user: await userView(db, req.params.id) };
    },
  );

  r.post(
    '/api/v1/users/:id/grants',
    {
      onRequest: admin,
      schema: {
        tags: ['accounts'],
        summary: 'Grant a user a permission on one record (e.g. review of one submission)',
        security,
        params: UserId,
        body: GrantBody,
      },
    },
    async (req, reply) => {
      const added = await addGrant(ctx.store, req.params.id, req.body, await by(req));
      await recordAudit(ctx.store, actorOf(req), {
        action: 'create',
        entityType: 'grant',
        entityId: req.params.id,
        after: req.body,
      });
      reply.code(added ? 201 : 200);
      return { added };
    },
  );

  r.delete(
    '/api/v1/users/:id/grants',
    {
      onRequest: admin,
      schema: {
        tags: ['accounts'],
        summary: 'Take a grant on one record away',
        security,
        params: UserId,
        body: GrantBody,
      },
    },
    async (req) => {
      await removeGrant(ctx.store, req.params.id, req.body);
      await recordAudit(ctx.store, actorOf(req), {
        action: 'delete',
        entityType: 'grant',
        entityId: req.params.id,
        before: req.body,
      });
      return { removed: true };
    },
  );
}
