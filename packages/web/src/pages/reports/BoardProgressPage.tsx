import { GUIDELINE_THEMES, RECORD_KIND_NAMES, RECORD_KINDS } from '@marsad/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { BarChart } from '../../components/BarChart.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { openFoldedForPrint, useOpenFoldedWhenPrinting } from '../../components/open-for-print.ts';
import { PdfButton } from '../../components/PdfButton.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';
import { ProgressFigure, usePercent, useYear } from '../programmes/programme-kit.tsx';
import { levelLabel, measureStatusLook, resultStatusLabel } from '../programmes/programme-labels.ts';
import type { Figures2030 } from '../programmes/programme-types.ts';
import { type Figure, IndicatorCard, type SuccessIndicator } from '../programmes/SuccessIndicatorCard.tsx';
import { usePlaceNames } from '../reviews/review-kit.tsx';
import '../programmes/programmes.css';
import './reports.css';
import { TableScroll } from '../../components/TableScroll.tsx';

type Names = Record<string, string>;
interface Review {
  id: number;
  publishedAt: string;
  demo: boolean;
  place: { code: string; names: Names; countryCode: string };
  cycle: { id: number; titles: Names };
}
interface RecordItem {
  kind: string;
  theme: string;
  reviewId: number;
  place: string;
  question: string;
  path: string;
  value: string | number | string[];
  demo: boolean;
}
interface Practice {
  id: number;
  titles: Names;
  publishedAt: string;
  places: string[];
}
interface CompletedResult {
  id: number;
  programme: string;
  code: string | null;
  level: string;
  titles: Names;
  endDate: string;
  demo: boolean;
}
interface ProgrammeLine {
  code: string;
  name: string | null;
  names: Names;
  startYear: number;
  endYear: number;
  status: string;
  demo: boolean;
  progress: number | null;
  coverage: number;
  results: {
    id: number;
    code: string | null;
    level: string;
    title: string | null;
    titles: Names;
    status: string;
    progress: number | null;
    coverage: number;
    measures: number;
  }[];
  targets2030: Figures2030 | null;
}
interface Report {
  period: { from: string; to: string };
  generatedAt: string;
  demo: boolean;
  reviews: Figure<Review>;
  records: {
    byKind: { kind: string; figure: Figure<RecordItem> }[];
    byTheme: { kind: string; theme: string; figure: Figure<RecordItem> }[];
  };
  practices: Figure<Practice>;
  resultsCompleted: Figure<CompletedResult>;
  successIndicators: SuccessIndicator[];
  programmes: ProgrammeLine[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A real day written YYYY-MM-DD (not 2026-02-30 nor 2026-13-01). */
const isDay = (d: string) =>
  DAY.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

/** The default period (the API's): 1 January of this year to today. */
export function defaultBoardPeriod(): { from: string; to: string } {
  const today = new Date().toISOString().slice(0, 10);
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

/**
 * /results/board-progress: opens the report of the default period (its address names the period, so it can be printed
 * to PDF).
 */
export function BoardProgressDefault() {
  const navigate = useNavigate();
  useEffect(() => {
    void navigate({ to: '/results/board-progress/$from/$to', params: defaultBoardPeriod(), replace: true });
  }, [navigate]);
  return <Loading />;
}

/**
 * The progress report to the Executive Board for a period (seed 000 §3 (b), (e)): the measures
 * and difficulties recorded in the reviews published in the period, successes and good
 * practices, the success indicators of §8, and the results toward 2030 — every count with the
 * list behind it, computed by GET /api/v1/reports/board-progress. Printable; PDF from the server.
 */
export function BoardProgressPage() {
  const { t } = useTranslation();
  const { from, to } = useParams({ from: '/results/board-progress/$from/$to' });
  const { lang, date } = usePrefs();
  const valid = isDay(from) && isDay(to) && from <= to;
  const report = useQuery({
    queryKey: ['board-progress', from, to, lang],
    enabled: valid,
    retry: false,
    queryFn: () => getJson<Report>('/reports/board-progress', { from, to, lang }),
  });
  useOpenFoldedWhenPrinting();
  const page = `/results/board-progress/${from}/${to}`;
  return (
    <article className="programmes board-progress">
      <Breadcrumbs
        items={[
          { to: '/', label: t('nav.home') },
          { to: '/programmes', label: t('nav.programmes') },
          { label: t('boardProgress.title') },
        ]}
      />
      <h1>{t('boardProgress.title')}</h1>
      <p className="lead">
        {t('boardProgress.period', { from: valid ? date(from) : from, to: valid ? date(to) : to })}
      </p>
      <PeriodForm from={from} to={to} />
      {!valid ? (
        <p className="notice warn" role="alert">
          {t('boardProgress.badPeriod')}
        </p>
      ) : report.isPending ? (
        <Loading />
      ) : report.error ? (
        <ErrorMessage error={report.error} />
      ) : (
        <ReportBody r={report.data} page={page} />
      )}
    </article>
  );
}

function PeriodForm({ from, to }: { from: string; to: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = useId();
  const [f, setF] = useState(from);
  const [e, setE] = useState(to);
  useEffect(() => {
    setF(from);
    setE(to);
  }, [from, to]);
  const bad = !isDay(f) || !isDay(e) || f > e;
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    if (!bad) void navigate({ to: '/results/board-progress/$from/$to', params: { from: f, to: e } });
  };
  return (
    <form className="row no-print period-form" onSubmit={submit} aria-describedby={bad ? `${id}-bad` : undefined}>
      <label htmlFor={`${id}-from`}>{t('boardProgress.from')}</label>
      <input id={`${id}-from`} type="date" value={f} onChange={(x) => setF(x.target.value)} required />
      <label htmlFor={`${id}-to`}>{t('boardProgress.to')}</label>
      <input id={`${id}-to`} type="date" value={e} onChange={(x) => setE(x.target.value)} required />
      <button type="submit" disabled={bad}>
        {t('boardProgress.show')}
      </button>
      {bad && (
        <span id={`${id}-bad`} className="small error-text">
          {t('boardProgress.badPeriod')}
        </span>
      )}
    </form>
  );
}

function ReportBody({ r, page }: { r: Report; page: string }) {
  const { t } = useTranslation();
  const { date, num } = usePrefs();
  const names = usePlaceNames();
  const placeName = (code: string) => <UserText names={names(code)} fallbackText={code} />;
  return (
    <>
      <p className="small muted">{t('boardProgress.generated', { date: date(r.generatedAt) })}</p>
      {r.demo && <p className="notice warn">{t('boardProgress.demoNotice')}</p>}
      <p className="no-print row">
        <button
          type="button"
          className="secondary"
          onClick={() => {
            openFoldedForPrint();
            window.print();
          }}
        >
          {t('boardProgress.print')}
        </button>
        <PdfButton page={page} />
      </p>
      <p>{t('boardProgress.intro')}</p>

      <section aria-labelledby="bp-measures">
        <h2 id="bp-measures">{t('boardProgress.measuresTitle')}</h2>
        <p>{t('boardProgress.reviewsCount', { n: r.reviews.count })}</p>
        {r.reviews.count > 0 && (
          <ul className="plain">
            {r.reviews.items.map((x) => (
              <li key={x.id}>
                <Link to="/reviews/published/$id" params={{ id: String(x.id) }}>
                  {placeName(x.place.code)}
                </Link>{' '}
                · <UserText names={x.cycle.titles} /> · {t('boardProgress.publishedOn', { date: date(x.publishedAt) })}
                {x.demo && (
                  <>
                    {' '}
                    · <span className="tag warn">{t('programmes.demoTag')}</span>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
        <RecordsByTheme r={r} />
      </section>

      <section aria-labelledby="bp-successes">
        <h2 id="bp-successes">{t('boardProgress.successesTitle')}</h2>
        <h3>{t('boardProgress.practices', { n: num(r.practices.count, 0) })}</h3>
        {r.practices.count === 0 ? (
          <p className="muted">{t('boardProgress.noPractices')}</p>
        ) : (
          <ul>
            {r.practices.items.map((p) => (
              <li key={p.id}>
                <Link to="/knowledge/$id" params={{ id: String(p.id) }}>
                  <UserText names={p.titles} />
                </Link>
                {p.places.length > 0 && (
                  <>
                    {' '}
                    ·{' '}
                    {p.places.map((c, i) => (
                      <span key={c}>
                        {i > 0 && t('programmes.sep')}
                        {placeName(c)}
                      </span>
                    ))}
                  </>
                )}
                {' · '}
                {t('boardProgress.publishedOn', { date: date(p.publishedAt) })}
              </li>
            ))}
          </ul>
        )}
        <h3>{t('boardProgress.resultsCompleted', { n: num(r.resultsCompleted.count, 0) })}</h3>
        {r.resultsCompleted.count === 0 ? (
          <p className="muted">{t('boardProgress.noResultsCompleted')}</p>
        ) : (
          <ul>
            {r.resultsCompleted.items.map((x) => (
              <li key={x.id}>
                <Link to="/programmes/$code" params={{ code: x.programme }}>
                  {x.programme}
                </Link>{' '}
                · {levelLabel(t, x.level)} {x.code && <bdi>{x.code}</bdi>} <UserText names={x.titles} /> ·{' '}
                {date(x.endDate)}
                {x.demo && (
                  <>
                    {' '}
                    · <span className="tag warn">{t('programmes.demoTag')}</span>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
        <p className="small muted">{t('boardProgress.challengesNote')}</p>
      </section>

      <section aria-labelledby="bp-success-indicators">
        <h2 id="bp-success-indicators">{t('boardProgress.successIndicatorsTitle')}</h2>
        <p className="small muted">{t('boardProgress.successIndicatorsNote')}</p>
        {r.successIndicators.map((s) => (
          <IndicatorCard key={s.code} s={s} headingLevel={3} />
        ))}
      </section>

      <section aria-labelledby="bp-results">
        <h2 id="bp-results">{t('boardProgress.resultsTitle')}</h2>
        {r.programmes.length === 0 ? (
          <p className="muted">{t('boardProgress.noProgrammes')}</p>
        ) : (
          r.programmes.map((p) => <ProgrammeProgress key={p.code} p={p} />)
        )}
      </section>
      <p className="small muted">{t('successIndicators.noTyping')}</p>
    </>
  );
}

/** The measures, difficulties and technical-assistance needs by theme: a chart, then each count with its list. */
function RecordsByTheme({ r }: { r: Report }) {
  const { t, i18n } = useTranslation();
  const { num } = usePrefs();
  const names = usePlaceNames();
  const lang = i18n.language === 'ar' ? 'ar' : 'en';
  const tableId = useId();
  const kindName = (k: string) => (RECORD_KIND_NAMES as Record<string, { ar: string; en: string }>)[k]?.[lang] ?? k;
  const count = (kind: string, theme: string) =>
    r.records.byTheme.find((x) => x.kind === kind && x.theme === theme)?.figure.count ?? 0;
  // Stable for the chart: count and kindName read only r and lang.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on purpose, see above
  const { themes, categories, series } = useMemo(() => {
    const th = GUIDELINE_THEMES.filter((x) => r.records.byTheme.some((y) => y.theme === x.code && y.figure.count > 0));
    return {
      themes: th,
      categories: th.map((x) => x.names[lang]),
      series: RECORD_KINDS.map((k) => ({ name: kindName(k), values: th.map((x) => count(k, x.code)) })),
    };
  }, [r, lang]);
  const total = r.records.byKind.reduce((n, k) => n + k.figure.count, 0);
  if (total === 0) return <p className="muted">{t('boardProgress.noRecords')}</p>;
  return (
    <>
      <div className="print-chart">
        <BarChart categories={categories} series={series} title={t('boardProgress.chartTitle')} describedBy={tableId} />
      </div>
      <TableScroll>
        <table className="data" id={tableId}>
          <caption>{t('boardProgress.chartTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('boardProgress.theme')}</th>
              {RECORD_KINDS.map((k) => (
                <th key={k} scope="col">
                  {kindName(k)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {themes.map((th) => (
              <tr key={th.code}>
                <th scope="row">{th.names[lang]}</th>
                {RECORD_KINDS.map((k) => (
                  <td key={k} className="num">
                    {num(count(k, th.code), 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {r.records.byKind.map((k) => (
        <section key={k.kind} aria-labelledby={`bp-kind-${k.kind}`}>
          <h3 id={`bp-kind-${k.kind}`}>
            {kindName(k.kind)}: {num(k.figure.count, 0)}
          </h3>
          {k.figure.count > 0 && (
            <ul>
              {k.figure.items.map((i, n) => (
                <li key={n}>
                  <strong>
                    <UserText names={names(i.place)} fallbackText={i.place} />
                  </strong>
                  {t('programmes.sep')}
                  <span className="muted small">
                    {GUIDELINE_THEMES.find((x) => x.code === i.theme)?.names[lang] ?? i.theme}
                  </span>
                  : <span dir="auto">{Array.isArray(i.value) ? i.value.join(', ') : String(i.value)}</span>{' '}
                  <Link to="/reviews/published/$id" params={{ id: String(i.reviewId) }} className="small">
                    {t('boardProgress.source')}
                  </Link>
                  {i.demo && (
                    <>
                      {' '}
                      · <span className="tag warn">{t('programmes.demoTag')}</span>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}

/** A programme's standing toward 2030: overall progress, its top results, the 2030 figures in brief. */
function ProgrammeProgress({ p }: { p: ProgrammeLine }) {
  const { t } = useTranslation();
  const year = useYear();
  return (
    <section className="card" aria-labelledby={`bp-prog-${p.code}`}>
      <h3 id={`bp-prog-${p.code}`}>
        <Link to="/programmes/$code" params={{ code: p.code }}>
          <UserText names={p.names} fallbackText={p.code} />
        </Link>
      </h3>
      <p className="small">
        {year(p.startYear)}–{year(p.endYear)} · {resultStatusLabel(t, p.status)}
        {p.demo && (
          <>
            {' '}
            · <span className="tag warn">{t('programmes.demoTag')}</span>
          </>
        )}
      </p>
      <p>
        <ProgressFigure
          progress={p.progress}
          coverage={p.coverage}
          label={(pct) => t('boardProgress.overall', { pct })}
        />
      </p>
      {p.results.length > 0 && (
        <TableScroll>
          <table className="data">
            <caption className="visually-hidden">{t('boardProgress.resultsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('boardProgress.result')}</th>
                <th scope="col">{t('boardProgress.status')}</th>
                <th scope="col">{t('boardProgress.progress')}</th>
              </tr>
            </thead>
            <tbody>
              {p.results.map((x) => (
                <tr key={x.id}>
                  <th scope="row">
                    {levelLabel(t, x.level)} {x.code && <bdi>{x.code}</bdi>} <UserText names={x.titles} />
                  </th>
                  <td>{resultStatusLabel(t, x.status)}</td>
                  <td>
                    <ProgressFigure progress={x.progress} coverage={x.coverage} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {p.targets2030 && <Brief2030 f={p.targets2030} />}
    </section>
  );
}

function Brief2030({ f }: { f: Figures2030 }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const pct = usePercent();
  const year = useYear();
  const look = measureStatusLook(t, f.urbanViolenceChange.status);
  const target = year(f.definitions.targetYear);
  const base = year(f.definitions.baselineYear);
  return (
    <>
      <h4>{t('programmes.t2030.title', { target })}</h4>
      <ul>
        <li>
          {t('programmes.t2030.violence')}: <strong>{pct.change(f.urbanViolenceChange.valuePercent)}</strong> (
          {t('programmes.t2030.violenceTarget', {
            value: pct.change(f.urbanViolenceChange.targetPercent),
            base,
            target,
          })}
          ){' '}
          <span className={`badge ${look.tone}`}>
            <span aria-hidden="true">{look.icon}</span>
            <span>{look.label}</span>
          </span>
        </li>
        <li>
          {t('boardProgress.brief.cities', {
            n: num(f.citiesWithLessViolence.count, 0),
            target: num(f.citiesWithLessViolence.target, 0),
          })}
        </li>
        <li>
          {t('boardProgress.brief.countries', {
            n: num(f.countriesImproved.count, 0),
            target: num(f.countriesImproved.target, 0),
          })}
        </li>
        <li>
          {t('boardProgress.brief.population', {
            n: num(f.populationConcerned.total, 0),
            target: num(f.populationConcerned.target, 0),
          })}
        </li>
      </ul>
    </>
  );
}
