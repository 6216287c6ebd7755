import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Empty } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';
import { AdminShell, Loaded } from './AdminShell.tsx';
import {
  type AdminUser,
  type Grant,
  problemsOf,
  ROLE_LEVEL,
  ROLES,
  type Role,
  roleLabel,
  type Shown,
  type UserToken,
  userStatusLabel,
} from './admin-api.ts';
import { ConfirmBox, Done, described, Field, FormProblems, useFormProblems } from './forms.tsx';
import { LinkResult, MailLanguageSelect } from './LinkResult.tsx';
import { type PickedPlace, PlacePicker } from './PlacePicker.tsx';
import { TokenTable } from './TokenTable.tsx';

type UserDetail = AdminUser & { grants: Grant[] };

/** One user: account state, reset link, roles on places, grants on records, API tokens. */
export function UserPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { id } = useParams({ from: '/admin/users/$id' });
  const user = useQuery({
    queryKey: ['admin', 'user', id],
    enabled: !!me,
    queryFn: () => getJson<UserDetail>(`/users/${encodeURIComponent(id)}`),
  });
  const title = user.data ? <span dir="auto">{user.data.displayName ?? user.data.email}</span> : t('admin.user.title');
  return (
    <AdminShell title={title}>
      <p className="breadcrumbs">
        <Link to="/admin/users">{t('admin.user.back')}</Link>
      </p>
      <Loaded q={user}>
        {(u) => (
          <>
            <Account u={u} />
            <Roles u={u} />
            <Grants u={u} />
            <Tokens u={u} />
          </>
        )}
      </Loaded>
    </AdminShell>
  );
}

function useRefreshUser(id: number) {
  const client = useQueryClient();
  return async () => {
    await client.invalidateQueries({ queryKey: ['admin', 'user', String(id)] });
    await client.invalidateQueries({ queryKey: ['admin', 'users'] });
  };
}

function Account({ u }: { u: UserDetail }) {
  const { t } = useTranslation();
  const { date } = usePrefs();
  const { send } = useSession();
  const refresh = useRefreshUser(u.id);
  const id = useId();
  type ResetAnswer = {
    kind: string;
    resetUrl: string;
    expiresAt: string;
    emailSent: boolean;
    emailProblem?: string | null;
  };
  const [link, setLink] = useState<ResetAnswer | null>(null);
  const [language, setLanguage] = useState('');
  const [problem, setProblem] = useState<Shown[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const disableRef = useRef<HTMLButtonElement>(null);
  const act = async (path: string) => {
    setProblem([]);
    setMessage(null);
    const res = await send(`/users/${u.id}/${path}`, 'POST');
    if (!res.ok) {
      setProblem(await problemsOf(res, t));
      return null;
    }
    return res;
  };
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('admin.user.account')}</h2>
      <dl className="facts">
        <dt>{t('admin.invite.email')}</dt>
        <dd>
          <bdi dir="auto">{u.email}</bdi>
        </dd>
        <dt>{t('admin.users.status')}</dt>
        <dd>
          <span className={`tag status-${u.status}`}>{userStatusLabel(t, u.status)}</span>
        </dd>
        <dt>{t('admin.user.created')}</dt>
        <dd>{date(u.createdAt)}</dd>
        <dt>{t('admin.users.lastLogin')}</dt>
        <dd>{u.lastLoginAt ? date(u.lastLoginAt) : t('admin.users.never')}</dd>
      </dl>
      <div className="actions">
        {u.status !== 'disabled' && (
          <span className="inline-field">
            <label htmlFor={`${id}-lang`}>{t('admin.link.language')}</label>{' '}
            <MailLanguageSelect id={`${id}-lang`} value={language} onChange={setLanguage} />
          </span>
        )}
        {u.status !== 'disabled' && (
          <button
            type="button"
            className="secondary"
            onClick={async () => {
              setLink(null);
              const res = await act(language ? `reset?language=${language}` : 'reset');
              if (res) setLink((await res.json()) as ResetAnswer);
              await refresh();
            }}
          >
            {u.status === 'invited' ? t('admin.user.newInvitation') : t('admin.user.reset')}
          </button>
        )}
        {u.status === 'disabled' ? (
          <button
            type="button"
            className="secondary"
            onClick={async () => {
              if (await act('enable')) {
                setMessage(t('admin.user.enabled'));
                await refresh();
              }
            }}
          >
            {t('admin.user.enable')}
          </button>
        ) : (
          !confirming && (
            <button ref={disableRef} type="button" className="danger" onClick={() => setConfirming(true)}>
              {t('admin.user.disable')}
            </button>
          )
        )}
      </div>
      {confirming && (
        <ConfirmBox
          text={t('admin.user.disableConfirm')}
          yes={t('admin.user.disable')}
          onNo={() => {
            setConfirming(false);
            setTimeout(() => disableRef.current?.focus(), 0);
          }}
          onYes={async () => {
            setConfirming(false);
            if (await act('disable')) {
              setMessage(t('admin.user.disabled'));
              setLink(null);
              await refresh();
            }
          }}
        />
      )}
      <FormProblems problems={problem} />
      {message && <Done focus>{message}</Done>}
      {link && (
        <LinkResult
          title={link.kind === 'invitation' ? t('admin.user.invitationLink') : t('admin.user.resetLink')}
          url={link.resetUrl}
          expiresAt={link.expiresAt}
          emailSent={link.emailSent}
          emailProblem={link.emailProblem}
          email={u.email}
        />
      )}
    </section>
  );
}

const ROLE_FIELDS = ['role', 'place'] as const;

function Roles({ u }: { u: UserDetail }) {
  const { t } = useTranslation();
  const { send } = useSession();
  const refresh = useRefreshUser(u.id);
  const id = useId();
  const [role, setRole] = useState<Role | ''>('');
  const [place, setPlace] = useState<PickedPlace | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [removeProblems, setRemoveProblems] = useState<Shown[]>([]);
  const problems = useFormProblems(ROLE_FIELDS);
  const needsPlace = role !== '' && role !== 'administrator';
  const headingRef = useRef<HTMLHeadingElement>(null);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        {t('admin.roles.title')}
      </h2>
      {u.roles.length === 0 ? (
        <Empty>{t('admin.users.noRoles')}</Empty>
      ) : (
        <table className="data">
          <caption className="visually-hidden">{t('admin.roles.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.users.role')}</th>
              <th scope="col">{t('admin.roles.place')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('admin.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {u.roles.map((r) => {
              const placeText = r.placeNames ? (r.placeNames.en ?? r.place ?? '') : '';
              return (
                <tr key={`${r.role}|${r.place}`}>
                  <th scope="row">{roleLabel(t, r.role)}</th>
                  <td>
                    {r.place ? (
                      <>
                        <UserText names={r.placeNames} fallbackText={r.place} />{' '}
                        <span className="muted small">
                          {r.placeLevel ? t(`level.${r.placeLevel}`) : ''} · <code>{r.place}</code>
                        </span>
                      </>
                    ) : (
                      <span className="muted">{t('admin.roles.everywhere')}</span>
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={t('admin.roles.removeNamed', {
                        role: roleLabel(t, r.role),
                        place: r.place ? `${placeText} (${r.place})` : t('admin.roles.everywhere'),
                      })}
                      onClick={async () => {
                        setDone(null);
                        setRemoveProblems([]);
                        const res = await send(`/users/${u.id}/roles`, 'DELETE', {
                          role: r.role,
                          ...(r.place ? { place: r.place } : {}),
                        });
                        if (!res.ok) {
                          setRemoveProblems(await problemsOf(res, t));
                          return;
                        }
                        setDone(t('admin.roles.removed'));
                        await refresh();
                        headingRef.current?.focus();
                      }}
                    >
                      {t('admin.remove')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <FormProblems problems={removeProblems} />
      <form
        ref={problems.formRef}
        className="card form"
        noValidate
        aria-labelledby={`${id}-add`}
        onSubmit={async (e) => {
          e.preventDefault();
          problems.clear();
          setDone(null);
          if (!role) {
            problems.setLocal({ role: { text: t('admin.roles.chooseRole') } });
            return;
          }
          if (needsPlace && !place) {
            problems.setLocal({ place: { text: t('apiError.roleNeedsPlace') } });
            return;
          }
          const res = await send(`/users/${u.id}/roles`, 'POST', {
            role,
            ...(needsPlace && place ? { place: place.code } : {}),
          });
          if (!res.ok) {
            await problems.fromResponse(res);
            return;
          }
          const added = ((await res.json()) as { added: boolean }).added;
          setDone(added ? t('admin.roles.added') : t('admin.roles.heldAlready'));
          setRole('');
          setPlace(null);
          await refresh();
        }}
      >
        <h3 id={`${id}-add`}>{t('admin.roles.add')}</h3>
        <div className="form-grid">
          <Field id={`${id}-role`} label={t('admin.users.role')} error={problems.fields.role}>
            <select
              id={`${id}-role`}
              value={role}
              onChange={(e) => {
                setRole(e.target.value as Role | '');
                setPlace(null);
              }}
              {...described(`${id}-role`, problems.fields.role)}
            >
              <option value="">{t('admin.roles.choose')}</option>
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
        </div>
        <FormProblems problems={problems.general} />
        <button type="submit">{t('admin.roles.addButton')}</button>
      </form>
      {done && <Done>{done}</Done>}
    </section>
  );
}

const GRANT_FIELDS = ['recordType', 'recordId', 'permission'] as const;

function Grants({ u }: { u: UserDetail }) {
  const { t } = useTranslation();
  const { date } = usePrefs();
  const { send } = useSession();
  const refresh = useRefreshUser(u.id);
  const id = useId();
  const [recordType, setRecordType] = useState('');
  const [recordId, setRecordId] = useState('');
  const [permission, setPermission] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [removeProblems, setRemoveProblems] = useState<Shown[]>([]);
  const problems = useFormProblems(GRANT_FIELDS);
  const headingRef = useRef<HTMLHeadingElement>(null);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        {t('admin.grants.title')}
      </h2>
      <p className="lead">{t('admin.grants.intro')}</p>
      {u.grants.length === 0 ? (
        <Empty>{t('admin.grants.none')}</Empty>
      ) : (
        <table className="data">
          <caption className="visually-hidden">{t('admin.grants.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.grants.recordType')}</th>
              <th scope="col">{t('admin.grants.recordId')}</th>
              <th scope="col">{t('admin.grants.permission')}</th>
              <th scope="col">{t('admin.grants.since')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('admin.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {u.grants.map((g) => (
              <tr key={`${g.recordType}|${g.recordId}|${g.permission}`}>
                <td>
                  <code>{g.recordType}</code>
                </td>
                <td>
                  <code dir="auto">{g.recordId}</code>
                </td>
                <td>
                  <code>{g.permission}</code>
                </td>
                <td>{date(g.createdAt)}</td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    aria-label={t('admin.grants.removeNamed', {
                      permission: g.permission,
                      recordType: g.recordType,
                      recordId: g.recordId,
                    })}
                    onClick={async () => {
                      setDone(null);
                      setRemoveProblems([]);
                      const res = await send(`/users/${u.id}/grants`, 'DELETE', {
                        recordType: g.recordType,
                        recordId: g.recordId,
                        permission: g.permission,
                      });
                      if (!res.ok) {
                        setRemoveProblems(await problemsOf(res, t));
                        return;
                      }
                      setDone(t('admin.grants.removed'));
                      await refresh();
                      headingRef.current?.focus();
                    }}
                  >
                    {t('admin.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FormProblems problems={removeProblems} />
      <form
        ref={problems.formRef}
        className="card form"
        noValidate
        aria-labelledby={`${id}-add`}
        onSubmit={async (e) => {
          e.preventDefault();
          problems.clear();
          setDone(null);
          const missing: Record<string, Shown> = {};
          if (!recordType.trim()) missing.recordType = { text: t('apiError.required') };
          if (!recordId.trim()) missing.recordId = { text: t('apiError.required') };
          if (!permission.trim()) missing.permission = { text: t('apiError.required') };
          if (Object.keys(missing).length) {
            problems.setLocal(missing);
            return;
          }
          const res = await send(`/users/${u.id}/grants`, 'POST', {
            recordType: recordType.trim(),
            recordId: recordId.trim(),
            permission: permission.trim(),
          });
          if (!res.ok) {
            await problems.fromResponse(res);
            return;
          }
          const added = ((await res.json()) as { added: boolean }).added;
          setDone(added ? t('admin.grants.added') : t('admin.grants.heldAlready'));
          setRecordType('');
          setRecordId('');
          setPermission('');
          await refresh();
        }}
      >
        <h3 id={`${id}-add`}>{t('admin.grants.add')}</h3>
        <div className="form-grid">
          <Field
            id={`${id}-type`}
            label={t('admin.grants.recordType')}
            hint={t('admin.grants.recordTypeHint')}
            error={problems.fields.recordType}
          >
            <input
              id={`${id}-type`}
              type="text"
              dir="ltr"
              autoComplete="off"
              value={recordType}
              onChange={(e) => setRecordType(e.target.value)}
              {...described(`${id}-type`, problems.fields.recordType, true)}
            />
          </Field>
          <Field id={`${id}-rid`} label={t('admin.grants.recordId')} error={problems.fields.recordId}>
            <input
              id={`${id}-rid`}
              type="text"
              dir="auto"
              autoComplete="off"
              value={recordId}
              onChange={(e) => setRecordId(e.target.value)}
              {...described(`${id}-rid`, problems.fields.recordId)}
            />
          </Field>
          <Field
            id={`${id}-perm`}
            label={t('admin.grants.permission')}
            hint={t('admin.grants.permissionHint')}
            error={problems.fields.permission}
          >
            <input
              id={`${id}-perm`}
              type="text"
              dir="ltr"
              autoComplete="off"
              value={permission}
              onChange={(e) => setPermission(e.target.value)}
              {...described(`${id}-perm`, problems.fields.permission, true)}
            />
          </Field>
        </div>
        <FormProblems problems={problems.general} />
        <button type="submit">{t('admin.grants.addButton')}</button>
      </form>
      {done && <Done>{done}</Done>}
    </section>
  );
}

function Tokens({ u }: { u: UserDetail }) {
  const { t } = useTranslation();
  const id = useId();
  const tokens = useQuery({
    queryKey: ['admin', 'tokens', { user: u.id }],
    queryFn: () => getJson<Page<UserToken>>('/users/tokens', { user: u.id, limit: 1000 }),
  });
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('admin.tokens.ofUser')}</h2>
      <Loaded q={tokens}>
        {(page) => <TokenTable items={page.items} showUser={false} caption={t('admin.tokens.ofUser')} />}
      </Loaded>
    </section>
  );
}
