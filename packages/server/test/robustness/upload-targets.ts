import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '@marsad/db';
import fc from 'fast-check';
import { sql } from 'kysely';
import {
  type HostileFile,
  hostileColumnMap,
  hostileJson,
  hostileJsonFile,
  hostileString,
  hostileTable,
  PROTOTYPE_NAMES,
} from './hostile-files.ts';
import { hostileRepository } from './hostile-repositories.ts';
import { hostileWorkbook } from './hostile-workbooks.ts';

/**
 * The upload routes and their hostile files, shared by the property-based test
 * (hostile-imports.test.ts) and the fuzz bench (bench/fuzz/run.ts): the valid files start from
 * Marsad's own exports of SEED_DATA, a DHIS2 file, a places file, a GeoJSON of areas, a small Open SDG repository
 * (zip) and a real XLSForm workbook.
 */

export const SEED_DATA = [
  'indicator,series,place,period,value,unit,status,source,note,SEX,AGE',
  '16.1.1,VC_IHR_PSRC,MAAGA,2015,6.25,PER_100000,approved,Police records,"a note",,',
  '16.1.1,VC_IHR_PSRC,MAAGA,2020,4,PER_100000,validated,Police records,,F,Y15T24',
  '16.1.1,VC_IHR_PSRC,MAAGA,2020,0.5,PER_100000,provisional,Police records,ملاحظة,M,',
  '11.1.1,,JOAMM,2017-18,31.5,PERCENT,approved,Census,,,',
  '11.1.1,,JOAMM,2024-Q2,30,PERCENT,approved,Census,,,',
].join('\n');

export const DHIS2_FILE = {
  dataSet: 'pBOMPrpg1QX',
  period: '2023',
  orgUnit: 'DiszpKrYNg8',
  dataValues: [
    { dataElement: 'fbfJHSPpUQD', categoryOptionCombo: 'HllvX50cXC0', value: '3.2', comment: 'from DHIS2' },
    { dataElement: 'fbfJHSPpUQD', categoryOptionCombo: 'psbwp3CQEhs', value: '1.1' },
    { dataElement: 'fbfJHSPpUQD', categoryOptionCombo: 'hEFKSsPV5et', value: '5.4', period: '2023Q2' },
  ],
};
export const DHIS2_MAPPING = {
  dataElements: { fbfJHSPpUQD: { indicator: '16.1.1', series: 'VC_IHR_PSRC' } },
  orgUnits: { DiszpKrYNg8: 'KZALA' },
  categoryOptionCombos: { psbwp3CQEhs: { SEX: 'F' }, hEFKSsPV5et: { SEX: 'M' } },
};

/** A small GeoJSON of areas: Agadir and Souss-Massa by code, and one that matches no place. */
export const BOUNDARIES_FILE = {
  type: 'FeatureCollection',
  features: [
    ['MAAGA', -9.7, 30.3, 0.2],
    ['MA-09', -10, 29.5, 1.5],
    ['NOWHERE', 0, 0, 1],
  ].map(([code, x, y, d]) => ({
    type: 'Feature',
    properties: { code, name: `area ${code}` },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [x, y],
          [(x as number) + (d as number), y],
          [(x as number) + (d as number), (y as number) + (d as number)],
          [x, (y as number) + (d as number)],
          [x, y],
        ],
      ],
    },
  })),
};

/** A mapping with hostile identifiers and codes, in its JSON, or not JSON at all. */
export const hostileDhis2Mapping: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ dhis2Mapping: JSON.stringify(DHIS2_MAPPING) }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), hostileString), hostileString, hostileJson)
      .map(([id, code, anything]) => ({
        dhis2Mapping: JSON.stringify({
          dataElements: { ...DHIS2_MAPPING.dataElements, [id]: { indicator: code } },
          orgUnits: { DiszpKrYNg8: code, [id]: 'KZALA' },
          categoryOptionCombos: { [id]: { SEX: code }, psbwp3CQEhs: { [code]: 'F' } },
          attributeOptionCombos: { constructor: {}, x: anything },
        }),
      })),
  },
  { weight: 1, arbitrary: hostileString.map((s) => ({ dhis2Mapping: s })) },
);

/** One row of counts and a checksum of every observation: what a refused file must leave as it was. */
export async function fingerprint(store: Store): Promise<string> {
  const r = await sql<{ f: string }>`
    SELECT concat_ws(' ',
      (SELECT count(*) FROM observations), (SELECT count(*) FROM observation_history),
      (SELECT count(*) FROM dimensions), (SELECT count(*) FROM dimension_values),
      (SELECT count(*) FROM disaggregations), (SELECT count(*) FROM indicators), (SELECT count(*) FROM series),
      (SELECT count(*) FROM sources), (SELECT count(*) FROM places), (SELECT count(*) FROM questionnaires),
      (SELECT md5(coalesce(string_agg(b.place_id || ':' || b.geometry::text, '|' ORDER BY b.place_id), '')) FROM place_boundaries b),
      (SELECT count(*) FROM questionnaire_versions),
      (SELECT md5(coalesce(string_agg(o::text, '|' ORDER BY o.series_id, o.place_id, o.period, o.disagg_id), '')) FROM observations o)) AS f`.execute(
    store.db,
  );
  return r.rows[0]!.f;
}

/** The exports of SEED_DATA that the text and SDMX formats start from, as `/api/v1/observations/export` gives them. */
export const EXPORT_BASES = [
  { format: 'csv', query: '', importQuery: { format: 'csv' } },
  { format: 'sdmx-csv', query: '', importQuery: { format: 'sdmx-csv' } },
  { format: 'sdmx-json', query: '', importQuery: { format: 'sdmx-json' } },
  {
    format: 'open-sdg',
    query: '&indicator=16.1.1&place=MAAGA',
    importQuery: { format: 'open-sdg', fileName: 'indicator_16-1-1.csv', place: 'MAAGA' },
  },
] as const;

export interface UploadTarget {
  name: string;
  url: string;
  /** Hostile files, built when asked (a workbook is written asynchronously). */
  files: fc.Arbitrary<() => Promise<HostileFile>>;
}

const now = (file: HostileFile) => async () => file;

/** Every upload route with its hostile files; `exports` maps a format to its export of SEED_DATA. */
export async function uploadTargets(exports: Record<string, string>, shared: string): Promise<UploadTarget[]> {
  const targets: UploadTarget[] = [];
  for (const base of EXPORT_BASES) {
    const text = exports[base.format];
    if (text === undefined) throw new Error(`no export in ${base.format}`);
    const files =
      base.format === 'sdmx-json'
        ? hostileJsonFile(JSON.parse(text), base.importQuery)
        : hostileTable(text, base.importQuery, hostileColumnMap);
    targets.push({ name: base.format, url: '/api/v1/imports', files: files.map(now) });
  }
  targets.push({
    name: 'dhis2',
    url: '/api/v1/imports',
    files: hostileJsonFile(DHIS2_FILE, { format: 'dhis2' }, hostileDhis2Mapping).map(now),
  });
  const places = [
    'code,parent,level,name_ar,name_en,lat,lon,external_code',
    'MATST1,MA,city,مدينة,Test city,30.4,-9.6,',
    'MATST2,MA,city,مدينة ٢,Test city 2,,,X2',
  ].join('\n');
  let n = 0;
  targets.push({
    name: 'places',
    url: '/api/v1/places/import',
    files: hostileTable(places, {}).map((file) => async () => {
      // Fresh codes each time, so that a valid file adds places instead of repeating them.
      n++;
      return { ...file, body: Buffer.from(file.body.toString('latin1').replaceAll('MATST', `MAT${n}X`), 'latin1') };
    }),
  });
  targets.push({
    name: 'boundaries',
    url: '/api/v1/places/boundaries',
    files: hostileJsonFile(BOUNDARIES_FILE, { matchProperty: 'code', parent: 'MAR' }).map(now),
  });
  targets.push({ name: 'open-sdg-repository', url: '/api/v1/imports/repository', files: hostileRepository });
  const workbook = await readFile(path.join(shared, 'data/xlsform/text_and_integer.xlsx'));
  targets.push({
    name: 'XLSForm',
    url: '/api/v1/questionnaires/import',
    files: hostileWorkbook(workbook).map((w) => w.file),
  });
  return targets;
}
