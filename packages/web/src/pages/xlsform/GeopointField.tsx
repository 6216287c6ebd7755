/**
 * A geopoint question (XLSForm `geopoint`): its answer is ODK's text 'latitude longitude [altitude [accuracy]]'
 * (core parseGeopoint / geopointText). Coordinates are typed in four fields (what keyboard and screen-reader users
 * use), and shown on a map drawn with d3-geo from world-atlas (as components/MapView.tsx, loaded lazily, no tiles):
 * a click on the map sets the latitude and longitude; the zoom buttons bring the map closer to the point.
 */
import { type Geopoint, geopointText, parseGeopoint } from '@marsad/core';
import { type MouseEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../app/prefs.tsx';
import './xlsform.css';

const WIDTH = 600;
const HEIGHT = 400;
/** Scales of the map: the world's width first (latitudes from about −58 to 77 in sight), then closer. */
const ZOOMS = [1, 2, 4, 8, 16, 32, 64, 128];
/** Where the world map is centred when there is no point yet. */
const WORLD_CENTRE: [number, number] = [10, 25];

interface World {
  features: unknown[];
  d3: typeof import('d3-geo');
}

let worldPromise: Promise<World> | null = null;
function loadWorld(): Promise<World> {
  worldPromise ??= Promise.all([import('d3-geo'), import('topojson-client'), import('world-atlas/countries-110m.json')])
    .then(([d3, { feature }, world]) => {
      const topo = (world as unknown as { default: Parameters<typeof feature>[0] }).default ?? world;
      const countries = feature(
        topo as never,
        (topo as unknown as { objects: { countries: never } }).objects.countries,
      ) as unknown as { features: unknown[] };
      return { features: countries.features, d3 };
    })
    .catch((e: unknown) => {
      worldPromise = null;
      throw e;
    });
  return worldPromise;
}

/** A number typed with Arabic-Indic digits or a decimal comma, as a JavaScript number text. */
function normalise(s: string): string {
  return s
    .trim()
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660))
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x6f0))
    .replace('٫', '.')
    .replace(',', '.')
    .replace('−', '-');
}

const FIELDS = ['latitude', 'longitude', 'altitude', 'accuracy'] as const;
type Field = (typeof FIELDS)[number];
const LABEL_KEYS: Record<Field, string> = {
  latitude: 'reviews.form.geo.latitude',
  longitude: 'reviews.form.geo.longitude',
  altitude: 'reviews.form.geo.altitude',
  accuracy: 'reviews.form.geo.accuracy',
};

function rawOf(value: string | undefined): Record<Field, string> {
  const parts = (value ?? '').trim().split(/\s+/);
  return {
    latitude: parts[0] ?? '',
    longitude: parts[1] ?? '',
    altitude: parts[2] ?? '',
    accuracy: parts[3] ?? '',
  };
}

/** The answer for what is typed: the point when it reads as one, '' when nothing is typed, else the text typed. */
function answerOf(raw: Record<Field, string>): string {
  const n = FIELDS.map((f) => normalise(raw[f]));
  if (n.every((x) => x === '')) return '';
  const [latitude, longitude, altitude, accuracy] = n;
  const num = (x: string | undefined) => (x === undefined || x === '' ? undefined : Number(x));
  const p: Geopoint = { latitude: Number(latitude), longitude: Number(longitude) };
  const alt = num(altitude);
  const acc = num(accuracy);
  if (alt !== undefined) p.altitude = alt;
  if (acc !== undefined) p.accuracy = acc;
  const text = latitude && longitude ? geopointText(p) : n.join(' ').trim();
  return parseGeopoint(text) ? text : n.map((x) => x || '?').join(' ');
}

export function GeopointField({
  id,
  value,
  onValue,
  aria,
  readOnly,
}: {
  id: string;
  value: string | undefined;
  onValue?: (v: string | null) => void;
  aria?: Record<string, unknown>;
  readOnly?: boolean;
}) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const [raw, setRaw] = useState<Record<Field, string>>(() => rawOf(value));
  const point = parseGeopoint(value ?? '');
  // Follows the answer from outside (a click on the map, a reset); what is being typed is not an input of this effect.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on purpose, see above
  useEffect(() => {
    if ((value ?? '') !== answerOf(raw)) setRaw(rawOf(value));
  }, [value]);
  const put = (next: Record<Field, string>) => {
    setRaw(next);
    const a = answerOf(next);
    onValue?.(a === '' ? null : a);
  };
  const setPoint = (latitude: number, longitude: number) => {
    const round = (x: number) => Math.round(x * 1e6) / 1e6;
    put({ ...raw, latitude: String(round(latitude)), longitude: String(round(longitude)) });
  };

  if (readOnly) {
    if (!point) return <span className="muted">{t('reviews.form.noAnswer')}</span>;
    return (
      <div className="geopoint">
        <p>
          {t('reviews.form.geo.point', { lat: num(point.latitude, 6), lon: num(point.longitude, 6) })}
          {point.altitude !== undefined && <> · {t('reviews.form.geo.altitudeValue', { n: num(point.altitude, 2) })}</>}
          {point.accuracy !== undefined && <> · {t('reviews.form.geo.accuracyValue', { n: num(point.accuracy, 2) })}</>}
        </p>
        <PointMap id={`${id}-map`} point={point} />
      </div>
    );
  }
  return (
    <div className="geopoint">
      <div className="geopoint-fields">
        {FIELDS.map((f) => (
          <div key={f} className="geopoint-field">
            <label htmlFor={`${id}-${f}`}>{t(LABEL_KEYS[f])}</label>
            <input
              id={`${id}-${f}`}
              dir="ltr"
              inputMode="decimal"
              className="num-input"
              value={raw[f]}
              onChange={(e) => put({ ...raw, [f]: e.target.value })}
              {...(f === 'latitude' || f === 'longitude' ? aria : { 'aria-describedby': aria?.['aria-describedby'] })}
            />
          </div>
        ))}
      </div>
      <PointMap id={`${id}-map`} point={point} onPick={setPoint} />
      {(value ?? '') !== '' && (
        <button type="button" className="link-button small" onClick={() => put(rawOf(''))}>
          {t('reviews.form.geo.clear')}
        </button>
      )}
    </div>
  );
}

/** The map: the point as a marker; with onPick, a click sets the point. */
function PointMap({
  id,
  point,
  onPick,
}: {
  id: string;
  point: Geopoint | null;
  onPick?: (latitude: number, longitude: number) => void;
}) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const [world, setWorld] = useState<World | null>(null);
  const [failed, setFailed] = useState(false);
  const [zoom, setZoom] = useState(point ? 3 : 0);
  const [centre, setCentre] = useState<[number, number]>(point ? [point.longitude, point.latitude] : WORLD_CENTRE);
  const svg = useRef<SVGSVGElement>(null);
  useEffect(() => {
    let live = true;
    loadWorld().then(
      (w) => live && setWorld(w),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);
  if (failed) return null;
  const scale = (WIDTH / (2 * Math.PI)) * ZOOMS[zoom]!;
  const projection = world?.d3
    .geoMercator()
    .scale(scale)
    .center(centre)
    .translate([WIDTH / 2, HEIGHT / 2]);
  const path = projection && world ? world.d3.geoPath(projection) : null;
  const marker = point && projection ? projection([point.longitude, point.latitude]) : null;
  const zoomTo = (z: number) => {
    setZoom(Math.max(0, Math.min(ZOOMS.length - 1, z)));
    if (point) setCentre([point.longitude, point.latitude]);
  };
  const pick = (e: MouseEvent<SVGSVGElement>) => {
    if (!onPick || !projection || !svg.current) return;
    const m = svg.current.getScreenCTM();
    if (!m) return;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
    const ll = projection.invert?.([p.x, p.y]);
    if (!ll) return;
    const [lon, lat] = ll;
    if (Math.abs(lat) <= 90 && Math.abs(lon) <= 180) onPick(lat, lon);
  };
  const label = point
    ? t('reviews.form.geo.mapOf', { lat: num(point.latitude, 4), lon: num(point.longitude, 4) })
    : t('reviews.form.geo.mapEmpty');
  return (
    <figure className="map geopoint-map">
      {world && path ? (
        // biome-ignore lint/a11y/useKeyWithClickEvents: the coordinates' fields above are the keyboard's way to set the point
        <svg
          ref={svg}
          id={id}
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          role="img"
          aria-label={label}
          className={onPick ? 'pickable' : undefined}
          onClick={pick}
        >
          {world.features.map((f, i) => (
            <path key={i} d={path(f as never) ?? ''} className="country" />
          ))}
          {marker && (
            <g className="geopoint-marker" transform={`translate(${marker[0]} ${marker[1]})`}>
              <circle r={7} />
              <path d="M -12 0 H -4 M 4 0 H 12 M 0 -12 V -4 M 0 4 V 12" />
            </g>
          )}
        </svg>
      ) : (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      <figcaption className="geopoint-caption">
        <span className="small muted">{onPick ? t('reviews.form.geo.mapHint') : t('map.disclaimer')}</span>
        <span className="geopoint-zoom">
          <button type="button" className="secondary small-button" onClick={() => zoomTo(zoom + 1)}>
            {t('reviews.form.geo.zoomIn')}
          </button>
          <button type="button" className="secondary small-button" onClick={() => zoomTo(zoom - 1)}>
            {t('reviews.form.geo.zoomOut')}
          </button>
        </span>
      </figcaption>
    </figure>
  );
}
