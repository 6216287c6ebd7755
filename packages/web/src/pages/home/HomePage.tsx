import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { FrameworkItem, Names, Page, PlaceItem } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';
import { SearchBox } from './SearchBox.tsx';

const MapView = lazy(() => import('../../components/MapView.tsx').then((m) => ({ default: m.MapView })));

interface Summary {
  indicators: number;
  frameworks: number;
  places: { countries: number; cities: number; pilot: number };
  observations: number;
  sources: number;
  lastUpdate: string | null;
}
interface Updates {
  items: {
    indicator: { code: string; name: string | null };
    place: { code: string; name: string | null };
    observations: number;
    latestPeriod: string | null;
    updatedAt: string;
  }[];
}

export function HomePage() {
  const { t } = useTranslation();
  const { lang, num, date, period } = usePrefs();
  const summary = useQuery({ queryKey: ['summary'], queryFn: () => getJson<Summary>('/summary') });
  const frameworks = useQuery({
    queryKey: ['frameworks', lang],
    queryFn: () => getJson<{ items: FrameworkItem[] }>('/frameworks', { lang }),
  });
  const pilots = useQuery({
    queryKey: ['pilots', lang],
    queryFn: () => getJson<Page<PlaceItem>>('/places', { pilot: true, lang, limit: 100 }),
  });
  const updates = useQuery({
    queryKey: ['updates', lang],
    queryFn: () => getJson<Updates>('/updates', { lang, limit: 8 }),
  });
  const [showMap] = useState(true);
  return (
    <>
      <section aria-labelledby="home-title">
        <h1 id="home-title">{t('home.title')}</h1>
        <p className="lead">{t('home.intro')}</p>
        <SearchBox />
        {summary.data && (
          <p className="muted">
            {t('home.counts', {
              indicators: num(summary.data.indicators, 0),
              places: num(summary.data.places.countries + summary.data.places.cities, 0),
              observations: num(summary.data.observations, 0),
            })}
          </p>
        )}
      </section>

      <section aria-labelledby="frameworks-title">
        <h2 id="frameworks-title">{t('home.frameworks')}</h2>
        {frameworks.isPending ? (
          <Loading />
        ) : frameworks.error ? (
          <ErrorMessage error={frameworks.error} />
        ) : (
          <ul className="grid" style={{ listStyle: 'none', padding: 0 }}>
            {frameworks.data.items.map((f) => (
              <li key={f.code} className="card">
                <h3>
                  <Link to="/indicators" search={{ framework: f.code }}>
                    <UserText names={f.names} />
                  </Link>
                </h3>
                <p className="small muted">
                  {t('home.indicatorCount', { count: f.indicatorCount, n: num(f.indicatorCount, 0) })}
                  {f.draft && (
                    <>
                      {' '}
                      · <span className="tag warn">{t('common.draft')}</span>
                    </>
                  )}
                </p>
                {f.description && (
                  <p className="small" dir="auto">
                    {f.description}
                  </p>
                )}
                <p className="small">
                  <Link to="/status" search={{ framework: f.code }}>
                    {t('home.reportingStatus')}
                  </Link>
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="pilots-title">
        <h2 id="pilots-title">{t('home.pilots')}</h2>
        <p className="small muted">{t('home.pilotsNote')}</p>
        {pilots.isPending ? (
          <Loading />
        ) : pilots.error ? (
          <ErrorMessage error={pilots.error} />
        ) : (
          <>
            {showMap && (
              <Suspense fallback={<Loading />}>
                <MapView
                  title={t('home.pilotsMap')}
                  unit=""
                  items={pilots.data.items
                    .filter((p) => p.level !== 'country')
                    .map((p) => ({
                      place: p.code,
                      name: p.name ?? p.code,
                      level: p.level,
                      lat: p.lat,
                      lon: p.lon,
                      value: null,
                      period: null,
                    }))}
                />
              </Suspense>
            )}
            <ul className="grid" style={{ listStyle: 'none', padding: 0 }}>
              {pilots.data.items.map((p) => (
                <li key={p.code}>
                  <Link to="/places/$code" params={{ code: p.code }}>
                    <UserText names={p.names as Names} />
                  </Link>
                  <span className="muted small"> · {t(`level.${p.level}`)}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="updates-title">
        <h2 id="updates-title">{t('home.updates')}</h2>
        {updates.isPending ? (
          <Loading />
        ) : updates.error ? (
          <ErrorMessage error={updates.error} />
        ) : updates.data.items.length === 0 ? (
          <p className="empty">{t('home.noUpdates')}</p>
        ) : (
          <ul className="results">
            {updates.data.items.map((u, i) => (
              <li key={i}>
                <Link to="/indicators/$code" params={{ code: u.indicator.code }}>
                  {u.indicator.code}
                </Link>{' '}
                <span dir="auto">{u.indicator.name}</span> —{' '}
                <Link to="/places/$code" params={{ code: u.place.code }}>
                  <span dir="auto">{u.place.name}</span>
                </Link>
                <span className="muted small">
                  {' '}
                  ·{' '}
                  {t('home.updateLine', {
                    n: num(u.observations, 0),
                    count: u.observations,
                    period: u.latestPeriod ? period(u.latestPeriod) : '—',
                    date: date(u.updatedAt),
                  })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
