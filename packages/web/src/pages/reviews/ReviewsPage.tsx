import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Empty, ErrorMessage, Loading } from '../../components/States.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { UserText } from '../../components/UserText.tsx';
import { isAdministrator } from '../admin/admin-api.ts';
import {
  type AssignmentItem,
  type CycleSummary,
  kindLabel,
  type PublishedItem,
  type SubmissionItem,
} from './review-api.ts';
import { StateBadge } from './review-kit.tsx';

/**
 * Reviews: the published reviews (public), and for those signed in their submissions and
 * assignments; administrators also see the cycles. Lists go by cycle and place: no ranking.
 */
export function ReviewsPage() {
  const { t } = useTranslation();
  const { me, loading } = useSession();
  const admin = isAdministrator(me?.roles);
  return (
    <section className="reviews admin">
      <h1>{t('reviews.title')}</h1>
      <p className="lead">{t('reviews.intro')}</p>
      {!loading && me && admin && <Cycles />}
      {!loading && me && <MyAssignments />}
      {!loading && me && <MySubmissions admin={admin} />}
      <Published />
    </section>
  );
}

function Published() {
  const { t } = useTranslation();
  const { date } = usePrefs();
  const list = useQuery({
    queryKey: ['published-reviews'],
    queryFn: () => getJson<Page<PublishedItem>>('/published-reviews', { limit: 500 }),
  });
  return (
    <section aria-labelledby="published-title">
      <h2 id="published-title">{t('reviews.published.title')}</h2>
      <p>
        <Link to="/results/board-progress">{t('boardProgress.link')}</Link>
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorMessage error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>{t('reviews.published.none')}</Empty>
      ) : (
        <ul className="plain published-list">
          {list.data.items.map((p) => (
            <li key={p.id} className="card">
              <Link to="/reviews/published/$id" params={{ id: String(p.id) }}>
                <UserText names={p.place.names} fallbackText={p.place.code} />
              </Link>
              <div className="small muted">
                <UserText names={p.cycle.titles} /> · {kindLabel(t, p.cycle.kind)} ·{' '}
                {t('reviews.published.on', { date: date(p.publishedAt) })}
                {p.demo && (
                  <>
                    {' '}
                    · <span className="tag warn">{t('reviews.demo')}</span>
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Cycles() {
  const { t } = useTranslation();
  const { date, num } = usePrefs();
  const list = useQuery({
    queryKey: ['review-cycles'],
    queryFn: () => getJson<Page<CycleSummary & { participants: unknown[] }>>('/review-cycles', { limit: 100 }),
  });
  return (
    <section aria-labelledby="cycles-title">
      <h2 id="cycles-title">{t('reviews.cycles.title')}</h2>
      <p>
        <Link to="/reviews/cycles/new">{t('reviews.cycles.new')}</Link>
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorMessage error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>{t('reviews.cycles.none')}</Empty>
      ) : (
        <TableScroll>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('reviews.cycle.titleField')}</th>
                <th scope="col">{t('reviews.cycle.kind')}</th>
                <th scope="col">{t('reviews.cycle.dates')}</th>
                <th scope="col">{t('reviews.cycle.participants')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to="/reviews/cycles/$id" params={{ id: String(c.id) }}>
                      <UserText names={c.titles} />
                    </Link>
                    {c.demo && (
                      <>
                        {' '}
                        <span className="tag warn">{t('reviews.demo')}</span>
                      </>
                    )}
                  </td>
                  <td>{kindLabel(t, c.kind)}</td>
                  <td>{t('reviews.cycle.range', { from: date(c.startsOn), to: date(c.endsOn) })}</td>
                  <td className="num">{num(c.participants.length, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

function MySubmissions({ admin }: { admin: boolean }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['review-submissions'],
    queryFn: () => getJson<{ items: SubmissionItem[] }>('/review-submissions'),
  });
  const items = (list.data?.items ?? []).filter((s) => admin || s.myRoles.includes('submitter'));
  return (
    <section aria-labelledby="mine-title">
      <h2 id="mine-title">{admin ? t('reviews.submissions.all') : t('reviews.submissions.mine')}</h2>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorMessage error={list.error} />
      ) : items.length === 0 ? (
        <Empty>{t('reviews.submissions.none')}</Empty>
      ) : (
        <TableScroll>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('table.place')}</th>
                <th scope="col">{t('reviews.cycle.titleField')}</th>
                <th scope="col">{t('reviews.submission.state')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to="/reviews/submissions/$id" params={{ id: String(s.id) }}>
                      <UserText names={s.place.names} fallbackText={s.place.code} />
                    </Link>
                    {s.instanceName && (
                      <>
                        {' '}
                        <bdi dir="auto" className="muted small">
                          {s.instanceName}
                        </bdi>
                      </>
                    )}
                  </td>
                  <td>
                    <UserText names={s.cycle.titles} />
                  </td>
                  <td>
                    <StateBadge state={s.state} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

export function MyAssignments() {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['review-assignments'],
    queryFn: () => getJson<{ items: AssignmentItem[] }>('/review-assignments'),
  });
  if (list.data && list.data.items.length === 0) return null;
  return (
    <section aria-labelledby="assignments-title">
      <h2 id="assignments-title">{t('reviews.assignments.title')}</h2>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorMessage error={list.error} />
      ) : (
        <AssignmentTable items={list.data.items} />
      )}
    </section>
  );
}

export function AssignmentTable({ items }: { items: AssignmentItem[] }) {
  const { t } = useTranslation();
  return (
    <TableScroll>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t('table.place')}</th>
            <th scope="col">{t('reviews.cycle.titleField')}</th>
            <th scope="col">{t('reviews.submission.state')}</th>
            <th scope="col">{t('reviews.assignments.awaiting')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id}>
              <td>
                <Link to="/reviews/submissions/$id" params={{ id: String(a.submission.id) }}>
                  <UserText names={a.submission.place.names} fallbackText={a.submission.place.code} />
                </Link>
                {a.lead && (
                  <>
                    {' '}
                    <span className="tag">{t('reviews.reviewers.lead')}</span>
                  </>
                )}
              </td>
              <td>
                <UserText names={a.submission.cycle.titles} />
              </td>
              <td>
                <StateBadge state={a.submission.state} />
              </td>
              <td>
                {a.awaiting === 'declaration'
                  ? t('reviews.assignments.awaitingDeclaration')
                  : a.awaiting === 'recommendation'
                    ? t('reviews.assignments.awaitingRecommendation')
                    : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
