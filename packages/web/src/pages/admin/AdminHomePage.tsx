import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { AdminShell, Loaded } from './AdminShell.tsx';
import { type AdminUser, type AuditEntry, focalPlaces, isAdministrator, type UserToken } from './admin-api.ts';

/** The start of the administration: counts that need attention and the sections. */
export function AdminHomePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { num, date } = usePrefs();
  const focalOnly = !!me && !isAdministrator(me.roles) && focalPlaces(me.roles).length > 0;
  const enabled = !!me && !focalOnly;
  const users = useQuery({
    queryKey: ['admin', 'users', 'count'],
    enabled,
    queryFn: () => getJson<Page<AdminUser>>('/users', { limit: 1 }),
  });
  const invited = useQuery({
    queryKey: ['admin', 'users', 'count', 'invited'],
    enabled: enabled && !!users.data,
    queryFn: () => getJson<Page<AdminUser>>('/users', { status: 'invited', limit: 1 }),
  });
  const tokens = useQuery({
    queryKey: ['admin', 'tokens', 'count'],
    enabled: enabled && !!users.data,
    queryFn: () => getJson<Page<UserToken>>('/users/tokens', { state: 'active', limit: 1 }),
  });
  const audit = useQuery({
    queryKey: ['admin', 'audit', 'latest'],
    enabled: enabled && !!users.data,
    queryFn: () => getJson<Page<AuditEntry>>('/audit', { limit: 5 }),
  });
  if (focalOnly) {
    return (
      <AdminShell title={t('admin.title')}>
        <p className="lead">{t('admin.focalIntro')}</p>
        <p>
          <Link to="/admin/places">{t('admin.places.title')}</Link>
        </p>
      </AdminShell>
    );
  }
  return (
    <AdminShell title={t('admin.title')}>
      <Loaded q={users}>
        {(u) => (
          <>
            <ul className="grid plain admin-cards">
              <li className="card">
                <h2>
                  <Link to="/admin/users">{t('admin.users.title')}</Link>
                </h2>
                <p>{t('admin.home.users', { n: num(u.total, 0) })}</p>
                {invited.data && (
                  <p className="small muted">{t('admin.home.invited', { n: num(invited.data.total, 0) })}</p>
                )}
              </li>
              <li className="card">
                <h2>
                  <Link to="/admin/tokens">{t('admin.tokens.title')}</Link>
                </h2>
                {tokens.data && <p>{t('admin.home.tokens', { n: num(tokens.data.total, 0) })}</p>}
              </li>
              <li className="card">
                <h2>
                  <Link to="/admin/places">{t('admin.places.title')}</Link>
                </h2>
                <p className="small muted">{t('admin.home.places')}</p>
              </li>
              <li className="card">
                <h2>
                  <Link to="/admin/indicators">{t('admin.indicators.title')}</Link>
                </h2>
                <p className="small muted">{t('admin.home.indicators')}</p>
              </li>
              <li className="card">
                <h2>
                  <Link to="/admin/audit">{t('admin.audit.title')}</Link>
                </h2>
                {audit.data && (
                  <ul className="plain small">
                    {audit.data.items.map((e) => (
                      <li key={e.id}>
                        {date(e.at)} · <code dir="ltr">{e.actor_label}</code> · <code>{e.action}</code>{' '}
                        <code>{e.entity_type}</code>
                        {e.entity_id ? (
                          <>
                            {' '}
                            <code dir="auto">{e.entity_id}</code>
                          </>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            </ul>
          </>
        )}
      </Loaded>
    </AdminShell>
  );
}
