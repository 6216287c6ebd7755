import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, apiUrl, getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { PdfButton } from '../../components/PdfButton.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';
import { languageName } from '../../i18n/pick-user-text.ts';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { BudgetSection } from './BudgetSection.tsx';
import { ProgrammeControls } from './ProgrammeForms.tsx';
import { EditProvider } from './programme-edit-context.tsx';
import { ProgressFigure, useRights, useYear } from './programme-kit.tsx';
import { participationRoleLabel, pillarKindLabel, resultStatusLabel } from './programme-labels.ts';
import type { ProgrammeView } from './programme-types.ts';
import { ResultTree } from './ResultTree.tsx';
import { Targets2030 } from './Targets2030.tsx';
import './programmes.css';

/**
 * Lists closed on screen open for printing (the places behind each 2030 figure, the
 * participation record), and close again afterwards, so that the printed page is the whole
 * programme results report.
 */
function useOpenDetailsForPrint() {
  useEffect(() => {
    let opened: HTMLDetailsElement[] = [];
    const before = () => {
      opened = [...document.querySelectorAll<HTMLDetailsElement>('details.print-open:not([open])')];
      opened.forEach((d) => {
        d.open = true;
      });
    };
    const after = () => {
      opened.forEach((d) => {
        d.open = false;
      });
      opened = [];
    };
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);
}

/**
 * A programme's results framework, its 2030 figures, budget and downloads; a print layout makes it a results report.
 */
export function ProgrammePage() {
  const { code } = useParams({ from: '/programmes/$code' });
  const { t } = useTranslation();
  const { lang, num, date } = usePrefs();
  const year = useYear();
  const programme = useQuery({
    queryKey: ['programme', code, lang],
    queryFn: () => getJson<ProgrammeView>(`/programmes/${encodeURIComponent(code)}`, { lang }),
    placeholderData: (prev) => (prev?.code === code ? prev : undefined),
  });
  const rights = useRights(programme.data);
  const [editing, setEditing] = useState(false);
  const [printedAt] = useState(() => new Date().toISOString());
  useOpenDetailsForPrint();
  if (programme.error instanceof ApiError && programme.error.status === 404) return <NotFoundPage what={code} />;
  if (programme.isPending) return <Loading />;
  if (programme.error) return <ErrorMessage error={programme.error} />;
  const p = programme.data;
  const iatiReady = !!(p.reportingOrg.ref && p.reportingOrg.type);
  return (
    <EditProvider programme={p} rights={rights} editing={editing}>
      <article className={`programmes programme-page${editing ? ' is-editing' : ''}`}>
        <Breadcrumbs
          items={[
            { to: '/', label: t('nav.home') },
            { to: '/programmes', label: t('nav.programmes') },
            { label: <UserText names={p.names} fallbackText={p.code} /> },
          ]}
        />
        <p className="print-only report-kind">{t('programmes.report.kind')}</p>
        <h1 id="programme-title" tabIndex={-1}>
          <UserText names={p.names} fallbackText={p.code} />
        </h1>
        <p className="muted">
          {t('programmes.years', { from: year(p.startYear), to: year(p.endYear) })} · {resultStatusLabel(t, p.status)} ·{' '}
          <code>{p.code}</code>
          {p.demonstration && (
            <>
              {' '}
              · <span className="tag warn">{t('programmes.demoTag')}</span>
            </>
          )}
        </p>
        {p.demonstration && <p className="notice warn">{t('programmes.demoNote')}</p>}
        {p.description && (
          <p className="lead">
            <UserText names={p.descriptions} />
          </p>
        )}
        <p className="print-only small">{t('programmes.report.generated', { date: date(printedAt) })}</p>

        <div className="page-actions no-print">
          <button type="button" className="secondary" onClick={() => window.print()}>
            {t('programmes.print')}
          </button>
          <PdfButton page={`/programmes/${p.code}`} />
          {rights.any && (
            <button
              type="button"
              className={editing ? '' : 'secondary'}
              aria-pressed={editing}
              onClick={() => setEditing(!editing)}
            >
              {t('programmes.edit.switch')}
            </button>
          )}
        </div>
        {editing && (
          <p className="notice no-print">
            {rights.admin ? t('programmes.edit.introAdmin') : t('programmes.edit.introFocal')}
          </p>
        )}
        <ProgrammeControls />

        <section aria-labelledby="overall-heading" className="overall card">
          <h2 id="overall-heading">{t('programmes.overallProgress')}</h2>
          <ProgressFigure progress={p.progress} coverage={p.coverage} />
          <p className="small muted">{t('programmes.overallExplain')}</p>
        </section>

        <dl className="programme-facts">
          {p.reportingOrg.name && (
            <>
              <dt>{t('programmes.reportingOrg')}</dt>
              <dd>
                <UserText names={p.reportingOrg.names} fallbackText={p.reportingOrg.name} />
                {p.reportingOrg.ref && (
                  <>
                    {' '}
                    · <code>{p.reportingOrg.ref}</code>
                  </>
                )}
              </dd>
            </>
          )}
          {p.reference && (
            <>
              <dt>{t('programmes.reference')}</dt>
              <dd>
                <span lang="en" dir="auto">
                  {p.reference}
                </span>
                {lang !== 'en' && (
                  <span className="fallback-mark">
                    ({t('common.inLanguage', { language: languageName('en', lang) })})
                  </span>
                )}
              </dd>
            </>
          )}
          {p.partners.length > 0 && (
            <>
              <dt>{t('programmes.partners')}</dt>
              <dd>
                {p.partners.map((x, i) => (
                  <span key={i}>
                    {i > 0 && t('programmes.sep')}
                    <UserText names={x.names} fallbackText={x.name ?? ''} />
                  </span>
                ))}
              </dd>
            </>
          )}
          {p.places.length > 0 && (
            <>
              <dt>{t('programmes.placesTitle')}</dt>
              <dd>
                <details className="print-open">
                  <summary>
                    {t('programmes.placesCount', { n: num(p.places.length, 0), count: p.places.length })}
                  </summary>
                  <ul className="place-columns">
                    {p.places.map((x) => (
                      <li key={x.place}>
                        <Link to="/places/$code" params={{ code: x.place }}>
                          <span dir="auto">{x.name ?? x.place}</span>
                        </Link>{' '}
                        <span className="small muted">({participationRoleLabel(t, x.role)})</span>
                      </li>
                    ))}
                  </ul>
                </details>
              </dd>
            </>
          )}
        </dl>
        {p.pillars.length > 0 && (
          <section aria-labelledby="pillars-heading">
            <h2 id="pillars-heading">{pillarKindLabel(t, p.pillars[0]!.kind)}</h2>
            <ul className="pillars">
              {p.pillars.map((x) => (
                <li key={x.code}>
                  <span className="tag">{x.code}</span> <UserText names={x.names} />
                  {x.description && (
                    <div className="small">
                      <UserText names={x.descriptions} />
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}

        <section aria-labelledby="results-heading" className="results-framework">
          <h2 id="results-heading" tabIndex={-1}>
            {t('programmes.framework')}
          </h2>
          <p className="small">{t('programmes.frameworkIntro')}</p>
          <details className="small no-print">
            <summary>{t('programmes.method')}</summary>
            <p>{t('programmes.methodText')}</p>
          </details>
          <ResultTree results={p.results} />
        </section>

        {p.targets2030 && <Targets2030 f={p.targets2030} />}

        <BudgetSection />

        <section aria-labelledby="downloads-heading" className="downloads no-print">
          <h2 id="downloads-heading">{t('programmes.downloads')}</h2>
          <ul className="plain-list download-list">
            <li>
              <a href={apiUrl(`/programmes/${encodeURIComponent(p.code)}/export`, { format: 'csv', lang })} download>
                {t('programmes.downloadCsv')}
              </a>
            </li>
            <li>
              {iatiReady ? (
                <a href={apiUrl(`/programmes/${encodeURIComponent(p.code)}/export`, { format: 'iati', lang })} download>
                  {t('programmes.downloadIati')}
                </a>
              ) : (
                <div className="notice warn" id="iati-unavailable">
                  <p>
                    <strong>{t('programmes.iati.unavailable')}</strong>
                  </p>
                  <p>{t('programmes.iati.needsOrg')}</p>
                </div>
              )}
            </li>
          </ul>
        </section>
        <p className="small muted">{t('programmes.noRanks')}</p>
      </article>
    </EditProvider>
  );
}
