import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { Empty, ErrorMessage, Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';
import { isAdministrator } from '../admin/admin-api.ts';
import { NewProgramme } from './ProgrammeForms.tsx';
import { ProgressFigure, useYear } from './programme-kit.tsx';
import { resultStatusLabel } from './programme-labels.ts';
import type { ProgrammeListItem } from './programme-types.ts';
import './programmes.css';

/** The programmes with their results frameworks: years, status, overall progress with its coverage. No ranking. */
export function ProgrammeListPage() {
  const { t } = useTranslation();
  const { lang, num } = usePrefs();
  const year = useYear();
  const { me } = useSession();
  const list = useQuery({
    queryKey: ['programmes', lang],
    queryFn: () => getJson<{ items: ProgrammeListItem[] }>('/programmes', { lang }),
  });
  return (
    <article className="programmes">
      <Breadcrumbs items={[{ to: '/', label: t('nav.home') }, { label: t('nav.programmes') }]} />
      <h1>{t('programmes.title')}</h1>
      <p className="lead">{t('programmes.intro')}</p>
      <p>
        <Link to="/results/success-indicators">{t('successIndicators.link')}</Link>
        {t('programmes.sep')}
        <Link to="/results/board-progress">{t('boardProgress.link')}</Link>
      </p>
      {isAdministrator(me?.roles) && <NewProgramme />}
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorMessage error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>{t('programmes.none')}</Empty>
      ) : (
        <ul className="programme-list">
          {list.data.items.map((p) => (
            <li key={p.code} className="card">
              <h2>
                <Link to="/programmes/$code" params={{ code: p.code }}>
                  <UserText names={p.names} fallbackText={p.code} />
                </Link>
              </h2>
              <p className="muted small">
                {t('programmes.years', { from: year(p.startYear), to: year(p.endYear) })} ·{' '}
                {resultStatusLabel(t, p.status)}
                {p.demonstration && (
                  <>
                    {' '}
                    · <span className="tag warn">{t('programmes.demoTag')}</span>
                  </>
                )}
              </p>
              {p.description && (
                <p dir="auto" className="programme-description">
                  {p.description}
                </p>
              )}
              <p className="programme-progress">
                <ProgressFigure
                  progress={p.progress}
                  coverage={p.coverage}
                  label={(pct) => t('programmes.overallValue', { pct })}
                />
              </p>
              <p className="small muted">
                {t('programmes.counts', {
                  results: num(p.results, 0),
                  measures: num(p.measures, 0),
                  places: num(p.places, 0),
                })}
              </p>
            </li>
          ))}
        </ul>
      )}
      <p className="small muted">{t('programmes.noRanks')}</p>
    </article>
  );
}
