import type { Schema, SqlConn } from '@marsad/db';
import type { Kysely } from 'kysely';
import { z } from 'zod';

/**
 * The SMTP settings: stored in `settings` under the key 'mail' (set by administrators through
 * the API), each field overridable by an environment variable for operators. The password is
 * write-only: it is read here to send mail and never leaves this module except to nodemailer
 * (`publicView` reports only whether one is set).
 */
export const MAIL_SETTINGS_KEY = 'mail';
export const MAIL_SECURITY = ['tls', 'starttls', 'none'] as const;
export type MailSecurity = (typeof MAIL_SECURITY)[number];

/** The port a security mode uses unless another is given. */
export const DEFAULT_PORTS: Record<MailSecurity, number> = { tls: 465, starttls: 587, none: 25 };

export const MAIL_FIELDS = ['host', 'port', 'security', 'user', 'password', 'from', 'publicUrl'] as const;
export type MailField = (typeof MAIL_FIELDS)[number];

/** The environment variable that overrides each field. */
export const MAIL_ENV: Record<MailField, string> = {
  host: 'MARSAD_SMTP_HOST',
  port: 'MARSAD_SMTP_PORT',
  security: 'MARSAD_SMTP_SECURITY',
  user: 'MARSAD_SMTP_USER',
  password: 'MARSAD_SMTP_PASSWORD',
  from: 'MARSAD_MAIL_FROM',
  publicUrl: 'MARSAD_PUBLIC_URL',
};

export const MailHost = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^[0-9A-Fa-f:]+$/,
    'must be a host name or an IP address, e.g. smtp.example.org',
  );
export const MailPort = z.number().int().min(1).max(65535);
const ADDRESS = String.raw`[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+`;
export const MailFrom = z
  .string()
  .trim()
  .min(3)
  .max(300)
  .regex(
    new RegExp(`^(?:${ADDRESS}|[^<>"\\r\\n]{1,200}<${ADDRESS}>)$`),
    'must be an address, or a name and an address: Marsad <noreply@example.org>',
  );
export const PublicUrl = z
  .string()
  .trim()
  .max(300)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.search && !u.hash && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be the http(s) address users reach Marsad at, e.g. https://marsad.example.org (no query, no fragment)')
  .transform((s) => s.replace(/\/+$/, ''));
export const MailUser = z.string().trim().min(1).max(254);
export const MailPassword = z.string().min(1).max(1024);

/** What is stored under the key 'mail' (null: not set). */
export interface StoredMailSettings {
  host: string | null;
  port: number | null;
  security: MailSecurity;
  user: string | null;
  password: string | null;
  from: string | null;
  publicUrl: string | null;
}

/** The settings in force: the stored ones with the environment's over them. */
export interface MailSettings {
  host: string | null;
  port: number;
  security: MailSecurity;
  user: string | null;
  password: string | null;
  from: string | null;
  publicUrl: string | null;
  /** Fields taken from environment variables. */
  fromEnvironment: MailField[];
  /** Environment variables that are set but not valid (they are ignored). */
  problems: string[];
  updatedAt: string | null;
}

export const EMPTY_STORED: StoredMailSettings = {
  host: null,
  port: null,
  security: 'starttls',
  user: null,
  password: null,
  from: null,
  publicUrl: null,
};

const StoredShape = z
  .object({
    host: z.string().nullable().catch(null),
    port: z.number().int().nullable().catch(null),
    security: z.enum(MAIL_SECURITY).catch('starttls'),
    user: z.string().nullable().catch(null),
    password: z.string().nullable().catch(null),
    from: z.string().nullable().catch(null),
    publicUrl: z.string().nullable().catch(null),
  })
  .partial();

/** The stored settings (EMPTY_STORED when none), and when they were last changed. */
export async function readStoredMailSettings(
  db: Kysely<Schema> | SqlConn,
): Promise<{ stored: StoredMailSettings; updatedAt: string | null }> {
  let row: { value: unknown; updated_at: Date | string } | undefined;
  if ('selectFrom' in db) {
    row = await db
      .selectFrom('settings')
      .select(['value', 'updated_at'])
      .where('key', '=', MAIL_SETTINGS_KEY)
      .executeTakeFirst();
  } else {
    row = (
      await db.query<{ value: unknown; updated_at: Date | string }>(
        'SELECT value, updated_at FROM settings WHERE key = $1',
        [MAIL_SETTINGS_KEY],
      )
    ).rows[0];
  }
  if (!row) return { stored: { ...EMPTY_STORED }, updatedAt: null };
  const value = typeof row.value === 'string' ? (JSON.parse(row.value) as unknown) : row.value;
  const parsed = StoredShape.safeParse(value);
  return {
    stored: { ...EMPTY_STORED, ...(parsed.success ? parsed.data : {}) },
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Stores the settings (in the caller's transaction). */
export async function writeStoredMailSettings(conn: SqlConn, s: StoredMailSettings): Promise<void> {
  await conn.query(
    `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [MAIL_SETTINGS_KEY, JSON.stringify(s)],
  );
}

export async function deleteStoredMailSettings(conn: SqlConn): Promise<boolean> {
  const r = await conn.query('DELETE FROM settings WHERE key = $1 RETURNING key', [MAIL_SETTINGS_KEY]);
  return r.rows.length > 0;
}

type Env = Record<string, string | undefined>;

const ENV_PARSERS: Record<MailField, z.ZodType> = {
  host: MailHost,
  port: z.coerce.number().pipe(MailPort),
  security: z.enum(MAIL_SECURITY),
  user: MailUser,
  password: MailPassword,
  from: MailFrom,
  publicUrl: PublicUrl,
};

/** The stored settings with the environment's over them. */
export function effectiveMailSettings(
  stored: StoredMailSettings,
  updatedAt: string | null,
  env: Env = process.env,
): MailSettings {
  const s: StoredMailSettings = { ...stored };
  const fromEnvironment: MailField[] = [];
  const problems: string[] = [];
  for (const field of MAIL_FIELDS) {
    const name = MAIL_ENV[field];
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const parsed = ENV_PARSERS[field].safeParse(raw);
    if (!parsed.success) {
      // Never echo the value: it may be the password.
      problems.push(`${name}: ${parsed.error.issues[0]?.message ?? 'not valid'}; it is ignored.`);
      continue;
    }
    (s as unknown as Record<string, unknown>)[field] = parsed.data;
    fromEnvironment.push(field);
  }
  return { ...s, port: s.port ?? DEFAULT_PORTS[s.security], fromEnvironment, problems, updatedAt };
}

/** The settings in force now: stored, then the environment. */
export async function loadMailSettings(db: Kysely<Schema> | SqlConn, env: Env = process.env): Promise<MailSettings> {
  const { stored, updatedAt } = await readStoredMailSettings(db);
  return effectiveMailSettings(stored, updatedAt, env);
}

/** Whether mail can be sent: a host and a sender address. */
export function mailConfigured(s: MailSettings): boolean {
  return !!s.host && !!s.from;
}

/** Why mail cannot be sent, or null when it can. */
export function notConfiguredReason(s: MailSettings): string | null {
  if (mailConfigured(s)) return null;
  const missing = [!s.host && 'host', !s.from && 'from'].filter(Boolean).join(' and ');
  return `No SMTP server is configured (${missing} not set: PUT /api/v1/settings/mail, or ${MAIL_ENV.host} and ${MAIL_ENV.from}): give the link to the user yourself.`;
}

export const MailSettingsView = z.object({
  host: z.string().nullable(),
  port: z.number().int(),
  security: z.enum(MAIL_SECURITY),
  user: z.string().nullable(),
  passwordSet: z.boolean().describe('Whether a password is set; the password itself is never shown'),
  from: z.string().nullable(),
  publicUrl: z
    .string()
    .nullable()
    .describe('The address used in the links of invitations and resets (else the address of the request)'),
  configured: z.boolean().describe('Whether mail is sent: a host and a sender address are set'),
  fromEnvironment: z
    .array(z.enum(MAIL_FIELDS))
    .describe('Fields set by environment variables (they override what is stored)'),
  problems: z.array(z.string()).describe('Environment variables that are set but not valid (ignored)'),
  updatedAt: z.string().nullable().describe('When the stored settings last changed'),
});
export type MailSettingsView = z.infer<typeof MailSettingsView>;

/** The settings as administrators see them: never the password, only whether one is set. */
export function publicView(s: MailSettings): MailSettingsView {
  return {
    host: s.host,
    port: s.port,
    security: s.security,
    user: s.user,
    passwordSet: !!s.password,
    from: s.from,
    publicUrl: s.publicUrl,
    configured: mailConfigured(s),
    fromEnvironment: s.fromEnvironment,
    problems: s.problems,
    updatedAt: s.updatedAt,
  };
}

/** The stored settings for the audit log: the password replaced by whether one is set. */
export function auditView(s: StoredMailSettings): Omit<StoredMailSettings, 'password'> & { passwordSet: boolean } {
  const { password, ...rest } = s;
  return { ...rest, passwordSet: !!password };
}
