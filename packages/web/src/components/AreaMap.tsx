import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../app/prefs.tsx';
import { MAP_BINS } from './MapView.tsx';
import { TableScroll } from './TableScroll.tsx';

/** An area with its shape, as GET /api/v1/places/:code/areas gives it (MultiPolygon, RFC 7946 winding). */
export interface MapArea {
  code: string;
  name: string | null;
  geometry: { type: 'MultiPolygon' | 'Polygon'; coordinates: unknown };
}

export interface AreaValue {
  value: number | null;
  period: string | null;
  /** "fewer than N" when withheld from the reader. */
  text?: string;
}

interface Drawn {
  paths: { code: string; d: string }[];
  height: number;
}

const WIDTH = 960;

/**
 * d3-geo draws spherical polygons: an outer ring goes clockwise. Stored shapes follow RFC 7946 (counter-clockwise), so
 * every ring is reversed before drawing.
 */
function forD3(g: MapArea['geometry']): { type: 'MultiPolygon'; coordinates: number[][][][] } {
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][];
  return { type: 'MultiPolygon', coordinates: polygons.map((p) => p.map((ring) => [...ring].reverse())) };
}

async function draw(areas: MapArea[]): Promise<Drawn> {
  const { geoMercator, geoPath } = await import('d3-geo');
  const collection = {
    type: 'FeatureCollection' as const,
    features: areas.map((a) => ({
      type: 'Feature' as const,
      properties: { code: a.code },
      geometry: forD3(a.geometry),
    })),
  };
  // Fit the width first, then give the map the height its areas need (within bounds).
  const projection = geoMercator().fitWidth(WIDTH - 16, collection as never);
  const path = geoPath(projection);
  const [[, y0], [, y1]] = path.bounds(collection as never);
  const height = Math.round(Math.min(720, Math.max(260, y1 - y0 + 16)));
  projection.fitExtent(
    [
      [8, 8],
      [WIDTH - 8, height - 8],
    ],
    collection as never,
  );
  return {
    paths: collection.features.map((f) => ({ code: f.properties.code, d: path(f as never) ?? '' })),
    height,
  };
}

/**
 * A sub-national choropleth (a country's regions, a city's districts) drawn with d3-geo from the places' shapes, with
 * its legend and the table of values as the text alternative.
 */
export function AreaMap({
  areas,
  values,
  unit,
  title,
}: {
  areas: MapArea[];
  values: Map<string, AreaValue>;
  unit: string;
  title: string;
}) {
  const { t } = useTranslation();
  const { num, period } = usePrefs();
  const tableId = useId();
  const [drawn, setDrawn] = useState<Drawn | null>(null);
  useEffect(() => {
    let live = true;
    setDrawn(null);
    void draw(areas).then((d) => live && setDrawn(d));
    return () => {
      live = false;
    };
  }, [areas]);
  const numbers = [...values.values()].map((v) => v.value).filter((v): v is number => v !== null);
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  const bin = (v: number) => (max === min ? 2 : Math.min(4, Math.floor(((v - min) / (max - min)) * 5)));
  const nameOf = new Map(areas.map((a) => [a.code, a.name ?? a.code]));
  const label = (code: string) => {
    const v = values.get(code);
    const name = nameOf.get(code) ?? code;
    if (!v) return `${name}: ${t('map.noValue')}`;
    if (v.value === null) return `${name}: ${v.text ?? t('map.noValue')}`;
    return `${name}: ${num(v.value)} ${unit} (${period(v.period ?? '')})`;
  };
  const sorted = [...areas].sort((a, b) => (a.name ?? a.code).localeCompare(b.name ?? b.code));
  return (
    <figure className="map area-map" style={{ margin: 0 }}>
      {drawn ? (
        <svg
          viewBox={`0 0 ${WIDTH} ${drawn.height}`}
          role="img"
          aria-label={title}
          aria-describedby={tableId}
          style={{ direction: 'ltr' }}
        >
          {drawn.paths.map((p) => {
            const v = values.get(p.code)?.value ?? null;
            return (
              <path
                key={p.code}
                d={p.d}
                data-place={p.code}
                className={`area${v !== null ? ' has-value' : ''}`}
                style={v !== null ? { fill: MAP_BINS[bin(v)] } : undefined}
              >
                <title>{label(p.code)}</title>
              </path>
            );
          })}
        </svg>
      ) : (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      <figcaption>
        <ul className="legend" aria-label={t('map.legend')}>
          {numbers.length > 0 &&
            MAP_BINS.map((c, i) => (
              <li key={c}>
                <span className="legend-swatch" style={{ background: c }} />{' '}
                <bdi dir="ltr">{`${num(min + ((max - min) * i) / 5)}–${num(min + ((max - min) * (i + 1)) / 5)}`}</bdi>
              </li>
            ))}
          <li>
            <span className="legend-swatch no-value" /> {t('map.noValue')}
          </li>
          {unit && <li>{unit}</li>}
        </ul>
        <p className="small muted">{t('map.disclaimer')}</p>
      </figcaption>
      <details>
        <summary>{t('map.areaTable')}</summary>
        <TableScroll>
          <table className="data compact" id={tableId}>
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t('map.area')}</th>
                <th scope="col">{t('table.period')}</th>
                <th scope="col">{t('table.value')}</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((a) => {
                const v = values.get(a.code);
                return (
                  <tr key={a.code}>
                    <th scope="row">
                      <span dir="auto">{a.name ?? a.code}</span>
                    </th>
                    <td>{v?.period ? period(v.period) : '—'}</td>
                    <td className="num">
                      {v?.value != null ? (
                        <>
                          {num(v.value)} <span className="small muted">{unit}</span>
                        </>
                      ) : (
                        (v?.text ?? t('map.noValue'))
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </figure>
  );
}
