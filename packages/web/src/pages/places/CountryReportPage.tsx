import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { lazy, Suspense, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../api/client.ts';
import type { Names } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { SectionBoundary } from '../../components/ErrorBoundary.tsx';
import { PdfButton } from '../../components/PdfButton.tsx';
import { Empty, ErrorMessage, Loading } from '../../components/States.tsx';
import { anySuppressed, SuppressionNote, shownValue, ValueText } from '../../components/SuppressedValue.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { UserText } from '../../components/UserText.tsx';
import { SourceText, StatusLabel, type ValueSource } from '../../components/ValueMeta.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { kindLabel } from '../reviews/review-api.ts';

const BarChart = lazy(() => import('../../components/BarChart.tsx').then((m) => ({ default: m.BarChart })));

/** A latest value: null with `suppressedBelow` when withheld from this reader ("fewer than N"). */
interface Value {
  period: string;
  periodEnd: string;
  value: number | null;
  suppressedBelow: number | null;
  status: string;
  source: ValueSource | null;
}

/** GET /api/v1/places/:code/report */
interface CountryReport {
  place: { code: string; level: string; name: string | null; names: Names };
  generatedAt: string;
  latestPeriod: { period: string; periodEnd: string } | null;
  /** Cities with values; each is listed up to a limit ("all"), above it only the pilot cities ("pilot"). */
  citiesWithValues: number;
  citiesListed: 'all' | 'pilot';
  cities: { code: string; name: string | null; names: Names; pilot: boolean }[];
  indicators: {
    indicator: { code: string; name: string | null; unit: { code: string; name: string | null } | null };
    series: { code: string; name: string | null; default: boolean };
    national: Value | null;
    citiesWithValues: number;
    /** Over the values shown of every city (not only those listed). */
    spread: {
      n: number;
      min: number;
      median: number;
      max: number;
      earliestPeriod: string;
      latestPeriod: string;
    } | null;
    cities: (Value & { place: string })[];
  }[];
  programmes: {
    code: string;
    name: string | null;
    names: Names;
    startYear: number;
    endYear: number;
    demonstration: boolean;
    places: { code: string; name: string | null; level: string; role: string; sinceYear: number | null }[];
  }[];
  reviews: {
    id: number;
    demonstration: boolean;
    publishedAt: string;
    cycle: { kind: string; title: string | null };
    place: { code: string; name: string | null };
  }[];
}
type Row = CountryReport['indicators'][number];

/** An indicator's code (a link to its page) and name, with its series' name where that says more. */
function IndicatorName({ row }: { row: Row }) {
  return (
    <>
      <Link to="/indicators/$code" params={{ code: row.indicator.code }}>
        {row.indicator.code}
      </Link>{' '}
      <span dir="auto">{row.indicator.name}</span>
      {row.series.name && row.series.name !== row.indicator.name && row.series.name !== row.indicator.code && (
        <div className="small muted" dir="auto">
          {row.series.name}
        </div>
      )}
    </>
  );
}

function roleLabel(t: TFunction, role: string): string {
  switch (role) {
    case 'pilot':
      return t('programmes.role.pilot');
    case 'participating':
      return t('programmes.role.participating');
    case 'supporting':
      return t('programmes.role.supporting');
    default:
      return role;
  }
}

/**
 * The country report (issue 7 item 5): the national value of each indicator, the latest values
 * of the cities with their status and source, a chart of the cities on one indicator, the
 * programmes and the published reviews of the country's places, and the date of the data.
 * Printed by the browser or as a PDF made by the server from this page. No ranks.
 */
export function CountryReportPage() {
  const { code } = useParams({ from: '/places/$code/report' });
  const { t } = useTranslation();
  const { lang, period, date, num } = usePrefs();
  const chartTableId = useId();
  const [chartChoice, setChartChoice] = useState<string | null>(null);
  const report = useQuery({
    queryKey: ['country-report', code, lang],
    retry: false,
    queryFn: () => getJson<CountryReport>(`/places/${encodeURIComponent(code)}/report`, { lang }),
  });
  if (report.error instanceof ApiError && report.error.status === 404) return <NotFoundPage what={code} />;
  if (report.isPending) return <Loading />;
  if (report.error instanceof ApiError && report.error.status === 400) {
    return (
      <article>
        <h1>{t('places.countryReport')}</h1>
        <p className="notice">
          {t('countryReport.notCountry')}{' '}
          <Link to="/places/$code" params={{ code }}>
            {code}
          </Link>
        </p>
      </article>
    );
  }
  if (report.error) return <ErrorMessage error={report.error} />;
  const r = report.data;
  const countryName = r.place.name ?? r.place.code;
  const cityName = (c: string) => r.cities.find((x) => x.code === c)?.name ?? c;
  const rowKey = (row: Row) => `${row.indicator.code}|${row.series.code}`;
  const rowLabel = (row: Row) =>
    `${row.indicator.code} ${row.series.name && row.series.name !== row.indicator.name && row.series.name !== row.indicator.code ? `${row.indicator.name ?? ''} — ${row.series.name}` : (row.indicator.name ?? '')}`.trim();
  const unitOf = (row: Row) => (row.indicator.unit ? (row.indicator.unit.name ?? row.indicator.unit.code) : '');
  const withCities = r.indicators.filter((i) => i.cities.length > 0);
  // The spread says more than the list where more cities have values than are listed, or than two.
  const spreads = r.indicators.filter((i) => i.spread && (i.spread.n > 2 || i.citiesWithValues > i.cities.length));
  const national = r.indicators.filter((i) => i.national);
  const values = r.indicators.flatMap((i) => [...(i.national ? [i.national] : []), ...i.cities]);
  const synthetic = values.some((v) => v.source?.synthetic);
  // The chart: the chosen indicator, else the first with a value shown for a city.
  const chartable = r.indicators.filter((i) => i.cities.some(shownValue));
  const chartRow = chartable.find((i) => rowKey(i) === chartChoice) ?? chartable[0];
  const chartBars = chartRow
    ? [
        ...(chartRow.national && shownValue(chartRow.national)
          ? [{ label: countryName, value: chartRow.national.value, period: chartRow.national.period, highlight: true }]
          : []),
        ...chartRow.cities
          .filter(shownValue)
          .map((c) => ({ label: cityName(c.place), value: c.value, period: c.period, highlight: false })),
      ]
    : [];
  const chartIndicator = chartRow ? rowLabel(chartRow) : '';

  return (
    <article className="country-report">
      <Breadcrumbs
        items={[
          { to: '/', label: t('nav.home') },
          { to: '/places', label: t('nav.places') },
          { to: '/places/$code', params: { code: r.place.code }, label: <UserText names={r.place.names} /> },
          { label: t('places.countryReport') },
        ]}
      />
      <h1>{t('countryReport.title', { country: countryName })}</h1>
      <p className="muted">{t('countryReport.intro')}</p>
      <p className="small data-date">
        {r.latestPeriod
          ? t('places.dataDate', { period: period(r.latestPeriod.period), date: date(r.generatedAt) })
          : t('places.generated', { date: date(r.generatedAt) })}
      </p>
      <p className="no-print">
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t('places.print')}
        </button>{' '}
        <PdfButton page={`/places/${r.place.code}/report`} />{' '}
        <Link to="/places/$code" params={{ code: r.place.code }}>
          <UserText names={r.place.names} />
        </Link>
      </p>
      {synthetic && <p className="notice warn">{t('places.syntheticNotice')}</p>}

      <h2>{t('countryReport.national')}</h2>
      <SectionBoundary>
        {national.length === 0 ? (
          <Empty>{r.indicators.length ? t('countryReport.nationalNone') : t('countryReport.noData')}</Empty>
        ) : (
          <TableScroll>
            <table className="data national-values">
              <caption className="visually-hidden">{t('countryReport.nationalCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('table.indicator')}</th>
                  <th scope="col">{t('table.value')}</th>
                  <th scope="col">{t('table.period')}</th>
                  <th scope="col">{t('table.status')}</th>
                  <th scope="col">{t('table.source')}</th>
                </tr>
              </thead>
              <tbody>
                {national.map((row) => (
                  <tr key={rowKey(row)}>
                    <th scope="row">
                      <IndicatorName row={row} />
                    </th>
                    <td className="num">
                      <ValueText
                        value={row.national!.value}
                        suppressedBelow={row.national!.suppressedBelow}
                        digits={3}
                      />{' '}
                      <div className="small muted unit">{unitOf(row)}</div>
                    </td>
                    <td>{period(row.national!.period)}</td>
                    <td>
                      <StatusLabel status={row.national!.status} />
                    </td>
                    <td className="small source-cell">
                      <SourceText source={row.national!.source} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </SectionBoundary>

      <h2>{t('countryReport.cities')}</h2>
      {r.citiesListed === 'pilot' && withCities.length > 0 && (
        <p className="notice">{t('countryReport.citiesPilotOnly', { count: num(r.citiesWithValues, 0) })}</p>
      )}
      <SectionBoundary>
        {withCities.length === 0 ? (
          <Empty>{r.citiesListed === 'pilot' ? t('countryReport.citiesNoPilot') : t('countryReport.citiesNone')}</Empty>
        ) : (
          <TableScroll>
            <table className="data city-values">
              <caption className="visually-hidden">{t('countryReport.citiesCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('table.indicator')}</th>
                  <th scope="col">{t('table.place')}</th>
                  <th scope="col">{t('table.value')}</th>
                  <th scope="col">{t('table.period')}</th>
                  <th scope="col">{t('table.status')}</th>
                  <th scope="col">{t('table.source')}</th>
                </tr>
              </thead>
              {withCities.map((row) => (
                <tbody key={rowKey(row)}>
                  {row.cities.map((c, i) => (
                    <tr key={c.place}>
                      {i === 0 && (
                        <th scope="rowgroup" rowSpan={row.cities.length}>
                          <IndicatorName row={row} />
                        </th>
                      )}
                      <th scope="row">
                        <Link to="/places/$code" params={{ code: c.place }}>
                          <span dir="auto">{cityName(c.place)}</span>
                        </Link>
                      </th>
                      <td className="num">
                        <ValueText value={c.value} suppressedBelow={c.suppressedBelow} digits={3} />{' '}
                        <div className="small muted unit">{unitOf(row)}</div>
                      </td>
                      <td>{period(c.period)}</td>
                      <td>
                        <StatusLabel status={c.status} />
                      </td>
                      <td className="small source-cell">
                        <SourceText source={c.source} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </TableScroll>
        )}
      </SectionBoundary>
      {anySuppressed(values) && <SuppressionNote />}

      {spreads.length > 0 && (
        <SectionBoundary>
          <h2>{t('countryReport.spread')}</h2>
          <p className="small muted">{t('countryReport.spreadNote')}</p>
          <TableScroll>
            <table className="data spread-values">
              <caption className="visually-hidden">{t('countryReport.spreadCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('table.indicator')}</th>
                  <th scope="col">{t('countryReport.spreadCities')}</th>
                  <th scope="col">{t('countryReport.spreadLowest')}</th>
                  <th scope="col">{t('countryReport.spreadMedian')}</th>
                  <th scope="col">{t('countryReport.spreadHighest')}</th>
                  <th scope="col">{t('countryReport.spreadPeriods')}</th>
                </tr>
              </thead>
              <tbody>
                {spreads.map((row) => {
                  const s = row.spread!;
                  return (
                    <tr key={rowKey(row)}>
                      <th scope="row">
                        <IndicatorName row={row} />
                        <div className="small muted unit">{unitOf(row)}</div>
                      </th>
                      <td className="num">{num(s.n, 0)}</td>
                      <td className="num">{num(s.min, 3)}</td>
                      <td className="num">{num(s.median, 3)}</td>
                      <td className="num">{num(s.max, 3)}</td>
                      <td>
                        {s.earliestPeriod === s.latestPeriod
                          ? period(s.latestPeriod)
                          : t('countryReport.years', { start: period(s.earliestPeriod), end: period(s.latestPeriod) })}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
        </SectionBoundary>
      )}

      {chartRow && (
        <SectionBoundary>
          <section className="report-chart" aria-labelledby={`${chartTableId}-h`}>
            <h2 id={`${chartTableId}-h`}>{t('countryReport.chartHeading')}</h2>
            <p className="no-print">
              <label>
                {t('countryReport.chartIndicator')}{' '}
                <select value={rowKey(chartRow)} onChange={(e) => setChartChoice(e.target.value)}>
                  {chartable.map((i) => (
                    <option key={rowKey(i)} value={rowKey(i)}>
                      {rowLabel(i)}
                    </option>
                  ))}
                </select>
              </label>
            </p>
            <h3 dir="auto">{chartIndicator}</h3>
            <Suspense fallback={<Loading />}>
              <BarChart
                bars={chartBars}
                unit={unitOf(chartRow)}
                describedBy={chartTableId}
                title={t('countryReport.chartTitle', { indicator: chartIndicator })}
              />
            </Suspense>
            <p className="small muted">{t('countryReport.chartNote')}</p>
            <TableScroll>
              <table className="data compact" id={chartTableId}>
                <caption>{t('countryReport.chartTableCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('table.place')}</th>
                    <th scope="col">{t('table.value')}</th>
                    <th scope="col">{t('table.period')}</th>
                  </tr>
                </thead>
                <tbody>
                  {chartBars.map((b) => (
                    <tr key={b.label}>
                      <th scope="row">
                        <span dir="auto">{b.label}</span>
                      </th>
                      <td className="num">
                        {num(b.value, 3)} <span className="small muted">{unitOf(chartRow)}</span>
                      </td>
                      <td>{period(b.period)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </section>
        </SectionBoundary>
      )}

      <h2>{t('countryReport.programmes')}</h2>
      {r.programmes.length === 0 ? (
        <Empty>{t('countryReport.programmesNone')}</Empty>
      ) : (
        <ul className="report-list">
          {r.programmes.map((g) => (
            <li key={g.code}>
              <Link to="/programmes/$code" params={{ code: g.code }}>
                <UserText names={g.names} fallbackText={g.name ?? g.code} />
              </Link>{' '}
              <span className="small muted">
                (
                {t('countryReport.years', {
                  start: num(g.startYear, 0).replace(/[,٬]/g, ''),
                  end: num(g.endYear, 0).replace(/[,٬]/g, ''),
                })}
                )
              </span>
              {g.demonstration && (
                <>
                  {' '}
                  <span className="tag warn">{t('programmes.demoTag')}</span>
                </>
              )}
              <ul className="small">
                {g.places.map((x) => (
                  <li key={x.code}>
                    <Link to="/places/$code" params={{ code: x.code }}>
                      <span dir="auto">{x.name ?? x.code}</span>
                    </Link>
                    {': '}
                    {roleLabel(t, x.role)}
                    {x.sinceYear !== null && (
                      <>, {t('countryReport.since', { year: num(x.sinceYear, 0).replace(/[,٬]/g, '') })}</>
                    )}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}

      <h2>{t('countryReport.reviews')}</h2>
      {r.reviews.length === 0 ? (
        <Empty>{t('countryReport.reviewsNone')}</Empty>
      ) : (
        <ul className="report-list">
          {r.reviews.map((x) => (
            <li key={x.id}>
              <Link to="/reviews/published/$id" params={{ id: String(x.id) }}>
                {kindLabel(t, x.cycle.kind)}: <span dir="auto">{x.place.name ?? x.place.code}</span>
              </Link>{' '}
              <span className="small muted">{t('reviews.published.on', { date: date(x.publishedAt) })}</span>
              {x.demonstration && (
                <>
                  {' '}
                  <span className="tag warn">{t('programmes.demoTag')}</span>
                </>
              )}
              {x.cycle.title && (
                <div className="small muted" dir="auto">
                  {x.cycle.title}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
