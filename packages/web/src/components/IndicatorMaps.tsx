import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../api/client.ts';
import { usePrefs } from '../app/prefs.tsx';
import { AreaMap, type AreaValue, type MapArea } from './AreaMap.tsx';
import { type MapItem, MapView } from './MapView.tsx';
import { ErrorMessage, Loading } from './States.tsx';

interface BoundaryIndex {
  items: { code: string; level: string; name: string | null; areas: string[] }[];
}
interface AreasAnswer {
  place: { code: string; name: string | null; level: string };
  areas: MapArea[];
}

/**
 * The map of an indicator's latest values: the world map for countries (and cities as points) and, where places
 * with values have shapes, the map of their areas (a country's regions, a city's districts), chosen in a list.
 * Shows the areas' map first when the values are sub-national only.
 */
export function IndicatorMaps({
  items,
  unit,
  title,
}: {
  items: (MapItem & { suppressedText?: string })[];
  unit: string;
  title: string;
}) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const selectId = useId();
  const index = useQuery({
    queryKey: ['boundaries', lang],
    queryFn: () => getJson<BoundaryIndex>('/boundaries', { lang }),
    staleTime: 5 * 60_000,
  });
  const byPlace = useMemo(() => new Map(items.map((i) => [i.place, i])), [items]);
  // Places whose areas hold values, most values first.
  const choices = useMemo(
    () =>
      (index.data?.items ?? [])
        .map((p) => ({ ...p, withValues: p.areas.filter((a) => byPlace.get(a)?.value != null).length }))
        .filter((p) => p.withValues > 0)
        .sort((a, b) => b.withValues - a.withValues || a.code.localeCompare(b.code)),
    [index.data, byPlace],
  );
  const countries = items.filter((i) => i.level === 'country' && i.value !== null).length;
  const [choice, setChoice] = useState<string | null>(null);
  const chosen = choice ?? (choices.length > 0 && countries < 2 ? choices[0]!.code : '');
  const areas = useQuery({
    queryKey: ['areas', chosen, lang],
    enabled: chosen !== '',
    queryFn: () => getJson<AreasAnswer>(`/places/${encodeURIComponent(chosen)}/areas`, { lang }),
    staleTime: 5 * 60_000,
  });
  const values = useMemo(() => {
    const m = new Map<string, AreaValue>();
    for (const a of areas.data?.areas ?? []) {
      const i = byPlace.get(a.code);
      if (i) m.set(a.code, { value: i.value, period: i.period, text: i.suppressedText });
    }
    return m;
  }, [areas.data, byPlace]);
  const world = <MapView title={title} unit={unit} items={items} />;
  if (choices.length === 0) return world;
  const place = choices.find((c) => c.code === chosen);
  return (
    <>
      <p className="no-print map-choice">
        <label htmlFor={selectId}>{t('map.choose')}</label>{' '}
        <select id={selectId} value={chosen} onChange={(e) => setChoice(e.target.value)}>
          <option value="">{t('map.world')}</option>
          {choices.map((c) => (
            <option key={c.code} value={c.code}>
              {t('map.areasOf', { place: c.name ?? c.code, n: c.withValues })}
            </option>
          ))}
        </select>
      </p>
      {chosen === '' ? (
        world
      ) : areas.isPending ? (
        <Loading />
      ) : areas.error ? (
        <ErrorMessage error={areas.error} />
      ) : (
        <AreaMap
          areas={areas.data.areas}
          values={values}
          unit={unit}
          title={t('map.areasTitle', { title, place: place?.name ?? chosen })}
        />
      )}
    </>
  );
}
