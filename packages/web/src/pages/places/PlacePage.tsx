import { Link, useParams } from '@tanstack/react-router';
import { PdfButton } from '../../components/PdfButton.tsx';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { assessProgress, type Direction } from '@marsad/core';
import { ApiError, getJson } from '../../api/client.ts';
import type { Names, PlaceDetail } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { ProgressBadge } from '../../components/ProgressBadge.tsx';
import { Sparkline } from '../../components/Sparkline.tsx';
import { Empty, ErrorMessage, Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';
import { anySuppressed, shownValue, SuppressionNote, ValueText } from '../../components/SuppressedValue.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';

interface Summary {
  place: { code: string; name: string | null; names: Names; level: string; pilot: boolean; parent: { code: string; name: string | null; level: string } | null; country: { code: string; name: string | null } | null };
  indicators: {
    indicator: { code: string; name: string | null; unit: { code: string; name: string | null } | null; direction: Direction; status: string; frameworks: string[] };
    series: { code: string; name: string | null };
    // value null: withheld by the indicator's suppression rule ("fewer than suppressedBelow").
    points: { period: string; periodStart: string; periodEnd: string; value: number | null; suppressedBelow: number | null }[];
    latest: { period: string; value: number | null; suppressedBelow: number | null; status: string; source: { name: string; licence: string | null; synthetic: boolean } | null };
    target: { year: number; value: number | null; relativeChange: number | null; baselineYear: number | null } | null;
    country: { place: string; period: string; value: number | null; suppressedBelow: number | null } | null;
    pilotGroup: { count: number; median: number; min: number; max: number } | null;
  }[];
}

/** A city's or a country's page: every indicator with data, next to the country and the pilot group — no ranks. */
export function PlacePage() {
  const { code } = useParams({ from: '/places/$code' });
  const { t } = useTranslation();
  const { lang, num, period } = usePrefs();
  const place = useQuery({ queryKey: ['place', code, lang], queryFn: () => getJson<PlaceDetail>(`/places/${encodeURIComponent(code)}`, { lang }) });
  const summary = useQuery({ queryKey: ['place-summary', code, lang], queryFn: () => getJson<Summary>(`/places/${encodeURIComponent(code)}/summary`, { lang }) });
  if (place.error instanceof ApiError && place.error.status === 404) return <NotFoundPage what={code} />;
  if (place.isPending) return <Loading />;
  if (place.error) return <ErrorMessage error={place.error} />;
  const p = place.data;
  const synthetic = summary.data?.indicators.some((i) => i.latest.source?.synthetic);
  return (
    <article>
      <Breadcrumbs items={[{ to: '/', label: t('nav.home') }, { to: '/places', label: t('nav.places') },
        ...p.ancestors.map((a) => ({ to: '/places/$code', params: { code: a.code }, label: <span dir="auto">{a.name ?? a.code}</span> })), { label: <UserText names={p.names} /> }]} />
      <h1><UserText names={p.names} /></h1>
      <p className="muted">
        {t(`level.${p.level}`)}
        {p.pilot && <> · <span className="tag">{t('places.pilotTag')}</span></>}
        {p.codes.unlocode && <> · UN/LOCODE {p.codes.unlocode}</>}
        {p.codes.iso3166_alpha2 && <> · ISO 3166 {p.code} / {p.codes.iso3166_alpha2}</>}
      </p>
      <p className="no-print"><button type="button" className="secondary" onClick={() => window.print()}>{t('places.print')}</button>{' '}<PdfButton page={`/places/${p.code}`} />{' '}
        <Link to="/compare" search={{ places: code }}>{t('places.compareWith')}</Link></p>
      {p.children.length > 0 && (
        <p className="small">{t('places.children')}: {p.children.map((c, i) => <span key={c.code}>{i > 0 && ' · '}<Link to="/places/$code" params={{ code: c.code }}><span dir="auto">{c.name ?? c.code}</span></Link></span>)}</p>
      )}
      {synthetic && <p className="notice warn">{t('places.syntheticNotice')}</p>}
      <h2>{t('places.indicators')}</h2>
      <p className="small muted">{t('places.noRanks')}</p>
      {summary.isPending ? <Loading /> : summary.error ? <ErrorMessage error={summary.error} /> : summary.data.indicators.length === 0 ? (
        <Empty>{t('places.noData')}</Empty>
      ) : (
        <><div className="table-scroll">
          <table className="data">
            <caption className="visually-hidden">{t('places.tableCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('table.indicator')}</th><th scope="col">{t('table.latest')}</th><th scope="col">{t('table.period')}</th>
                <th scope="col">{t('table.trend')}</th><th scope="col">{t('progress.title')}</th>
                <th scope="col">{t('table.country')}</th><th scope="col">{t('table.pilotGroup')}</th>
              </tr>
            </thead>
            <tbody>
              {summary.data.indicators.map((row) => {
                const progress = assessProgress(row.points.filter(shownValue).map((x) => ({ start: x.periodStart, end: x.periodEnd, value: x.value })), row.indicator.direction, row.target);
                const unit = row.indicator.unit ? (row.indicator.unit.name ?? row.indicator.unit.code) : '';
                return (
                  <tr key={`${row.indicator.code}-${row.series.code}`}>
                    <th scope="row">
                      <Link to="/indicators/$code" params={{ code: row.indicator.code }}>{row.indicator.code}</Link>{' '}
                      <span dir="auto">{row.indicator.name}</span>
                      {row.series.name && row.series.name !== row.indicator.name && row.series.name !== row.indicator.code && <div className="small muted" dir="auto">{row.series.name}</div>}
                    </th>
                    <td className="num"><ValueText value={row.latest.value} suppressedBelow={row.latest.suppressedBelow} digits={3} /> <span className="small muted">{unit}</span>
                      {row.latest.source?.synthetic && <div><span className="tag warn">{t('common.synthetic')}</span></div>}</td>
                    <td>{period(row.latest.period)}</td>
                    <td><Sparkline values={row.points.filter(shownValue).map((x) => x.value)} /></td>
                    <td><ProgressBadge result={progress} /></td>
                    <td className="num">{row.country ? <><ValueText value={row.country.value} suppressedBelow={row.country.suppressedBelow} digits={3} /> <span className="small muted">({period(row.country.period)})</span></> : '—'}</td>
                    <td className="num">{row.pilotGroup ? <>{t('places.median', { value: num(row.pilotGroup.median, 3) })}<div className="small muted">{t('places.range', { min: num(row.pilotGroup.min, 3), max: num(row.pilotGroup.max, 3), n: num(row.pilotGroup.count, 0) })}</div></> : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {summary.data.indicators.some((i) => anySuppressed([i.latest, ...(i.country ? [i.country] : [])])) && <SuppressionNote />}
        </>
      )}
    </article>
  );
}
