import type { ProfileEntry } from '@marsad/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Loading } from '../../components/States.tsx';
import { IndicatorName } from './SafetyMonitorPage.tsx';
import { type AssessmentProfileView, type AssessmentSummary, indicatorsOf } from './safety-types.ts';

/**
 * On a place's page (and so in its PDF, printed as the reader who asks for it), for a signed-in reader who may read
 * the place's self-assessments (its focal points, administrators, the reviewers of a review cycle of the place): the
 * latest submitted assessment's profile in short, and a link to them all. Nothing for anyone else, and no request
 * for a reader without a session (the public page stays the same for them).
 */
export function SafetyAssessmentLink({ place }: { place: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const access = useQuery({
    queryKey: ['safety-assessment-access', place, me?.user.id],
    queryFn: () => getJson<{ reads: boolean; writes: boolean }>('/safety-assessments/access', { place }),
    enabled: !!me,
    retry: false,
  });
  if (!me || !access.data?.reads) return null;
  return (
    <section className="card safety-private" aria-labelledby="safety-private-h">
      <h2 id="safety-private-h">{t('safetyMonitor.citySection.title')}</h2>
      <p className="small muted">{t('safetyMonitor.citySection.private')}</p>
      <Latest place={place} />
      <p className="no-print">
        <Link to="/safety/assessments" search={{ place }}>
          {t('safetyMonitor.cityLink')}
        </Link>
      </p>
    </section>
  );
}

function Latest({ place }: { place: string }) {
  const { t } = useTranslation();
  const { lang, num, date } = usePrefs();
  const list = useQuery({
    queryKey: ['safety-assessments', place],
    queryFn: () => getJson<{ items: AssessmentSummary[] }>('/safety-assessments', { place }),
    retry: false,
  });
  const latest = list.data?.items.filter((a) => a.state === 'submitted').at(-1);
  const profile = useQuery({
    queryKey: ['safety-assessment-profile', String(latest?.id), lang],
    queryFn: () => getJson<AssessmentProfileView>(`/safety-assessments/${latest?.id}/profile`, { lang }),
    enabled: !!latest,
    retry: false,
  });
  if (list.isPending || (latest && profile.isPending)) return <Loading />;
  if (!latest || !profile.data) return <p>{t('safetyMonitor.citySection.none')}</p>;
  const p = profile.data;
  const byCode = new Map(indicatorsOf(p.assessment.framework.structure).map((x) => [x.indicator.code, x.indicator]));
  const names = (list: ProfileEntry[]) =>
    list.length === 0
      ? t('safetyMonitor.none')
      : list.map((e, i) => {
          const ind = byCode.get(e.indicator);
          return (
            <span key={e.indicator}>
              {i > 0 && '; '}
              {ind ? <IndicatorName indicator={ind} /> : e.indicator}
            </span>
          );
        });
  return (
    <>
      {p.assessment.demo && <p className="notice warn">{t('safetyMonitor.citySection.synthetic')}</p>}
      <p>
        {t('safetyMonitor.citySection.latest', {
          date: p.assessment.submittedAt ? date(p.assessment.submittedAt) : '',
          n: num(p.assessment.framework.version, 0),
        })}
      </p>
      <ul>
        <li>
          {t('safetyMonitor.citySection.strengths')}: {names(p.profile.strengths)}
        </li>
        <li>
          {t('safetyMonitor.citySection.connect')}: {names(p.profile.connect)}
        </li>
        <li>
          {t('safetyMonitor.citySection.weakest')}: {names(p.profile.weakest)}
        </li>
      </ul>
    </>
  );
}
