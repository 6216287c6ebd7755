import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Names } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';
import { type PickedPlace, PlacePicker } from '../admin/PlacePicker.tsx';
import { type FrameworkVersionView, indicatorsOf, USM_SOURCE_INDICATORS } from './safety-types.ts';
import './safety.css';

interface DraftMatrix {
  code: string;
  names: Names;
  descriptions: Names;
  draft: boolean;
  groups: { code: string; names: Names }[];
  indicators: { code: string; group: string | null }[];
}

/**
 * `/safety`: UN-Habitat's Urban Safety Monitor and Marsad's own draft urban safety matrix side by side, each labelled
 * with what it is and its source; a place's composite safety profile (one place at a time, never a list of places);
 * the self-assessments for those who hold a role on a place.
 */
export function SafetyLandingPage() {
  const { t } = useTranslation();
  const { lang, num } = usePrefs();
  const { me } = useSession();
  const pickerId = useId();
  const [place, setPlace] = useState<PickedPlace | null>(null);
  const usm = useQuery({
    queryKey: ['safety-monitor', 'framework'],
    queryFn: () => getJson<FrameworkVersionView>('/safety-monitor/framework'),
  });
  const matrix = useQuery({
    queryKey: ['framework', 'urban-safety', lang],
    queryFn: () => getJson<DraftMatrix>('/frameworks/urban-safety', { lang }),
  });
  const myPlaces = [...new Set((me?.roles ?? []).map((r) => r.place).filter((p): p is string => !!p))];
  return (
    <article>
      <h1>{t('safetyMonitor.landing.title')}</h1>
      <p className="lead">{t('safetyMonitor.landing.intro')}</p>
      <div className="safety-frameworks">
        <section className="card" aria-labelledby={`${pickerId}-usm`}>
          <h2 id={`${pickerId}-usm`}>{t('safetyMonitor.usm.title')}</h2>
          <p>
            <span className="badge fair">{t('safetyMonitor.usm.label')}</span>
          </p>
          {usm.isPending ? (
            <Loading />
          ) : usm.error ? (
            <ErrorMessage error={usm.error} />
          ) : (
            <>
              <p>{t('safetyMonitor.usm.summary', { count: num(USM_SOURCE_INDICATORS, 0) })}</p>
              <ul>
                {usm.data.structure.themes.map((th) => (
                  <li key={th.code}>
                    <UserText names={th.names} />{' '}
                    <span className="muted">
                      (
                      {t('safetyMonitor.usm.namedCount', {
                        n: num(th.indicators.filter((i) => i.status !== 'slot').length, 0),
                      })}
                      )
                    </span>
                  </li>
                ))}
              </ul>
              <p>
                {t('safetyMonitor.usm.slots', {
                  n: num(indicatorsOf(usm.data.structure).filter((x) => x.indicator.status === 'slot').length, 0),
                  total: num(usm.data.structure.indicatorCount, 0),
                })}
              </p>
              <p className="safety-source">
                {t('safetyMonitor.source')}: <cite lang="en">{usm.data.structure.source.citation}</cite>
              </p>
              <p>
                <Link to="/safety/monitor">{t('safetyMonitor.usm.view')}</Link>
              </p>
            </>
          )}
        </section>
        <section className="card" aria-labelledby={`${pickerId}-matrix`}>
          <h2 id={`${pickerId}-matrix`}>{t('safetyMonitor.matrix.title')}</h2>
          <p>
            <span className="badge warn">{t('safetyMonitor.matrix.label')}</span>
          </p>
          {matrix.isPending ? (
            <Loading />
          ) : matrix.error ? (
            <ErrorMessage error={matrix.error} />
          ) : (
            <>
              <p>
                <UserText names={matrix.data.descriptions} />
              </p>
              <ul>
                {matrix.data.groups.map((g) => (
                  <li key={g.code}>
                    <UserText names={g.names} />{' '}
                    <span className="muted">
                      (
                      {t('safetyMonitor.matrix.count', {
                        n: num(matrix.data.indicators.filter((i) => i.group === g.code).length, 0),
                      })}
                      )
                    </span>
                  </li>
                ))}
              </ul>
              <p className="safety-source">
                {t('safetyMonitor.source')}: {t('safetyMonitor.matrix.source')}
              </p>
              <p>
                <Link to="/indicators" search={{ framework: 'urban-safety' }}>
                  {t('safetyMonitor.matrix.view')}
                </Link>
              </p>
            </>
          )}
        </section>
      </div>

      <section aria-labelledby={`${pickerId}-profile`}>
        <h2 id={`${pickerId}-profile`}>{t('safetyMonitor.landing.profileTitle')}</h2>
        <p>{t('safetyMonitor.landing.profileIntro')}</p>
        <PlacePicker
          id={pickerId}
          label={t('safetyMonitor.landing.place')}
          value={place}
          onChange={setPlace}
          levels={['city']}
        />
        {place && (
          <p>
            <Link to="/safety/profile" search={{ place: place.code }}>
              {t('safetyMonitor.landing.openProfile')}
            </Link>
          </p>
        )}
      </section>

      <section aria-labelledby={`${pickerId}-assess`}>
        <h2 id={`${pickerId}-assess`}>{t('safetyMonitor.landing.assessTitle')}</h2>
        <p>{t('safetyMonitor.landing.assessIntro')}</p>
        {myPlaces.length > 0 && (
          <ul>
            {myPlaces.map((code) => (
              <li key={code}>
                <Link to="/safety/assessments" search={{ place: code }}>
                  {t('safetyMonitor.landing.assessPlace', { place: code })}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
