import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { Empty, ErrorMessage, Loading } from '../../components/States.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { UserText } from '../../components/UserText.tsx';
import { problemOf } from './safety-errors.ts';
import type { AssessmentSummary, AssessmentView } from './safety-types.ts';
import './safety.css';

interface AssessmentList {
  place: string;
  placeNames: Record<string, string>;
  canWrite: boolean;
  items: AssessmentSummary[];
}

/** `/safety/assessments?place=CODE`: one place's self-assessments over time (oldest first), and a new one. */
export function SafetyAssessmentsPage() {
  const { t } = useTranslation();
  const { me, loading } = useSession();
  const { place } = useSearch({ from: '/safety/assessments' });
  if (loading) return <Loading />;
  if (!me)
    return (
      <article>
        <h1>{t('safetyAssessment.title')}</h1>
        <p className="notice">{t('safetyAssessment.signIn')}</p>
      </article>
    );
  if (!place) {
    const mine = [...new Set(me.roles.map((r) => r.place).filter((p): p is string => !!p))];
    return (
      <article>
        <h1>{t('safetyAssessment.title')}</h1>
        <p className="lead">{t('safetyAssessment.intro')}</p>
        {mine.length ? (
          <ul>
            {mine.map((code) => (
              <li key={code}>
                <Link to="/safety/assessments" search={{ place: code }}>
                  {t('safetyMonitor.landing.assessPlace', { place: code })}
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <Empty>{t('safetyAssessment.noPlaces')}</Empty>
        )}
      </article>
    );
  }
  return <PlaceAssessments place={place} />;
}

function PlaceAssessments({ place }: { place: string }) {
  const { t } = useTranslation();
  const { num, date } = usePrefs();
  const { send } = useSession();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<{ text: string; lang: string | undefined } | null>(null);
  const q = useQuery({
    queryKey: ['safety-assessments', place],
    queryFn: () => getJson<AssessmentList>('/safety-assessments', { place }),
    retry: false,
  });
  if (q.isPending) return <Loading />;
  if (q.error instanceof ApiError && q.error.status === 403)
    return (
      <article>
        <h1>{t('safetyAssessment.title')}</h1>
        <p className="notice warn">{t('safetyAssessment.forbidden')}</p>
      </article>
    );
  if (q.error) return <ErrorMessage error={q.error} />;
  const list = q.data;
  const draft = list.items.find((a) => a.state === 'draft');
  const start = async () => {
    setProblem(null);
    const res = await send('/safety-assessments', 'POST', { place });
    if (res.ok) {
      const a = (await res.json()) as AssessmentView;
      await navigate({ to: '/safety/assessments/$id', params: { id: String(a.id) } });
    } else setProblem(await problemOf(res, t));
  };
  return (
    <article>
      <Breadcrumbs
        items={[{ to: '/safety', label: t('safetyMonitor.landing.title') }, { label: t('safetyAssessment.title') }]}
      />
      <h1>
        {t('safetyAssessment.titleOf')} <UserText names={list.placeNames} />
      </h1>
      <p className="lead">{t('safetyAssessment.intro')}</p>
      <p className="notice">{t('safetyAssessment.private')}</p>
      {list.items.length === 0 ? (
        <Empty>{t('safetyAssessment.none')}</Empty>
      ) : (
        <TableScroll>
          <table>
            <caption>{t('safetyAssessment.listCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('safetyAssessment.started')}</th>
                <th scope="col">{t('safetyAssessment.state')}</th>
                <th scope="col">{t('safetyAssessment.frameworkVersion')}</th>
                <th scope="col">{t('safetyAssessment.cat.strengths')}</th>
                <th scope="col">{t('safetyAssessment.cat.connect')}</th>
                <th scope="col">{t('safetyAssessment.cat.weakest')}</th>
                <th scope="col">{t('safetyAssessment.cat.unassessed')}</th>
                <th scope="col">{t('safetyAssessment.open')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((a) => (
                <tr key={a.id}>
                  <td>
                    {date(a.createdAt)}
                    {a.demo && (
                      <>
                        {' '}
                        <span className="badge warn">{t('safetyAssessment.synthetic')}</span>
                      </>
                    )}
                  </td>
                  <td>
                    {t(`safetyAssessment.stateName.${a.state}`)}
                    {a.submittedAt && ` (${date(a.submittedAt)})`}
                  </td>
                  <td>{num(a.frameworkVersion, 0)}</td>
                  <td>{num(a.counts.strengths, 0)}</td>
                  <td>{num(a.counts.connect, 0)}</td>
                  <td>{num(a.counts.weakest, 0)}</td>
                  <td>{num(a.counts.unassessed, 0)}</td>
                  <td>
                    <Link to="/safety/assessments/$id" params={{ id: String(a.id) }}>
                      {t('safetyAssessment.openOne', { n: num(a.id, 0) })}
                    </Link>
                    {' · '}
                    <Link to="/safety/assessments/$id/profile" params={{ id: String(a.id) }}>
                      {t('safetyAssessment.profile')}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {list.canWrite && (
        <div className="safety-actions">
          {draft ? (
            <Link to="/safety/assessments/$id" params={{ id: String(draft.id) }}>
              {t('safetyAssessment.continueDraft')}
            </Link>
          ) : (
            <button type="button" onClick={() => void start()}>
              {t('safetyAssessment.start')}
            </button>
          )}
        </div>
      )}
      {problem && (
        <p role="alert" className="notice warn" lang={problem.lang} dir={problem.lang ? 'ltr' : undefined}>
          {problem.text}
        </p>
      )}
    </article>
  );
}
