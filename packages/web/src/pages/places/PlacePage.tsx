import type { Direction, ProgressResult } from '@marsad/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { lazy, Suspense, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../api/client.ts';
import type { Names, PlaceDetail } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { SectionBoundary } from '../../components/ErrorBoundary.tsx';
import { PdfButton } from '../../components/PdfButton.tsx';
import { ProgressBadge } from '../../components/ProgressBadge.tsx';
import { periodX } from '../../components/period-x.ts';
import { Sparkline } from '../../components/Sparkline.tsx';
import { Empty, ErrorMessage, Loading } from '../../components/States.tsx';
import { anySuppressed, SuppressionNote, shownValue, ValueText } from '../../components/SuppressedValue.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { UserText } from '../../components/UserText.tsx';
import { SourceText, StatusLabel } from '../../components/ValueMeta.tsx';
import { Pager } from '../admin/Pager.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { SafetyProfileSummary } from '../safety/profile/SafetyProfileSummary.tsx';
import { SafetyAssessmentLink } from '../safety/SafetyAssessmentLink.tsx';

const LineChart = lazy(() => import('../../components/LineChart.tsx').then((m) => ({ default: m.LineChart })));
const PlaceAreasMap = lazy(() =>
  import('../../components/PlaceAreasMap.tsx').then((m) => ({ default: m.PlaceAreasMap })),
);

/** Entries (indicator, series) per page of the summary (the API gives at most 200). */
const ENTRIES_PER_PAGE = 50;

/** GET /api/v1/places/:code/summary: one page of the place's entries (indicator, series). */
interface Summary {
  /** Entries in all; the answer holds `limit` of them from `offset`. */
  indicatorsTotal: number;
  limit: number;
  offset: number;
  /** The latest period of the totals at the place, over every entry (not only this page's). */
  latestPeriod: string | null;
  place: {
    code: string;
    name: string | null;
    names: Names;
    level: string;
    pilot: boolean;
    parent: { code: string; name: string | null; level: string } | null;
    country: { code: string; name: string | null } | null;
  };
  indicators: {
    indicator: {
      code: string;
      name: string | null;
      unit: { code: string; name: string | null } | null;
      direction: Direction;
      status: string;
      frameworks: string[];
    };
    series: { code: string; name: string | null };
    // value null: withheld by the indicator's suppression rule ("fewer than suppressedBelow").
    points: {
      period: string;
      periodStart: string;
      periodEnd: string;
      value: number | null;
      suppressedBelow: number | null;
      status: string;
    }[];
    /** The latest values only when `pointsTruncated`: `pointsTotal` in all, on the indicator page. */
    pointsTotal: number;
    pointsTruncated: boolean;
    /** Progress over the whole series (its class and method). */
    progress: Pick<ProgressResult, 'class' | 'method'>;
    // null when the place has only broken-down values of the series (no total row).
    latest: {
      period: string;
      value: number | null;
      suppressedBelow: number | null;
      status: string;
      source: { name: string; names?: Record<string, string>; licence: string | null; synthetic: boolean } | null;
    } | null;
    brokenDownValues?: number;
    target: { year: number; value: number | null; relativeChange: number | null; baselineYear: number | null } | null;
    country: { place: string; period: string; value: number | null; suppressedBelow: number | null } | null;
    pilotGroup: { count: number; median: number; min: number; max: number } | null;
  }[];
}

/** A city's or a country's page: every indicator with data, next to the country and the pilot group — no ranks. */
export function PlacePage() {
  const { code } = useParams({ from: '/places/$code' });
  const { t } = useTranslation();
  const { lang, num, period, date } = usePrefs();
  const chartTableId = useId();
  const [chartChoice, setChartChoice] = useState<string | null>(null);
  // The page of entries shown, for this place (another place starts at its first page).
  const [paging, setPaging] = useState({ code, offset: 0 });
  const offset = paging.code === code ? paging.offset : 0;
  // The moment the page was made: printed with the latest period of its data.
  const generatedAt = useMemo(() => new Date().toISOString(), []);
  const place = useQuery({
    queryKey: ['place', code, lang],
    queryFn: () => getJson<PlaceDetail>(`/places/${encodeURIComponent(code)}`, { lang }),
  });
  const summary = useQuery({
    queryKey: ['place-summary', code, lang, offset],
    queryFn: () =>
      getJson<Summary>(`/places/${encodeURIComponent(code)}/summary`, { lang, limit: ENTRIES_PER_PAGE, offset }),
    // The page shown stays while the next one loads.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === code ? previous : undefined),
  });
  if (place.error instanceof ApiError && place.error.status === 404) return <NotFoundPage what={code} />;
  if (place.isPending) return <Loading />;
  if (place.error) return <ErrorMessage error={place.error} />;
  const p = place.data;
  const synthetic = summary.data?.indicators.some((i) => i.latest?.source?.synthetic);
  const rows = summary.data?.indicators ?? [];
  const rowKey = (row: Summary['indicators'][number]) => `${row.indicator.code}|${row.series.code}`;
  // The latest period of the place's data (over every page): the one ending last.
  const latestPeriod = summary.data?.latestPeriod ?? null;
  // The chart: the chosen indicator, else the first with most values shown.
  // Only indicators with totals here can be charted (some have only broken-down values).
  const chartRows = rows.filter((r) => r.points.length > 0);
  const chartRow =
    chartRows.find((r) => rowKey(r) === chartChoice) ??
    [...chartRows].sort((a, b) => b.points.filter(shownValue).length - a.points.filter(shownValue).length)[0];
  const placeName = p.name ?? p.code;
  const chartIndicator = chartRow ? `${chartRow.indicator.code} ${chartRow.indicator.name ?? ''}`.trim() : '';
  const chartUnit = chartRow?.indicator.unit ? (chartRow.indicator.unit.name ?? chartRow.indicator.unit.code) : '';
  return (
    <article>
      <Breadcrumbs
        items={[
          { to: '/', label: t('nav.home') },
          { to: '/places', label: t('nav.places') },
          ...p.ancestors.map((a) => ({
            to: '/places/$code',
            params: { code: a.code },
            label: <span dir="auto">{a.name ?? a.code}</span>,
          })),
          { label: <UserText names={p.names} /> },
        ]}
      />
      <h1>
        <UserText names={p.names} />
      </h1>
      <p className="muted">
        {p.levelName ? <span dir="auto">{p.levelName}</span> : t(`level.${p.level}`)}
        {p.pilot && (
          <>
            {' '}
            · <span className="tag">{t('places.pilotTag')}</span>
          </>
        )}
        {p.codes.unlocode && <> · UN/LOCODE {p.codes.unlocode}</>}
        {p.codes.iso3166_alpha2 && (
          <>
            {' '}
            · ISO 3166 {p.code} / {p.codes.iso3166_alpha2}
          </>
        )}
      </p>
      <p className="small data-date">
        {latestPeriod
          ? t('places.dataDate', { period: period(latestPeriod), date: date(generatedAt) })
          : t('places.generated', { date: date(generatedAt) })}
      </p>
      <p className="no-print">
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t('places.print')}
        </button>{' '}
        <PdfButton page={`/places/${p.code}`} />{' '}
        <Link to="/compare" search={{ places: code }}>
          {t('places.compareWith')}
        </Link>
        {p.level === 'country' && (
          <>
            {' · '}
            <Link to="/places/$code/report" params={{ code: p.code }}>
              {t('places.countryReport')}
            </Link>
          </>
        )}
        {(p.level === 'city' || p.level === 'district') && (
          <>
            {' · '}
            <Link to="/safety/profile" search={{ place: p.code }}>
              {t('safetyProfile.link')}
            </Link>
          </>
        )}
      </p>
      <SafetyAssessmentLink place={p.code} />
      {p.children.length > 0 && (
        <p className="small">
          {t('places.children')}:{' '}
          {p.children.map((c, i) => (
            <span key={c.code}>
              {i > 0 && ' · '}
              <Link to="/places/$code" params={{ code: c.code }}>
                <span dir="auto">{c.name ?? c.code}</span>
              </Link>
            </span>
          ))}
        </p>
      )}
      {synthetic && <p className="notice warn">{t('places.syntheticNotice')}</p>}
      <h2>{t('places.indicators')}</h2>
      <p className="small muted">{t('places.noRanks')}</p>
      <SectionBoundary>
        {summary.isPending ? (
          <Loading />
        ) : summary.error ? (
          <ErrorMessage error={summary.error} />
        ) : summary.data.indicators.length === 0 ? (
          <Empty>{t('places.noData')}</Empty>
        ) : (
          <>
            <TableScroll>
              <table className="data place-table">
                <caption className="visually-hidden">{t('places.tableCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('table.indicator')}</th>
                    <th scope="col">{t('table.latest')}</th>
                    <th scope="col">{t('table.period')}</th>
                    <th scope="col">{t('table.status')}</th>
                    <th scope="col">{t('table.source')}</th>
                    <th scope="col">{t('table.trend')}</th>
                    <th scope="col">{t('progress.title')}</th>
                    <th scope="col">{t('table.country')}</th>
                    <th scope="col">{t('table.pilotGroup')}</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.data.indicators.map((row) => {
                    const unit = row.indicator.unit ? (row.indicator.unit.name ?? row.indicator.unit.code) : '';
                    return (
                      <tr key={`${row.indicator.code}-${row.series.code}`}>
                        <th scope="row">
                          <Link to="/indicators/$code" params={{ code: row.indicator.code }}>
                            {row.indicator.code}
                          </Link>{' '}
                          <span dir="auto">{row.indicator.name}</span>
                          {row.series.name &&
                            row.series.name !== row.indicator.name &&
                            row.series.name !== row.indicator.code && (
                              <div className="small muted" dir="auto">
                                {row.series.name}
                              </div>
                            )}
                        </th>
                        {row.latest ? (
                          <>
                            <td className="num">
                              <ValueText
                                value={row.latest.value}
                                suppressedBelow={row.latest.suppressedBelow}
                                digits={3}
                              />
                              <div className="small muted unit">{unit}</div>
                            </td>
                            <td>{period(row.latest.period)}</td>
                            <td>
                              <StatusLabel status={row.latest.status} />
                            </td>
                            <td className="small source-cell">
                              <SourceText source={row.latest.source} />
                            </td>
                          </>
                        ) : (
                          <td colSpan={4} className="small">
                            <Link to="/indicators/$code" params={{ code: row.indicator.code }}>
                              {t('places.brokenDownOnly', {
                                n: num(row.brokenDownValues ?? 0, 0),
                              })}
                            </Link>
                          </td>
                        )}
                        <td>
                          <Sparkline values={row.points.filter(shownValue).map((x) => x.value)} />
                        </td>
                        <td>
                          <ProgressBadge result={row.progress} />
                        </td>
                        <td className="num">
                          {row.country ? (
                            <>
                              <ValueText
                                value={row.country.value}
                                suppressedBelow={row.country.suppressedBelow}
                                digits={3}
                              />{' '}
                              <span className="small muted">({period(row.country.period)})</span>
                            </>
                          ) : (
                            '—'
                          )}
                        </td>
                        <td className="num">
                          {row.pilotGroup ? (
                            <>
                              {t('places.median', { value: num(row.pilotGroup.median, 3) })}
                              <div className="small muted">
                                {t('places.range', {
                                  min: num(row.pilotGroup.min, 3),
                                  max: num(row.pilotGroup.max, 3),
                                  n: num(row.pilotGroup.count, 0),
                                })}
                              </div>
                            </>
                          ) : (
                            '—'
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableScroll>
            <Pager
              total={summary.data.indicatorsTotal}
              limit={summary.data.limit}
              offset={summary.data.offset}
              onOffset={(o) => setPaging({ code, offset: o })}
            />
            {summary.data.indicators.some((i) =>
              anySuppressed([...(i.latest ? [i.latest] : []), ...(i.country ? [i.country] : [])]),
            ) && <SuppressionNote />}
            {chartRow && (
              <SectionBoundary>
                <section className="place-chart" aria-labelledby={`${chartTableId}-h`}>
                  <h2 id={`${chartTableId}-h`}>{t('places.chartHeading')}</h2>
                  <p className="no-print">
                    <label>
                      {t('places.chartIndicator')}{' '}
                      <select value={rowKey(chartRow)} onChange={(e) => setChartChoice(e.target.value)}>
                        {chartRows.map((r) => (
                          <option key={rowKey(r)} value={rowKey(r)}>
                            {r.indicator.code}{' '}
                            {r.series.name && r.series.name !== r.indicator.name
                              ? `${r.indicator.name ?? ''} — ${r.series.name}`
                              : r.indicator.name}
                          </option>
                        ))}
                      </select>
                    </label>
                  </p>
                  <h3 dir="auto">{chartIndicator}</h3>
                  {chartRow.pointsTruncated && (
                    <p className="small notice">
                      {t('places.pointsCut', {
                        shown: num(chartRow.points.length, 0),
                        total: num(chartRow.pointsTotal, 0),
                      })}{' '}
                      <Link to="/indicators/$code" params={{ code: chartRow.indicator.code }}>
                        {t('places.allValues')}
                      </Link>
                    </p>
                  )}
                  <Suspense fallback={<Loading />}>
                    <LineChart
                      unit={chartUnit}
                      describedBy={chartTableId}
                      title={t('places.chartTitle', { indicator: chartIndicator, place: placeName })}
                      series={[
                        {
                          name: placeName,
                          points: chartRow.points.filter(shownValue).map((x) => ({
                            x: periodX(x.periodStart, x.periodEnd),
                            value: x.value,
                            label: period(x.period),
                          })),
                        },
                      ]}
                    />
                  </Suspense>
                  <TableScroll>
                    <table className="data compact" id={chartTableId}>
                      <caption>
                        {t('places.chartTableCaption', { indicator: chartIndicator, place: placeName })}
                      </caption>
                      <thead>
                        <tr>
                          <th scope="col">{t('table.period')}</th>
                          <th scope="col">{t('table.value')}</th>
                          <th scope="col">{t('table.status')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {chartRow.points.map((x) => (
                          <tr key={x.period}>
                            <th scope="row">{period(x.period)}</th>
                            <td className="num">
                              <ValueText value={x.value} suppressedBelow={x.suppressedBelow} digits={3} />{' '}
                              <span className="small muted">{chartUnit}</span>
                            </td>
                            <td>
                              <StatusLabel status={x.status} />
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableScroll>
                </section>
              </SectionBoundary>
            )}
          </>
        )}
      </SectionBoundary>
      {(p.areasWithShapes ?? 0) > 0 && (
        <SectionBoundary>
          <Suspense fallback={<Loading />}>
            <PlaceAreasMap place={p.code} placeName={placeName} />
          </Suspense>
        </SectionBoundary>
      )}
      {(p.level === 'city' || p.level === 'district') && (
        <SectionBoundary>
          <SafetyProfileSummary code={p.code} />
        </SectionBoundary>
      )}
    </article>
  );
}
