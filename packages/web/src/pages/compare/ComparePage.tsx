import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { lazy, Suspense, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { IndicatorDetail, Names, Page, PlaceItem } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { SectionBoundary } from '../../components/ErrorBoundary.tsx';
import { periodX } from '../../components/period-x.ts';
import { Empty, ErrorMessage, Loading } from '../../components/States.tsx';
import { anySuppressed, SuppressionNote, shownValue, ValueText } from '../../components/SuppressedValue.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';

const LineChart = lazy(() => import('../../components/LineChart.tsx').then((m) => ({ default: m.LineChart })));
const MAX_PLACES = 5;
/** The most values one answer of /indicators/:code/data holds. */
const MAX_POINTS = 20_000;

/** GET /api/v1/indicators/:code/data, the part this page reads. */
interface CompareData {
  key: string;
  points: {
    place: string;
    points: { period: string; start: string; end: string; value: number | null; suppressedBelow?: number }[];
  }[];
  pointsTotal: number;
  limit: number;
  truncated: boolean;
}

/** Two to five places side by side on one indicator: the same chart and table for each. */
export function ComparePage() {
  const { t } = useTranslation();
  const { lang, num, period, text } = usePrefs();
  const tableId = useId();
  const search = useSearch({ from: '/compare' });
  const navigate = useNavigate({ from: '/compare' });
  const places = (search.places ?? '').split(',').filter(Boolean).slice(0, MAX_PLACES);
  const indicator = search.indicator ?? '16.1.1';
  const allPlaces = useQuery({
    queryKey: ['compare-places', lang],
    queryFn: () => getJson<Page<PlaceItem>>('/places', { lang, limit: 1000, level: 'city' }),
  });
  const countries = useQuery({
    queryKey: ['places', 'country', lang],
    queryFn: () => getJson<Page<PlaceItem>>('/places', { lang, limit: 1000, level: 'country' }),
  });
  const indicators = useQuery({
    queryKey: ['indicators-all', lang],
    queryFn: () =>
      getJson<Page<{ code: string; name: string | null; names: Names }>>('/indicators', { lang, limit: 1000 }),
  });
  const detail = useQuery({
    queryKey: ['indicator', indicator, lang],
    queryFn: () => getJson<IndicatorDetail>(`/indicators/${encodeURIComponent(indicator)}`, { lang }),
  });
  const series = detail.data?.series.find((s) => s.default)?.code ?? detail.data?.series[0]?.code;
  const [pointLimit, setPointLimit] = useState<number | undefined>(undefined);
  // The values of the places compared, asked for as shown: the totals (or, for an indicator without totals,
  // its largest disaggregation), the latest within a limit the answer names.
  const data = useQuery({
    queryKey: ['compare', indicator, series, places.join(','), pointLimit],
    enabled: places.length > 0 && !!series,
    queryFn: () =>
      getJson<CompareData>(`/indicators/${encodeURIComponent(indicator)}/data`, {
        series,
        place: places,
        limit: pointLimit,
        lang,
      }),
  });
  const candidates = [...(allPlaces.data?.items ?? []), ...(countries.data?.items ?? [])];
  const nameOf = (c: string) => {
    const p = candidates.find((x) => x.code === c);
    return p ? text(p.names).text || c : c;
  };
  const setPlaces = (next: string[]) => void navigate({ search: { places: next.join(','), indicator } });
  const rows = (data.data?.points ?? [])
    .flatMap((s) =>
      s.points.map((x) => ({
        place: s.place,
        period: x.period,
        periodStart: x.start,
        periodEnd: x.end,
        value: x.value,
        suppressedBelow: x.suppressedBelow ?? null,
      })),
    )
    .sort((a, b) => a.periodStart.localeCompare(b.periodStart));
  const periods = [...new Set(rows.map((r) => r.period))];
  const cell = new Map(rows.map((r) => [`${r.place}\u0000${r.period}`, r]));
  const unit = detail.data?.unit?.name ?? detail.data?.unit?.code ?? '';
  return (
    <>
      <h1>{t('compare.title')}</h1>
      <p className="lead">{t('compare.intro')}</p>
      <div className="row no-print">
        <label>
          {t('compare.indicator')}{' '}
          <select
            value={indicator}
            onChange={(e) => void navigate({ search: { places: places.join(','), indicator: e.target.value } })}
            className="compare-indicator"
          >
            {indicators.data?.items.map((i) => (
              <option key={i.code} value={i.code}>
                {i.code} {text(i.names).text}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('compare.addPlace')}{' '}
          <select
            value=""
            disabled={places.length >= MAX_PLACES}
            onChange={(e) => e.target.value && setPlaces([...places, e.target.value])}
          >
            <option value="">
              {places.length >= MAX_PLACES ? t('compare.max', { n: MAX_PLACES }) : t('compare.choose')}
            </option>
            {[...candidates]
              .filter((p) => !places.includes(p.code))
              .sort((a, b) => Number(b.pilot) - Number(a.pilot) || (a.name ?? '').localeCompare(b.name ?? '', lang))
              .map((p) => (
                <option key={p.code} value={p.code}>
                  {text(p.names).text}
                  {p.pilot ? ` — ${t('places.pilotTag')}` : ''}
                </option>
              ))}
          </select>
        </label>
      </div>
      {detail.error && <ErrorMessage error={detail.error} />}
      {places.length > 0 && (
        <ul className="row" style={{ listStyle: 'none', padding: 0 }} aria-label={t('compare.chosen')}>
          {places.map((p) => (
            <li key={p}>
              <Link to="/places/$code" params={{ code: p }}>
                <span dir="auto">{nameOf(p)}</span>
              </Link>{' '}
              <button
                type="button"
                className="secondary"
                onClick={() => setPlaces(places.filter((x) => x !== p))}
                aria-label={t('compare.remove', { place: nameOf(p) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <SectionBoundary>
        {places.length < 2 ? (
          <Empty>{t('compare.needTwo')}</Empty>
        ) : data.isPending ? (
          <Loading />
        ) : data.error ? (
          <ErrorMessage error={data.error} />
        ) : rows.length === 0 ? (
          <Empty>{t('compare.noData')}</Empty>
        ) : (
          <>
            {data.data.truncated && (
              <p className="notice" role="status">
                {t('indicator.limited', { shown: num(data.data.limit, 0), total: num(data.data.pointsTotal, 0) })}{' '}
                {data.data.limit < MAX_POINTS ? (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => setPointLimit(Math.min(MAX_POINTS, data.data.pointsTotal))}
                  >
                    {data.data.pointsTotal <= MAX_POINTS
                      ? t('indicator.showAllValues', { n: num(data.data.pointsTotal, 0) })
                      : t('indicator.showMoreValues', { n: num(MAX_POINTS, 0) })}
                  </button>
                ) : (
                  t('indicator.limitedDownload')
                )}
              </p>
            )}
            <Suspense fallback={<Loading />}>
              <LineChart
                unit={unit}
                describedBy={tableId}
                title={t('indicator.chartTitle', { indicator, places: places.map(nameOf).join('، ') })}
                series={places.map((p) => ({
                  name: nameOf(p),
                  points: rows
                    .filter((r) => r.place === p)
                    .filter(shownValue)
                    .map((r) => ({ x: periodX(r.periodStart, r.periodEnd), value: r.value, label: period(r.period) })),
                }))}
              />
            </Suspense>
            <TableScroll>
              <table className="data" id={tableId}>
                <caption>{t('compare.tableCaption', { unit })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('table.period')}</th>
                    {places.map((p) => (
                      <th key={p} scope="col" dir="auto">
                        {nameOf(p)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {periods.map((per) => (
                    <tr key={per}>
                      <th scope="row">{period(per)}</th>
                      {places.map((p) => {
                        const v = cell.get(`${p}\u0000${per}`);
                        return (
                          <td key={p} className="num">
                            {v ? <ValueText value={v.value} suppressedBelow={v.suppressedBelow} digits={3} /> : '—'}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            {anySuppressed(rows) && <SuppressionNote />}
          </>
        )}
      </SectionBoundary>
    </>
  );
}
