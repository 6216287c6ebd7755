import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, appendAudit, recordAudit } from '../audit/audit-log.ts';
import { currentActor, requireAdministrator } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { linkBase } from './link-mail.ts';
import { MAIL_LANGUAGES, testMessage } from './link-messages.ts';
import {
  auditView,
  deleteStoredMailSettings,
  effectiveMailSettings,
  loadMailSettings,
  MAIL_ENV,
  MAIL_SECURITY,
  MailFrom,
  MailHost,
  MailPassword,
  MailPort,
  MailSettingsView,
  MailUser,
  PublicUrl,
  publicView,
  readStoredMailSettings,
  type StoredMailSettings,
  writeStoredMailSettings,
} from './mail-settings.ts';
import { sendMail } from './send-mail.ts';

const MailSettingsBody = z.object({
  host: MailHost.nullable().describe('The SMTP server, e.g. smtp.example.org; null: send no mail'),
  port: MailPort.nullable().optional().describe('Default: 465 with tls, 587 with starttls, 25 with none'),
  security: z
    .enum(MAIL_SECURITY)
    .default('starttls')
    .describe(
      'tls: TLS from the first byte (usually port 465); starttls: STARTTLS, required (usually 587); none: no encryption (a relay on the same machine only)',
    ),
  user: MailUser.nullable().optional().describe('User name for SMTP authentication; none: no authentication'),
  password: MailPassword.nullable()
    .optional()
    .describe(
      'Write-only: never returned. Left out: the stored password is kept, as long as the host and the user stay the same; null: removed',
    ),
  from: MailFrom.nullable().optional().describe('The sender, e.g. "Marsad <noreply@example.org>"; needed to send mail'),
  publicUrl: PublicUrl.nullable()
    .optional()
    .describe(
      "The address users reach Marsad at, used in the links of invitations and resets (else the address of the administrator's request)",
    ),
});

const TestBody = z.object({
  to: z
    .string()
    .trim()
    .max(254)
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address')
    .optional()
    .describe('Where to send it; default: the address of the signed-in administrator'),
  language: z.enum(MAIL_LANGUAGES).optional().describe('Default: Arabic and English'),
});

const TestAnswer = z.object({
  sent: z.boolean(),
  to: z.string(),
  problem: z.string().nullable().describe('Why the message was not sent, when it was not'),
  messageId: z.string().nullable(),
});

const ENV_LIST = Object.values(MAIL_ENV).join(', ');

/**
 * The mail settings, for administrators: read (the password only as set or not), change,
 * remove, and send a test message. Every change is in the audit log without the password.
 */
export function registerMailRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = requireAdministrator(ctx);
  const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
  const current = async () => publicView(await loadMailSettings(ctx.store.db));

  r.get(
    '/api/v1/settings/mail',
    {
      onRequest: admin,
      schema: {
        tags: ['settings'],
        summary: 'The SMTP settings for invitation and reset mail (administrators; the password is never shown)',
        description: `Environment variables override the stored fields: ${ENV_LIST}.`,
        security,
        response: { 200: MailSettingsView },
      },
    },
    async () => current(),
  );

  r.put(
    '/api/v1/settings/mail',
    {
      onRequest: admin,
      schema: {
        tags: ['settings'],
        summary: 'Change the SMTP settings (administrators)',
        description:
          'Replaces the stored settings. The password is write-only; leave it out to keep the stored one (it is refused when the host or the user changes without it, so that it is never sent to another server). Recorded in the audit log without the password.',
        security,
        body: MailSettingsBody,
        response: { 200: MailSettingsView },
      },
    },
    async (req) => {
      const b = req.body;
      await ctx.store.exclusive(async (conn) => {
        const { stored: before, updatedAt } = await readStoredMailSettings(conn);
        const user = b.user ?? null;
        let password: string | null = null;
        if (b.password !== undefined) {
          password = b.password;
        } else if (before.password && user) {
          if (before.host !== b.host || before.user !== user) {
            throw new HttpError(
              400,
              'bad_request',
              'password: give the password again: the host or the user changed, and the stored password goes only to the server it was given for.',
            );
          }
          password = before.password;
        }
        if (password && !user)
          throw new HttpError(
            400,
            'bad_request',
            'user: give the user name that goes with the password (or leave both out).',
          );
        const next: StoredMailSettings = {
          host: b.host,
          port: b.port ?? null,
          security: b.security,
          user,
          password,
          from: b.from ?? null,
          publicUrl: b.publicUrl ?? null,
        };
        const effective = effectiveMailSettings(next, null);
        if (effective.host && !effective.from) {
          throw new HttpError(
            400,
            'bad_request',
            'from: give the sender address (e.g. "Marsad <noreply@example.org>"): mail cannot be sent without one.',
          );
        }
        await writeStoredMailSettings(conn, next);
        await appendAudit(conn, actorOf(req), {
          action: 'update',
          entityType: 'setting',
          entityId: 'mail',
          before: updatedAt === null ? null : auditView(before),
          after: auditView(next),
        });
      });
      return current();
    },
  );

  r.delete(
    '/api/v1/settings/mail',
    {
      onRequest: admin,
      schema: {
        tags: ['settings'],
        summary: 'Remove the stored SMTP settings: no more mail (unless environment variables configure it)',
        security,
        response: { 200: MailSettingsView },
      },
    },
    async (req) => {
      await ctx.store.exclusive(async (conn) => {
        const { stored: before, updatedAt } = await readStoredMailSettings(conn);
        if (updatedAt === null) return;
        await deleteStoredMailSettings(conn);
        await appendAudit(conn, actorOf(req), {
          action: 'delete',
          entityType: 'setting',
          entityId: 'mail',
          before: auditView(before),
        });
      });
      return current();
    },
  );

  r.post(
    '/api/v1/settings/mail/test',
    {
      onRequest: admin,
      schema: {
        tags: ['settings'],
        summary: 'Send a test message with the settings in force (administrators)',
        description:
          'Answers 200 whether or not the message went out: `sent`, and `problem` saying why not (not configured, server unreachable, sign-in refused…).',
        security,
        body: TestBody,
        response: { 200: TestAnswer },
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      let to = req.body.to?.toLowerCase();
      if (!to) {
        const me =
          actor.userId === null
            ? undefined
            : await ctx.store.db.selectFrom('users').select('email').where('id', '=', actor.userId).executeTakeFirst();
        if (!me) throw new HttpError(400, 'bad_request', 'to: give the address to send the test message to.');
        to = me.email;
      }
      const settings = await loadMailSettings(ctx.store.db);
      const message = testMessage(linkBase(settings, req), req.body.language);
      const result = await sendMail(settings, { to, subject: message.subject, text: message.text });
      const problem = result.sent ? null : result.problem;
      await recordAudit(ctx.store, actorOf(req), {
        action: 'mail-test',
        entityType: 'setting',
        entityId: 'mail',
        summary: `test message to ${to}${result.sent ? '' : ': not sent'}`,
        after: { to, sent: result.sent, ...(problem ? { problem } : {}) },
      });
      if (problem) req.log.warn({ to, problem }, 'test mail not sent');
      return { sent: result.sent, to, problem, messageId: result.sent ? result.messageId : null };
    },
  );
}
