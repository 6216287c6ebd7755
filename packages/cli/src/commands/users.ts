import type { RoleName } from '@marsad/db';
import {
  acceptLinkToken,
  acceptUrl,
  CLI_ACTOR,
  createUser,
  HttpError,
  loadMailSettings,
  MAIL_LANGUAGES,
  type MailLanguage,
  mailLink,
  passwordProblem,
  ROLES,
  type RoleInput,
  recordAudit,
} from '@marsad/server';
import type { RuntimeConfig } from '../config.ts';
import { findRemote } from '../remote.ts';
import { withLocalStore } from './local-store.ts';

export interface UserCreateOptions {
  email: string;
  name?: string;
  admin?: boolean;
  role?: string[];
  passwordStdin?: boolean;
  url?: string;
  language?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** "city-focal-point:MAAGA" → { role, place } */
function parseRole(value: string): RoleInput {
  const [role, place] = value.split(':');
  if (!(ROLES as readonly string[]).includes(role ?? ''))
    throw new Error(`--role "${value}": the role must be one of ${ROLES.join(', ')}`);
  return { role: role as RoleName, place: place || null };
}

/**
 * `marsad user create --admin --email E`: an account on the local database, with the link to
 * set its password printed; with --password-stdin the password is set from standard input.
 * The way to make the first administrator (after which the administrator token is retired).
 */
export async function userCreateCommand(config: RuntimeConfig, o: UserCreateOptions): Promise<number> {
  const roles: RoleInput[] = [
    ...(o.admin ? [{ role: 'administrator' as const }] : []),
    ...(o.role ?? []).map(parseRole),
  ];
  if (!roles.length)
    throw new Error('give --admin or at least one --role ROLE:PLACE (e.g. --role city-focal-point:MAAGA)');
  if (o.language !== undefined && !(MAIL_LANGUAGES as readonly string[]).includes(o.language)) {
    throw new Error(`--language "${o.language}": must be one of ${MAIL_LANGUAGES.join(', ')}`);
  }
  if (await findRemote(config.dataDir, config.databaseUrl)) {
    throw new Error(
      'a running server holds the embedded database: stop it first, or invite the user through the server as an administrator (POST /api/v1/users).',
    );
  }
  let password: string | undefined;
  if (o.passwordStdin) {
    password = await readStdin();
    const problem = passwordProblem(password);
    if (problem) throw new Error(problem);
  }
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return withLocalStore(config, async (store) => {
    const mail = await loadMailSettings(store.db);
    const base = (o.url ?? mail.publicUrl ?? `http://${shownHost}:${config.port}`).replace(/\/+$/, '');
    try {
      const { user, token, expiresAt } = await createUser(store, { email: o.email, displayName: o.name, roles }, null);
      const what = user.roles.map((r) => (r.place ? `${r.role} of ${r.place}` : r.role)).join(', ');
      await recordAudit(store, CLI_ACTOR, {
        action: 'create',
        entityType: 'user',
        entityId: user.id,
        after: { email: user.email, roles },
      });
      if (password !== undefined) {
        await acceptLinkToken(store, token, password, o.name);
        await recordAudit(store, CLI_ACTOR, { action: 'password-set', entityType: 'user', entityId: user.id });
        console.log(`Created ${user.email} (${what}); the password is set: they can sign in now.`);
      } else {
        console.log(`Invited ${user.email} (${what}).`);
        console.log(
          `Invitation link (works until ${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC; give it to them only):`,
        );
        const url = acceptUrl(base, token);
        console.log(url);
        const sent = await mailLink(store, CLI_ACTOR, mail, {
          userId: user.id,
          to: user.email,
          kind: 'invitation',
          url,
          expiresAt,
          site: base,
          displayName: user.displayName,
          language: o.language as MailLanguage | undefined,
        });
        console.log(sent.emailSent ? `E-mailed to ${user.email}.` : `Not e-mailed. ${sent.emailProblem}`);
      }
      return 0;
    } catch (err) {
      if (err instanceof HttpError) throw new Error(err.message);
      throw err;
    }
  });
}
