import type { Store } from '@marsad/db';
import { type AuditActor, recordAudit } from '../audit/audit-log.ts';
import { type LinkKind, linkMessage, type MailLanguage } from './link-messages.ts';
import type { MailSettings } from './mail-settings.ts';
import { type MailTimeouts, sendMail } from './send-mail.ts';

/**
 * The address of the page where a link token is used, in the mail's language: `<base>/fr/accept?token=…`;
 * a mail in Arabic and English (no language asked) links `<base>/accept?token=…`, which opens in the
 * reader's language (the cookie of the language chooser, else the browser's: web/page-language.ts).
 */
export function acceptUrl(base: string, token: string, language?: MailLanguage): string {
  return `${base.replace(/\/+$/, '')}${language ? `/${language}` : ''}/accept?token=${encodeURIComponent(token)}`;
}

/** The base of the links: the public address of the mail settings, else the address the request came to. */
export function linkBase(
  settings: MailSettings,
  request: { protocol: string; host: string } | null,
  fallback = 'http://localhost',
): string {
  if (settings.publicUrl) return settings.publicUrl;
  return request ? `${request.protocol}://${request.host}` : fallback;
}

/** What the API answers about the mail of a link. */
export interface LinkMailOutcome {
  emailSent: boolean;
  /** Why the mail was not sent (not configured, or the server's refusal); null when it was. */
  emailProblem: string | null;
}

export interface LinkMailRequest {
  userId: number;
  to: string;
  kind: LinkKind;
  url: string;
  expiresAt: Date;
  site: string;
  displayName?: string | null;
  language?: MailLanguage;
}

/**
 * E-mails an invitation or reset link when an SMTP server is configured, and records the
 * attempt in the audit log (recipient, kind, outcome; never the link). Never throws on a
 * failure to send: the link has been created and shown already.
 */
export async function mailLink(
  store: Store,
  actor: AuditActor,
  settings: MailSettings,
  r: LinkMailRequest,
  timeouts?: MailTimeouts,
): Promise<LinkMailOutcome> {
  const message = linkMessage(
    { kind: r.kind, url: r.url, expiresAt: r.expiresAt, site: r.site, displayName: r.displayName },
    r.language,
  );
  const result = await sendMail(settings, { to: r.to, subject: message.subject, text: message.text }, timeouts);
  const configured = !!settings.host && !!settings.from;
  if (configured) {
    await recordAudit(store, actor, {
      action: result.sent ? 'mail-sent' : 'mail-failed',
      entityType: 'user',
      entityId: r.userId,
      summary: `${r.kind} link to ${r.to}${result.sent ? '' : ': not sent'}`,
      after: {
        kind: r.kind,
        to: r.to,
        language: message.language,
        sent: result.sent,
        ...(result.sent ? {} : { problem: result.problem }),
      },
    });
  }
  return result.sent ? { emailSent: true, emailProblem: null } : { emailSent: false, emailProblem: result.problem };
}
