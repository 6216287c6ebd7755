import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../app/prefs.tsx';

export interface MapItem {
  place: string;
  name: string;
  level: string;
  lat: number | null;
  lon: number | null;
  iso3166Numeric?: string | null;
  value: number | null;
  period: string | null;
}

export const MAP_BINS = ['#deebf7', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];

interface Geo {
  paths: { id: string; d: string }[];
  project: (lon: number, lat: number) => [number, number] | null;
}

async function loadGeo(width: number, height: number): Promise<Geo> {
  const [{ geoEqualEarth, geoPath }, { feature }, world] = await Promise.all([
    import('d3-geo'),
    import('topojson-client'),
    import('world-atlas/countries-110m.json'),
  ]);
  // world-atlas ships TopoJSON; topojson-client turns it into GeoJSON features.
  const topo = (world as unknown as { default: Parameters<typeof feature>[0] }).default ?? world;
  const countries = feature(
    topo as never,
    (topo as unknown as { objects: { countries: never } }).objects.countries,
  ) as unknown as {
    features: { id?: string | number; geometry: unknown }[];
  };
  const projection = geoEqualEarth().fitSize([width, height], countries as never);
  const path = geoPath(projection);
  return {
    paths: countries.features.map((f) => ({ id: String(f.id ?? ''), d: path(f as never) ?? '' })),
    project: (lon, lat) => projection([lon, lat]),
  };
}

/** Latest values on a world map: shapes for countries, points for cities; loaded lazily, no tiles. */
export function MapView({ items, unit, title }: { items: MapItem[]; unit: string; title: string }) {
  const { t } = useTranslation();
  const { num, period } = usePrefs();
  const [geo, setGeo] = useState<Geo | null>(null);
  const width = 960;
  const height = 470;
  useEffect(() => {
    let live = true;
    void loadGeo(width, height).then((g) => live && setGeo(g));
    return () => {
      live = false;
    };
  }, []);
  const values = items.map((i) => i.value).filter((v): v is number => v !== null);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const bin = (v: number | null) =>
    v === null || max === min ? 2 : Math.min(4, Math.floor(((v - min) / (max - min)) * 5));
  const label = (i: MapItem) =>
    i.value === null ? i.name : `${i.name}: ${num(i.value)} ${unit} (${period(i.period ?? '')})`;
  const byNumeric = new Map(
    items.filter((i) => i.level === 'country' && i.iso3166Numeric).map((i) => [i.iso3166Numeric!, i]),
  );
  const points = items.filter((i) => i.level !== 'country' && i.lat !== null && i.lon !== null);
  return (
    <figure className="map" style={{ margin: 0 }}>
      {geo ? (
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} style={{ direction: 'ltr' }}>
          {geo.paths.map((p, i) => {
            const item = byNumeric.get(p.id);
            return (
              <path
                key={`${p.id}-${i}`}
                d={p.d}
                className={`country${item ? ' has-value' : ''}`}
                style={item ? { fill: MAP_BINS[bin(item.value)] } : undefined}
              >
                {item && <title>{label(item)}</title>}
              </path>
            );
          })}
          {points.map((p) => {
            const xy = geo.project(p.lon!, p.lat!);
            if (!xy) return null;
            return (
              <circle
                key={p.place}
                cx={xy[0]}
                cy={xy[1]}
                r={6}
                style={{ fill: MAP_BINS[bin(p.value)], stroke: '#1a1f2b' }}
              >
                <title>{label(p)}</title>
              </circle>
            );
          })}
        </svg>
      ) : (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      <figcaption>
        {values.length > 0 && (
          <div className="legend" aria-hidden="true">
            {MAP_BINS.map((c, i) => (
              <span key={c}>
                <span className="legend-swatch" style={{ background: c }} />{' '}
                {/* One text, so that the range is isolated whole and reads low to high in Arabic too. */}
                <bdi dir="ltr">{`${num(min + ((max - min) * i) / 5)}–${num(min + ((max - min) * (i + 1)) / 5)}`}</bdi>
              </span>
            ))}
            <span>{unit}</span>
          </div>
        )}
        <p className="small muted">{t('map.disclaimer')}</p>
      </figcaption>
    </figure>
  );
}
