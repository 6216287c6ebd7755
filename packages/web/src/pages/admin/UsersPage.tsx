import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Empty } from '../../components/States.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { UserText } from '../../components/UserText.tsx';
import { AdminShell, Loaded } from './AdminShell.tsx';
import {
  type AdminUser,
  ROLE_LEVEL,
  ROLES,
  type Role,
  roleLabel,
  USER_STATUSES,
  userStatusLabel,
} from './admin-api.ts';
import { described, Field, FormProblems, useFormProblems } from './forms.tsx';
import { LinkResult, MailLanguageSelect } from './LinkResult.tsx';
import { Pager } from './Pager.tsx';
import { type PickedPlace, PlacePicker } from './PlacePicker.tsx';

const LIMIT = 50;

/** Users: find them by status, role and place; invite a new one. */
export function UsersPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const id = useId();
  const { num } = usePrefs();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [role, setRole] = useState('');
  const [place, setPlace] = useState<PickedPlace | null>(null);
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    const h = setTimeout(() => {
      setQ(text.trim());
      setOffset(0);
    }, 250);
    return () => clearTimeout(h);
  }, [text]);
  const users = useQuery({
    queryKey: ['admin', 'users', q, status, role, place?.code, offset],
    enabled: !!me,
    placeholderData: keepPreviousData,
    queryFn: () => getJson<Page<AdminUser>>('/users', { q, status, role, place: place?.code, limit: LIMIT, offset }),
  });
  return (
    <AdminShell title={t('admin.users.title')}>
      <Loaded q={users}>
        {(page) => (
          <>
            <InviteForm />
            <h2 id={`${id}-list`}>{t('admin.users.list')}</h2>
            <form className="filters" role="search" aria-labelledby={`${id}-list`} onSubmit={(e) => e.preventDefault()}>
              <Field id={`${id}-q`} label={t('admin.users.search')}>
                <input id={`${id}-q`} type="search" dir="auto" value={text} onChange={(e) => setText(e.target.value)} />
              </Field>
              <Field id={`${id}-status`} label={t('admin.users.status')}>
                <select
                  id={`${id}-status`}
                  value={status}
                  onChange={(e) => {
                    setStatus(e.target.value);
                    setOffset(0);
                  }}
                >
                  <option value="">{t('admin.any')}</option>
                  {USER_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {userStatusLabel(t, s)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id={`${id}-role`} label={t('admin.users.role')}>
                <select
                  id={`${id}-role`}
                  value={role}
                  onChange={(e) => {
                    setRole(e.target.value);
                    setOffset(0);
                  }}
                >
                  <option value="">{t('admin.any')}</option>
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {roleLabel(t, r)}
                    </option>
                  ))}
                </select>
              </Field>
              <PlacePicker
                id={`${id}-place`}
                label={t('admin.users.place')}
                value={place}
                onChange={(p) => {
                  setPlace(p);
                  setOffset(0);
                }}
              />
            </form>
            <p aria-live="polite" className="small muted">
              {t('admin.users.found', { n: num(page.total, 0) })}
            </p>
            {page.items.length === 0 ? (
              <Empty>{t('admin.users.none')}</Empty>
            ) : (
              <TableScroll>
                <table className="data">
                  <caption className="visually-hidden">{t('admin.users.list')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('admin.users.user')}</th>
                      <th scope="col">{t('admin.users.status')}</th>
                      <th scope="col">{t('admin.users.roles')}</th>
                      <th scope="col">{t('admin.users.lastLogin')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((u) => (
                      <UserRow key={u.id} u={u} />
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
            <Pager total={page.total} limit={LIMIT} offset={offset} onOffset={setOffset} />
          </>
        )}
      </Loaded>
    </AdminShell>
  );
}

function UserRow({ u }: { u: AdminUser }) {
  const { t } = useTranslation();
  const { date } = usePrefs();
  return (
    <tr>
      <th scope="row">
        <Link to="/admin/users/$id" params={{ id: String(u.id) }}>
          <span dir="auto">{u.displayName ?? u.email}</span>
        </Link>
        {u.displayName && (
          <div className="small muted">
            <bdi dir="auto">{u.email}</bdi>
          </div>
        )}
      </th>
      <td>
        <span className={`tag status-${u.status}`}>{userStatusLabel(t, u.status)}</span>
      </td>
      <td>
        {u.roles.length === 0 ? (
          <span className="muted">{t('admin.users.noRoles')}</span>
        ) : (
          <ul className="plain">
            {u.roles.map((r) => (
              <li key={`${r.role}|${r.place}`}>
                {roleLabel(t, r.role)}
                {r.place && (
                  <>
                    {' '}
                    — <UserText names={r.placeNames} fallbackText={r.place} />
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>{u.lastLoginAt ? date(u.lastLoginAt) : <span className="muted">{t('admin.users.never')}</span>}</td>
    </tr>
  );
}

const INVITE_FIELDS = ['email', 'displayName', 'role', 'place', 'language'] as const;

/** Invites a user by e-mail, optionally with a first role; shows the link to give them. */
function InviteForm() {
  const { t } = useTranslation();
  const { send } = useSession();
  const client = useQueryClient();
  const id = useId();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [place, setPlace] = useState<PickedPlace | null>(null);
  const [language, setLanguage] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{
    id: number;
    email: string;
    url: string;
    expiresAt: string;
    emailSent: boolean;
    emailProblem: string | null;
  } | null>(null);
  const problems = useFormProblems(INVITE_FIELDS);
  const needsPlace = role !== '' && role !== 'administrator';
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('admin.invite.title')}</h2>
      <p className="lead">{t('admin.invite.intro')}</p>
      <form
        ref={problems.formRef}
        className="card form"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          problems.clear();
          setResult(null);
          if (!email.trim()) {
            problems.setLocal({ email: { text: t('apiError.required') } });
            return;
          }
          if (needsPlace && !place) {
            problems.setLocal({ place: { text: t('apiError.roleNeedsPlace') } });
            return;
          }
          setBusy(true);
          const res = await send('/users', 'POST', {
            email: email.trim(),
            ...(name.trim() ? { displayName: name.trim() } : {}),
            roles: role ? [{ role, ...(needsPlace && place ? { place: place.code } : {}) }] : [],
            ...(language ? { language } : {}),
          });
          setBusy(false);
          if (!res.ok) {
            await problems.fromResponse(res);
            return;
          }
          const body = (await res.json()) as {
            user: { id: number; email: string };
            invitationUrl: string;
            expiresAt: string;
            emailSent: boolean;
            emailProblem?: string | null;
          };
          setResult({
            id: body.user.id,
            email: body.user.email,
            url: body.invitationUrl,
            expiresAt: body.expiresAt,
            emailSent: body.emailSent,
            emailProblem: body.emailProblem ?? null,
          });
          setEmail('');
          setName('');
          setRole('');
          setPlace(null);
          setLanguage('');
          await client.invalidateQueries({ queryKey: ['admin', 'users'] });
        }}
      >
        <div className="form-grid">
          <Field id={`${id}-email`} label={t('admin.invite.email')} error={problems.fields.email}>
            <input
              id={`${id}-email`}
              type="email"
              dir="ltr"
              autoComplete="off"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              {...described(`${id}-email`, problems.fields.email)}
            />
          </Field>
          <Field id={`${id}-name`} label={t('admin.invite.name')} error={problems.fields.displayName}>
            <input
              id={`${id}-name`}
              type="text"
              dir="auto"
              autoComplete="off"
              value={name}
              onChange={(e) => setName(e.target.value)}
              {...described(`${id}-name`, problems.fields.displayName)}
            />
          </Field>
          <Field id={`${id}-role`} label={t('admin.invite.role')} error={problems.fields.role}>
            <select
              id={`${id}-role`}
              value={role}
              onChange={(e) => {
                setRole(e.target.value as Role | '');
                setPlace(null);
              }}
              {...described(`${id}-role`, problems.fields.role)}
            >
              <option value="">{t('admin.invite.noRole')}</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {roleLabel(t, r)}
                </option>
              ))}
            </select>
          </Field>
          {needsPlace && (
            <PlacePicker
              id={`${id}-place`}
              label={t('admin.roles.place')}
              value={place}
              onChange={setPlace}
              required
              levels={ROLE_LEVEL[role] ? [ROLE_LEVEL[role]!] : undefined}
              error={problems.fields.place}
            />
          )}
          <Field id={`${id}-lang`} label={t('admin.link.language')} error={problems.fields.language}>
            <MailLanguageSelect id={`${id}-lang`} value={language} onChange={setLanguage} />
          </Field>
        </div>
        <FormProblems problems={problems.general} />
        <button type="submit" disabled={busy}>
          {t('admin.invite.submit')}
        </button>
      </form>
      {result && (
        <>
          <LinkResult
            title={t('admin.invite.done')}
            url={result.url}
            expiresAt={result.expiresAt}
            emailSent={result.emailSent}
            emailProblem={result.emailProblem}
            email={result.email}
          />
          <p>
            <Link to="/admin/users/$id" params={{ id: String(result.id) }}>
              {t('admin.invite.open')}
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
