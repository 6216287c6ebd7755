import type { ProfileEntry } from '@marsad/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { IndicatorName } from './SafetyMonitorPage.tsx';
import {
  type AssessmentProfileView,
  indicatorsOf,
  type SafetyFrameworkIndicator,
  type SuggestedTool,
} from './safety-types.ts';
import './safety.css';

const SECTIONS = ['strengths', 'connect', 'weakest', 'unassessed'] as const;

/** `/safety/assessments/$id/profile`: the one-page profile of a self-assessment — what to use now, what to connect, the weakest links. */
export function SafetyAssessmentProfilePage() {
  const { id } = useParams({ from: '/safety/assessments/$id/profile' });
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const { me, loading } = useSession();
  const q = useQuery({
    queryKey: ['safety-assessment-profile', id, lang],
    queryFn: () => getJson<AssessmentProfileView>(`/safety-assessments/${id}/profile`, { lang }),
    enabled: !!me,
    retry: false,
  });
  if (loading) return <Loading />;
  if (!me)
    return (
      <article>
        <h1>{t('safetyAssessment.profile')}</h1>
        <p className="notice">{t('safetyAssessment.signIn')}</p>
      </article>
    );
  if (q.error instanceof ApiError && (q.error.status === 404 || q.error.status === 400)) return <NotFoundPage />;
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorMessage error={q.error} />;
  return <Profile p={q.data} />;
}

function Entry({
  e,
  indicator,
  tools,
}: {
  e: ProfileEntry;
  indicator: SafetyFrameworkIndicator | undefined;
  tools: SuggestedTool[] | undefined;
}) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  return (
    <li>
      <strong>{indicator ? <IndicatorName indicator={indicator} /> : e.indicator}</strong>{' '}
      <span className="muted">({t('safetyAssessment.profileView.yes', { n: num(e.yes, 0), total: num(4, 0) })})</span>
      {e.missing.length > 0 && (
        <div className="small">
          {t('safetyAssessment.profileView.missing')}:{' '}
          {e.missing.map((c) => t(`safetyAssessment.check.${c}`)).join(', ')}
        </div>
      )}
      {tools && (
        <div className="small">
          {t('safetyAssessment.profileView.tools')}:{' '}
          {tools.length === 0
            ? t('safetyAssessment.profileView.noTools')
            : tools.map((x, i) => (
                <span key={x.id}>
                  {i > 0 && '; '}
                  <Link to="/knowledge/$id" params={{ id: String(x.id) }}>
                    <span dir="auto" lang={x.language}>
                      {x.title}
                    </span>
                  </Link>
                </span>
              ))}
        </div>
      )}
    </li>
  );
}

function Profile({ p }: { p: AssessmentProfileView }) {
  const { t } = useTranslation();
  const { num, date } = usePrefs();
  const a = p.assessment;
  const byCode = new Map(indicatorsOf(a.framework.structure).map((x) => [x.indicator.code, x.indicator]));
  return (
    <article>
      <Breadcrumbs
        items={[
          { to: '/safety', label: t('safetyMonitor.landing.title') },
          {
            label: (
              <Link to="/safety/assessments" search={{ place: a.place }}>
                {t('safetyAssessment.title')}
              </Link>
            ),
          },
          { label: t('safetyAssessment.profile') },
        ]}
      />
      <h1>
        {t('safetyAssessment.profileView.title')} <UserText names={a.placeNames} />
      </h1>
      {a.demo && <p className="notice warn">{t('safetyAssessment.syntheticNotice')}</p>}
      <p>
        {t(`safetyAssessment.stateName.${a.state}`)}
        {a.submittedAt && ` — ${date(a.submittedAt)}`} ·{' '}
        {t('safetyAssessment.usesVersion', { n: num(a.framework.version, 0) })} ·{' '}
        <Link to="/safety/assessments/$id" params={{ id: String(a.id) }}>
          {t('safetyAssessment.openOne', { n: num(a.id, 0) })}
        </Link>
      </p>
      <p className="small">{t('safetyAssessment.profileView.rule')}</p>
      <p className="small">{t('safetyAssessment.profileView.source')}</p>
      {SECTIONS.map((k) => {
        const list = p.profile[k];
        return (
          <section key={k} className="safety-profile-section" aria-labelledby={`safety-${k}`}>
            <h2 id={`safety-${k}`}>
              {t(`safetyAssessment.cat.${k}`)} <span className="muted">({num(list.length, 0)})</span>
            </h2>
            <p className="small muted">{t(`safetyAssessment.catHelp.${k}`)}</p>
            {list.length === 0 ? (
              <p className="muted">{t('safetyAssessment.profileView.empty')}</p>
            ) : (
              <ul>
                {list.map((e) => (
                  <Entry key={e.indicator} e={e} indicator={byCode.get(e.indicator)} tools={p.tools[e.indicator]} />
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </article>
  );
}
