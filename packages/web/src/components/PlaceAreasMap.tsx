import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../api/client.ts';
import { usePrefs } from '../app/prefs.tsx';
import { AreaMap, type AreaValue, type MapArea } from './AreaMap.tsx';
import { Empty, ErrorMessage, Loading } from './States.tsx';

interface AreasAnswer {
  place: { code: string; name: string | null; level: string };
  areas: MapArea[];
  indicators: { code: string; name: string | null; series: string; seriesName: string | null; default: boolean }[];
}
interface Latest {
  unit: { code: string; name: string | null } | null;
  items: { place: string; value: number | null; period: string; suppressedBelow: number | null }[];
}

/**
 * A place's areas on a map (a country's regions, a city's districts), coloured by an indicator chosen among those
 * with values there; nothing when no place below has a shape.
 */
export function PlaceAreasMap({ place, placeName }: { place: string; placeName: string }) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const headingId = useId();
  const selectId = useId();
  const areas = useQuery({
    queryKey: ['areas', place, lang],
    queryFn: () => getJson<AreasAnswer>(`/places/${encodeURIComponent(place)}/areas`, { lang }),
    staleTime: 5 * 60_000,
  });
  const [choice, setChoice] = useState<string | null>(null);
  const options = areas.data?.indicators ?? [];
  const key = (i: AreasAnswer['indicators'][number]) => `${i.code}|${i.series}`;
  const chosen = options.find((i) => key(i) === choice) ?? options[0];
  const latest = useQuery({
    queryKey: ['latest-areas', chosen?.code, chosen?.series, lang],
    enabled: !!chosen,
    queryFn: () =>
      getJson<Latest>(`/indicators/${encodeURIComponent(chosen!.code)}/latest`, { series: chosen!.series, lang }),
  });
  const values = useMemo(() => {
    const m = new Map<string, AreaValue>();
    for (const i of latest.data?.items ?? [])
      m.set(i.place, {
        value: i.value,
        period: i.period,
        text: i.suppressedBelow ? t('suppression.fewerThan', { n: i.suppressedBelow }) : undefined,
      });
    return m;
  }, [latest.data, t]);
  if (areas.isPending || areas.error || areas.data.areas.length === 0) return null;
  const label = (i: AreasAnswer['indicators'][number]) =>
    `${i.code} ${i.seriesName && i.seriesName !== i.name ? `${i.name ?? ''} — ${i.seriesName}` : (i.name ?? '')}`.trim();
  return (
    <section className="place-areas" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('places.areasHeading', { place: placeName })}</h2>
      {!chosen ? (
        <Empty>{t('places.areasNoValues')}</Empty>
      ) : (
        <>
          <p className="no-print">
            <label htmlFor={selectId}>{t('places.chartIndicator')}</label>{' '}
            <select id={selectId} value={key(chosen)} onChange={(e) => setChoice(e.target.value)}>
              {options.map((i) => (
                <option key={key(i)} value={key(i)}>
                  {label(i)}
                </option>
              ))}
            </select>
          </p>
          {latest.isPending ? (
            <Loading />
          ) : latest.error ? (
            <ErrorMessage error={latest.error} />
          ) : (
            <AreaMap
              areas={areas.data.areas}
              values={values}
              unit={latest.data.unit ? (latest.data.unit.name ?? latest.data.unit.code) : ''}
              title={t('map.areasTitle', { title: label(chosen), place: placeName })}
            />
          )}
        </>
      )}
    </section>
  );
}
