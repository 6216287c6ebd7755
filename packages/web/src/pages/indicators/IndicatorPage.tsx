import { assessProgress } from '@marsad/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, apiUrl, getJson } from '../../api/client.ts';
import type { DimensionItem, IndicatorDetail } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { SectionBoundary } from '../../components/ErrorBoundary.tsx';
import { ProgressBadge } from '../../components/ProgressBadge.tsx';
import { periodX } from '../../components/period-x.ts';
import { Empty, ErrorMessage, Loading } from '../../components/States.tsx';
import { anySuppressed, SuppressionNote, shownValue, ValueText } from '../../components/SuppressedValue.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { UserText } from '../../components/UserText.tsx';
import { SourceName, type ValueSource } from '../../components/ValueMeta.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { IndicatorMetadata } from './IndicatorMetadata.tsx';
import { pickTarget, resolveTargetValue } from './targets.ts';

const loadLineChart = () => import('../../components/LineChart.tsx');
const LineChart = lazy(() => loadLineChart().then((m) => ({ default: m.LineChart })));
// The world map, or the map of a country's or a city's areas where places with values have shapes.
const IndicatorMaps = lazy(() =>
  import('../../components/IndicatorMaps.tsx').then((m) => ({ default: m.IndicatorMaps })),
);

interface Latest {
  indicator: string;
  series: string;
  unit: string | null;
  items: {
    place: string;
    name: string;
    level: string;
    lat: number | null;
    lon: number | null;
    iso3166Numeric: string | null;
    period: string;
    periodStart: string;
    periodEnd: string;
    value: number | null;
    suppressedBelow: number | null;
    status: string;
  }[];
}

/** GET /api/v1/indicators/:code/data: what the data section shows, asked for as it is shown. */
interface IndicatorData {
  series: string;
  /** The disaggregation shown: the one asked for, else the total, else (no totals) the one with most values. */
  key: string;
  places: { code: string; name: string | null; level: string }[];
  selected: string[];
  points: {
    place: string;
    points: {
      period: string;
      start: string;
      end: string;
      /** null: withheld by the indicator's suppression rule ("fewer than suppressedBelow"). */
      value: number | null;
      status: string;
      suppressedBelow?: number;
      source?: number;
      unit?: string;
      note?: string;
    }[];
  }[];
  sources: ValueSource[];
  pointsTotal: number;
  limit: number;
  truncated: boolean;
}

/** The most values one answer holds (the server's maximum); the page asks for fewer unless told. */
const MAX_POINTS = 20_000;
/** Places offered as check boxes before "show all". */
const PLACES_SHOWN = 30;
/** Rows of the values' table drawn before "show all rows" (the chart shows them all). */
const TABLE_ROWS = 200;

export function IndicatorPage() {
  const { code } = useParams({ from: '/indicators/$code' });
  const { t } = useTranslation();
  const { lang, num, period, text } = usePrefs();
  const tableId = useId();
  const indicator = useQuery({
    queryKey: ['indicator', code, lang],
    queryFn: () => getJson<IndicatorDetail>(`/indicators/${encodeURIComponent(code)}`, { lang }),
  });
  const [seriesChoice, setSeries] = useState<string | null>(null);
  const defaultSeries = indicator.data?.series.find((s) => s.default)?.code ?? indicator.data?.series[0]?.code ?? null;
  const dimensions = useQuery({
    queryKey: ['dimensions', lang],
    queryFn: () => getJson<{ items: DimensionItem[] }>('/dimensions', { lang }),
  });
  // null: the server's choice (the totals, or for an indicator without totals its largest disaggregation).
  const [disaggChoice, setDisagg] = useState<string | null>(null);
  // null: the places the server chooses (those with most values); [] the reader unticked them all.
  const [chosenPlaces, setChosenPlaces] = useState<string[] | null>(null);
  // undefined: the server's default; raised when the reader asks for all values of the places chosen.
  const [pointLimit, setPointLimit] = useState<number | undefined>(undefined);
  const [allPlaces, setAllPlaces] = useState(false);
  const [allRows, setAllRows] = useState(false);
  // The page asks for the places and the disaggregation it shows, never for the first rows of the indicator.
  const observations = useQuery({
    // Asked for with the indicator itself, not after it: without a series chosen, the server takes the default one.
    queryKey: ['indicator-data', code, seriesChoice, disaggChoice, chosenPlaces, pointLimit, lang],
    enabled: chosenPlaces?.length !== 0,
    placeholderData: keepPreviousData,
    queryFn: () =>
      getJson<IndicatorData>(`/indicators/${encodeURIComponent(code)}/data`, {
        series: seriesChoice ?? undefined,
        dim: disaggChoice ? disaggChoice.split('|') : undefined,
        place: chosenPlaces ?? undefined,
        limit: pointLimit,
        lang,
      }),
  });
  // The last answer stays on screen while the next loads, and when every place is unticked.
  const lastData = useRef<IndicatorData | undefined>(undefined);
  const ofSeries = (d: IndicatorData | undefined) =>
    d && (seriesChoice === null || d.series === seriesChoice) ? d : undefined;
  if (ofSeries(observations.data)) lastData.current = observations.data;
  const data = ofSeries(lastData.current);
  const series = seriesChoice ?? data?.series ?? defaultSeries;
  // The chart's code (ECharts) loads while the values do, once the title is there, not after them.
  const titled = !!indicator.data;
  const [chartCode, setChartCode] = useState(false);
  useEffect(() => {
    if (!titled) return;
    let live = true;
    const done = () => live && setChartCode(true);
    void Promise.all([loadLineChart(), import('../../components/echarts-setup.ts')]).then(done, done);
    return () => {
      live = false;
    };
  }, [titled]);
  // What reads the whole series (the disaggregations' counts, the map's latest values) waits for the chart's
  // values and code: on a server whose database shares its thread (PGlite) it would hold them back.
  const afterChart = !!data && chartCode;
  const disagg = disaggChoice ?? data?.key ?? '';
  // The disaggregations with their counts read the whole series: asked for once the first chart is there.
  const breakdowns = useQuery({
    queryKey: ['indicator-breakdowns', code, series],
    enabled: !!series && afterChart,
    queryFn: () =>
      getJson<{ disaggregations: { key: string }[] }>(`/indicators/${encodeURIComponent(code)}/breakdowns`, {
        series: series!,
      }),
  });
  const disaggs = breakdowns.data?.disaggregations.map((d) => d.key) ?? (data ? [disagg] : []);
  const placesWithData = data?.places.map((p) => p.code) ?? [];
  const selected = chosenPlaces ?? data?.selected ?? [];
  const shown = (chosenPlaces?.length === 0 ? [] : (data?.points ?? [])).flatMap((s) =>
    s.points.map((x) => ({
      ...x,
      place: s.place,
      periodStart: x.start,
      periodEnd: x.end,
      suppressedBelow: x.suppressedBelow ?? null,
      source: x.source !== undefined ? (data?.sources[x.source] ?? null) : null,
      unit: x.unit ?? null,
      note: x.note ?? null,
    })),
  );
  const latest = useQuery({
    queryKey: ['latest', code, series, disagg, lang],
    // After the chart's values: the map is further down, and its latest values read the series.
    enabled: !!series && afterChart,
    queryFn: () =>
      getJson<Latest>(`/indicators/${encodeURIComponent(code)}/latest`, {
        series: series!,
        lang,
        dim: disagg ? disagg.split('|') : undefined,
      }),
  });

  if (indicator.error instanceof ApiError && indicator.error.status === 404) return <NotFoundPage what={code} />;
  if (indicator.isPending) return <Loading />;
  if (indicator.error) return <ErrorMessage error={indicator.error} />;
  const ind = indicator.data;
  const placeName = (c: string) => data?.places.find((x) => x.code === c)?.name ?? c;
  const dimLabel = (key: string) => {
    if (!key) return t('indicator.total');
    return key
      .split('|')
      .map((part) => {
        const [d, v] = part.split(':') as [string, string];
        const dim = dimensions.data?.items.find((x) => x.code === d);
        const val = dim?.values.find((x) => x.code === v);
        return `${dim ? text(dim.names).text : d}: ${val ? text(val.names).text : v}`;
      })
      .join(', ');
  };
  const seriesInfo = ind.series.find((s) => s.code === series);
  const unit = seriesInfo?.unit ?? ind.unit?.code ?? '';
  /** A unit's name: the indicator's, else the series' (its publisher's names for it), else its code. */
  const unitName = (u: string) =>
    ind.unit && u === ind.unit.code
      ? (ind.unit.name ?? u)
      : (seriesInfo && u === seriesInfo.unit && seriesInfo.unitName) || u;
  const unitLabel = unit && unitName(unit);
  const rows = shown
    .filter((o) => selected.includes(o.place))
    .sort((a, b) => a.place.localeCompare(b.place) || a.periodStart.localeCompare(b.periodStart));
  const chartSeries = selected.map((p) => ({
    name: placeName(p),
    // A value withheld to protect privacy is left out of the chart; the table shows "fewer than N".
    points: rows
      .filter((o) => o.place === p)
      .filter(shownValue)
      .map((o) => ({ x: periodX(o.periodStart, o.periodEnd), value: o.value, label: period(o.period) })),
  }));
  const progressRows = selected.map((p) => {
    const target = pickTarget(ind.targets, series, p);
    const points = shown
      .filter((o) => o.place === p)
      .filter(shownValue)
      .map((o) => ({ start: o.periodStart, end: o.periodEnd, value: o.value }));
    return {
      place: p,
      target,
      result: assessProgress(
        points,
        ind.direction,
        target
          ? {
              year: target.year,
              value: target.value,
              relativeChange: target.relativeChange,
              baselineYear: target.baselineYear,
            }
          : null,
      ),
    };
  });
  // The target line: when every place shown has the same target value (a single place, or an
  // indicator-wide numeric target); relative targets differ from place to place.
  const chartTarget = (() => {
    const resolved = progressRows.map((r) =>
      r.target ? { year: r.target.year, value: resolveTargetValue(r.target, r.result.baseline?.value ?? null) } : null,
    );
    const first = resolved[0];
    if (!first || first.value === null || resolved.some((x) => !x || x.value !== first.value || x.year !== first.year))
      return null;
    return { value: first.value, year: first.year, label: t('indicator.targetLine', { year: first.year }) };
  })();
  const exportParams = {
    indicator: code,
    series: series ?? undefined,
    place: selected,
    dim: disagg ? disagg.split('|') : undefined,
    total: disagg ? undefined : true,
  };
  const title = text(ind.names);

  return (
    <article>
      <Breadcrumbs
        items={[
          { to: '/', label: t('nav.home') },
          { to: '/indicators', label: t('nav.indicators') },
          { label: <bdi dir="ltr">{ind.code}</bdi> },
        ]}
      />
      <h1>
        {/* A code reads left to right in every language ('4.a.1', not 'a.1.4' in Arabic). */}
        <bdi dir="ltr">{ind.code}</bdi> <UserText names={ind.names} />
      </h1>
      <p>
        {ind.status !== 'active' && <span className="tag warn">{t(`indicatorStatus.${ind.status}`)}</span>}
        {ind.local && <span className="tag">{t('indicators.local')}</span>}
        {ind.reviewNeeded && <span className="tag">{t('common.reviewNeeded')}</span>}
      </p>
      <dl className="card">
        {ind.definition && (
          <>
            <dt>
              <strong>{t('indicator.definition')}</strong>
            </dt>
            <dd>
              <UserText names={ind.definitions} fallbackText={ind.definition} />
            </dd>
          </>
        )}
        <dt>
          <strong>{t('indicator.unit')}</strong>
        </dt>
        <dd>
          <bdi>{unitLabel || '—'}</bdi>
        </dd>
        <dt>
          <strong>{t('indicator.direction')}</strong>
        </dt>
        <dd>{t(`direction.${ind.direction}`)}</dd>
        {ind.sdgTarget && (
          <>
            <dt>
              <strong>{t('indicator.sdgTarget')}</strong>
            </dt>
            <dd>
              <bdi dir="ltr">{ind.sdgTarget}</bdi>
            </dd>
          </>
        )}
        <dt>
          <strong>{t('indicator.frameworks')}</strong>
        </dt>
        <dd>
          {ind.frameworks.map((f) => (
            <span key={f.code} className="tag">
              {f.name ?? f.code}
              {f.groupName ? ` — ${f.groupName}` : ''}
            </span>
          ))}
        </dd>
        {ind.source && (
          <>
            <dt>
              <strong>{t('indicator.catalogueSource')}</strong>
            </dt>
            <dd dir="auto">
              {ind.source.name}
              {ind.source.licence ? ` (${ind.source.licence})` : ''}
            </dd>
          </>
        )}
      </dl>

      <h2>{t('indicator.data')}</h2>
      <SectionBoundary>
        <div className="row no-print">
          {ind.series.length > 1 && (
            <label>
              {t('indicator.series')}{' '}
              <select
                value={series ?? ''}
                onChange={(e) => {
                  setSeries(e.target.value);
                  setDisagg(null);
                  setChosenPlaces(null);
                  setPointLimit(undefined);
                }}
              >
                {ind.series.map((s) => (
                  <option key={s.code} value={s.code}>
                    {text(s.names).text || s.code}
                    {s.code !== (text(s.names).text || s.code) ? ` (${s.code})` : ''}
                  </option>
                ))}
              </select>
            </label>
          )}
          {disaggs.length > 1 && (
            <label>
              {t('indicator.disaggregation')}{' '}
              <select
                value={disagg}
                onChange={(e) => {
                  setDisagg(e.target.value);
                  setChosenPlaces(null);
                  setPointLimit(undefined);
                }}
              >
                {disaggs.map((d) => (
                  <option key={d} value={d}>
                    {dimLabel(d)}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        {!data && observations.error ? (
          <ErrorMessage error={observations.error} />
        ) : !data ? (
          <Loading />
        ) : placesWithData.length === 0 ? (
          <Empty>{t('indicator.noData')}</Empty>
        ) : (
          <>
            <fieldset className="no-print">
              <legend>{t('indicator.places')}</legend>
              <div className="checks">
                {(allPlaces
                  ? placesWithData
                  : placesWithData.filter((p, i) => i < PLACES_SHOWN || selected.includes(p))
                ).map((p) => (
                  <label key={p}>
                    <input
                      type="checkbox"
                      checked={selected.includes(p)}
                      onChange={(e) => {
                        setChosenPlaces(e.target.checked ? [...selected, p] : selected.filter((x) => x !== p));
                        setPointLimit(undefined);
                      }}
                    />{' '}
                    <span dir="auto">{placeName(p)}</span>
                  </label>
                ))}
              </div>
              {!allPlaces && placesWithData.length > PLACES_SHOWN && (
                <button type="button" className="secondary" onClick={() => setAllPlaces(true)}>
                  {t('indicator.allPlaces', { n: num(placesWithData.length, 0) })}
                </button>
              )}
            </fieldset>
            {observations.error && <ErrorMessage error={observations.error} />}
            {data.truncated && selected.length > 0 && (
              <p className="notice" role="status">
                {t('indicator.limited', {
                  shown: num(data.limit, 0),
                  total: num(data.pointsTotal, 0),
                })}{' '}
                {data.limit < MAX_POINTS ? (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => setPointLimit(Math.min(MAX_POINTS, data.pointsTotal))}
                  >
                    {data.pointsTotal <= MAX_POINTS
                      ? t('indicator.showAllValues', { n: num(data.pointsTotal, 0) })
                      : t('indicator.showMoreValues', { n: num(MAX_POINTS, 0) })}
                  </button>
                ) : (
                  t('indicator.limitedDownload')
                )}
              </p>
            )}
            {selected.length === 0 ? (
              <Empty>{t('indicator.choosePlace')}</Empty>
            ) : (
              <>
                <Suspense fallback={<Loading />}>
                  <LineChart
                    series={chartSeries}
                    target={chartTarget}
                    unit={unitLabel}
                    describedBy={tableId}
                    title={t('indicator.chartTitle', {
                      indicator: `${ind.code} ${title.text}`,
                      places: selected.map(placeName).join('، '),
                    })}
                  />
                </Suspense>
                <h3>{t('progress.title')}</h3>
                <ul className="results">
                  {progressRows.map((r) => (
                    <li key={r.place}>
                      <span dir="auto">{placeName(r.place)}</span>: <ProgressBadge result={r.result} />{' '}
                      <span className="small muted">
                        {r.result.baseline &&
                          r.result.latest &&
                          t('progress.span', {
                            from: period(
                              r.result.baseline.start?.slice(0, 4) ?? String(Math.floor(r.result.baseline.year)),
                            ),
                            to: period(r.result.latest.end?.slice(0, 4) ?? String(Math.floor(r.result.latest.year))),
                          })}
                        {r.target && (
                          <>
                            {' '}
                            ·{' '}
                            {t('progress.target', {
                              year: num(r.target.year, 0).replace(/[,٬]/g, ''),
                              value:
                                r.target.value !== null
                                  ? num(r.target.value)
                                  : t('progress.relative', {
                                      pct: num(Math.round((r.target.relativeChange ?? 0) * 100), 0),
                                      base: r.target.baselineYear ? period(String(r.target.baselineYear)) : '',
                                    }),
                            })}
                          </>
                        )}
                      </span>
                    </li>
                  ))}
                </ul>
                <details className="small">
                  <summary>{t('progress.method')}</summary>
                  <p>{t('progress.methodText')}</p>
                </details>
                <TableScroll>
                  <table className="data" id={tableId}>
                    <caption>{t('indicator.tableCaption', { disaggregation: dimLabel(disagg) })}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('table.place')}</th>
                        <th scope="col">{t('table.period')}</th>
                        <th scope="col">{t('table.value')}</th>
                        <th scope="col">{t('table.unit')}</th>
                        <th scope="col">{t('table.status')}</th>
                        <th scope="col">{t('table.source')}</th>
                        <th scope="col">{t('table.note')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {(allRows ? rows : rows.slice(0, TABLE_ROWS)).map((o) => (
                        <tr key={`${o.place}-${o.period}`}>
                          <th scope="row" dir="auto">
                            {placeName(o.place)}
                          </th>
                          <td>{period(o.period)}</td>
                          <td className="num" data-value={o.value ?? undefined}>
                            <ValueText value={o.value} suppressedBelow={o.suppressedBelow} />
                          </td>
                          <td>
                            <bdi>{o.unit ? unitName(o.unit) : unitLabel}</bdi>
                          </td>
                          <td>{t(`status.${o.status}`)}</td>
                          <td dir="auto">
                            {o.source ? (
                              <>
                                <SourceName source={o.source} />
                                {o.source.licence ? ` (${o.source.licence})` : ''}
                                {o.source.synthetic && (
                                  <>
                                    {' '}
                                    <span className="tag warn">{t('common.synthetic')}</span>
                                  </>
                                )}
                              </>
                            ) : (
                              '—'
                            )}
                          </td>
                          <td dir="auto">{o.note ?? ''}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
                {!allRows && rows.length > TABLE_ROWS && (
                  <p className="no-print">
                    {t('indicator.tableLimited', { shown: num(TABLE_ROWS, 0), total: num(rows.length, 0) })}{' '}
                    <button type="button" className="secondary" onClick={() => setAllRows(true)}>
                      {t('indicator.showAllRows', { n: num(rows.length, 0) })}
                    </button>
                  </p>
                )}
                {anySuppressed(rows) && <SuppressionNote />}
                <p className="no-print">
                  {t('indicator.download')}{' '}
                  <a href={apiUrl('/observations/export', { ...exportParams, format: 'csv' })} download>
                    CSV
                  </a>{' '}
                  ·{' '}
                  <a href={apiUrl('/observations/export', { ...exportParams, format: 'sdmx-csv' })} download>
                    SDMX-CSV
                  </a>{' '}
                  ·{' '}
                  <a href={apiUrl('/observations/export', { ...exportParams, format: 'sdmx-json' })} download>
                    SDMX-JSON
                  </a>
                </p>
              </>
            )}
          </>
        )}
      </SectionBoundary>

      <h2>{t('indicator.map')}</h2>
      <SectionBoundary>
        {latest.isPending ? (
          <Loading />
        ) : latest.error ? (
          <ErrorMessage error={latest.error} />
        ) : latest.data.items.length === 0 ? (
          <Empty>{t('indicator.noData')}</Empty>
        ) : (
          <Suspense fallback={<Loading />}>
            <IndicatorMaps
              title={t('indicator.mapTitle', { indicator: ind.code })}
              unit={unitLabel}
              items={latest.data.items.filter(shownValue).map((i) => ({
                place: i.place,
                name: i.name,
                level: i.level,
                lat: i.lat,
                lon: i.lon,
                iso3166Numeric: i.iso3166Numeric,
                value: i.value,
                period: i.period,
              }))}
            />
            <details>
              <summary>{t('indicator.mapTable')}</summary>
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">{t('table.place')}</th>
                    <th scope="col">{t('table.period')}</th>
                    <th scope="col">{t('table.value')}</th>
                  </tr>
                </thead>
                <tbody>
                  {latest.data.items.map((i) => (
                    <tr key={i.place}>
                      <th scope="row">
                        <Link to="/places/$code" params={{ code: i.place }}>
                          <span dir="auto">{i.name}</span>
                        </Link>
                      </th>
                      <td>{period(i.period)}</td>
                      <td className="num">
                        <ValueText value={i.value} suppressedBelow={i.suppressedBelow} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {anySuppressed(latest.data.items) && <SuppressionNote />}
            </details>
          </Suspense>
        )}
      </SectionBoundary>
      <SectionBoundary>
        <IndicatorMetadata code={ind.code} />
      </SectionBoundary>
    </article>
  );
}
