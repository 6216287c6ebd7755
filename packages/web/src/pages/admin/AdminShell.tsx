import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { focalPlaces, isAdministrator } from './admin-api.ts';

/** The administration sections an account may open: all for administrators, places for focal points. */
function AdminNav() {
  const { t } = useTranslation();
  const { me } = useSession();
  const admin = isAdministrator(me?.roles);
  const focal = focalPlaces(me?.roles).length > 0;
  if (!admin && !focal) return null;
  return (
    <nav aria-label={t('admin.nav')} className="sub-nav">
      {admin && (
        <Link to="/admin" activeOptions={{ exact: true }}>
          {t('admin.overview')}
        </Link>
      )}
      {admin && <Link to="/admin/users">{t('admin.users.title')}</Link>}
      {admin && <Link to="/admin/tokens">{t('admin.tokens.title')}</Link>}
      <Link to="/admin/places">{t('admin.places.title')}</Link>
      {admin && <Link to="/admin/indicators">{t('admin.indicators.title')}</Link>}
      {admin && <Link to="/admin/audit">{t('admin.audit.title')}</Link>}
    </nav>
  );
}

/**
 * The frame of an administration page: its title, the sections, and — before anything — the
 * sign-in the pages need. Whether the account may use the page is the API's decision: a page
 * shows <Refused /> when the API answers 403.
 */
export function AdminShell({ title, children }: { title: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  const { me, loading } = useSession();
  return (
    <section className="admin">
      <h1>{title}</h1>
      {loading ? (
        <Loading />
      ) : !me ? (
        <p className="notice">
          {t('admin.signInNeeded')} <Link to="/sign-in">{t('account.signIn')}</Link>
        </p>
      ) : (
        <>
          <AdminNav />
          {children}
        </>
      )}
    </section>
  );
}

/** What the page says when the API refuses the account. */
export function Refused({ error }: { error?: ApiError }) {
  const { t } = useTranslation();
  return (
    <div className="notice warn refused">
      <p>
        <strong>{t('admin.refused')}</strong>
      </p>
      <p>{error?.status === 401 ? t('apiError.signIn') : t('admin.refusedWhy')}</p>
      <p>
        <Link to="/">{t('admin.backHome')}</Link>
      </p>
    </div>
  );
}

/** A query's states: loading, refused by the API (401/403), another error, or its content. */
export function Loaded<T>({
  q,
  children,
}: {
  q: { isPending: boolean; error: unknown; data: T | undefined };
  children: (data: T) => ReactNode;
}) {
  if (q.error instanceof ApiError && (q.error.status === 403 || q.error.status === 401))
    return <Refused error={q.error} />;
  if (q.error) return <ErrorMessage error={q.error} />;
  if (q.isPending || q.data === undefined) return <Loading />;
  return <>{children(q.data)}</>;
}
