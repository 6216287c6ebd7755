import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { testStoreKinds } from '@marsad/db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, SHARED, signedIn, type TestApp } from './helpers.ts';

/**
 * Places as countries divide them (issue 14): a places file re-run (unchanged), changed (updated, audited) and tried
 * (dry run); levels named per country, a region under a region, a ward under a district; boundaries from Kazakhstan's
 * real regions.geojson (Bureau of National Statistics, MIT), matched by its Russian `kzName` to places made here with
 * those names, the rest listed; bad files refused with nothing written.
 */

const KZ_REGIONS = path.join(SHARED, 'data/open-sdg/kazakhstan/regions.geojson');

// Names as Kazakhstan's translations/ru/REF_AREA.yml gives them: "г_Шымкент" is "г.Шымкент" in regions.geojson.
const PLACES = [
  'code,parent,level,kind,level_name_en,level_name_ru,name_ru,name_en',
  'KZAKM,KAZ,oblys,region,Region,Область,Акмолинская,Akmola',
  'KZAKT,KAZ,oblys,,,,Актюбинская,Aktobe',
  'KZSHY,KAZ,city,,,,г_Шымкент,Shymkent',
  'KZ-AKM-N,KZAKM,region,,,,Север,North Akmola',
  'KZ-SHY-D1,KZSHY,district,,,,Абайский район,Abay district',
  'KZ-SHY-W1,KZ-SHY-D1,ward,,,,Участок 1,Ward 1',
].join('\n');

describe.each(testStoreKinds())('places and boundaries on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (url: string, payload: string | Buffer, type = 'text/csv') =>
    t.app.inject({ method: 'POST', url, payload, headers: { ...AUTH, 'content-type': type } });
  const get = async (url: string) => (await t.app.inject({ url, headers: AUTH })).json();
  const count = async (table: 'place_boundaries' | 'places' | 'audit_log') =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(t.db.store.db)).rows[0]!.n;

  it('adds places at any depth, with levels named per country, and takes the same file again unchanged', async () => {
    const r = await post('/api/v1/places/import', PLACES);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ added: 6, updated: 0, unchanged: 0, dryRun: false });
    expect(r.json().levels).toEqual([
      { country: 'KAZ', code: 'oblys', kind: 'region', action: 'create' },
      { country: 'KAZ', code: 'ward', kind: 'district', action: 'create' },
    ]);
    const akm = await get('/api/v1/places/KZAKM?lang=ru');
    expect(akm).toMatchObject({ level: 'region', levelCode: 'oblys', levelName: 'Область', name: 'Акмолинская' });
    const north = await get('/api/v1/places/KZ-AKM-N');
    expect(north.level).toBe('region');
    expect(north.ancestors.map((a: { code: string }) => a.code)).toEqual(['KAZ', 'KZAKM']);
    const ward = await get('/api/v1/places/KZ-SHY-W1?lang=en');
    expect(ward).toMatchObject({ level: 'district', levelCode: 'ward', levelName: 'ward' });
    expect(ward.ancestors.map((a: { code: string }) => a.code)).toEqual(['KAZ', 'KZSHY', 'KZ-SHY-D1']);

    const audits = await count('audit_log');
    const again = await post('/api/v1/places/import', PLACES);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ added: 0, updated: 0, unchanged: 6, changes: [], levels: [] });
    expect(await count('audit_log')).toBe(audits);
  });

  it('shows a changed file in a dry run, then updates and audits it (a move rewrites the paths below)', async () => {
    const changed = PLACES.replace('Актюбинская,Aktobe', 'Актюбинская,Aktobe Region').replace(
      'KZ-AKM-N,KZAKM,',
      'KZ-AKM-N,KZAKT,',
    );
    const before = await count('audit_log');
    const dry = await post('/api/v1/places/import?dryRun=true', changed);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({
      dryRun: true,
      added: 0,
      updated: 2,
      unchanged: 4,
      changes: [
        { row: 3, code: 'KZAKT', action: 'update', fields: ['names'] },
        { row: 5, code: 'KZ-AKM-N', action: 'update', fields: ['parent'] },
      ],
    });
    expect((await get('/api/v1/places/KZAKT?lang=en')).name).toBe('Aktobe');
    expect(await count('audit_log')).toBe(before);

    const r = await post('/api/v1/places/import', changed);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ updated: 2, unchanged: 4 });
    expect((await get('/api/v1/places/KZAKT?lang=en')).name).toBe('Aktobe Region');
    const north = await get('/api/v1/places/KZ-AKM-N');
    expect(north.ancestors.map((a: { code: string }) => a.code)).toEqual(['KAZ', 'KZAKT']);
    const within = await get('/api/v1/places?within=KZAKT');
    expect(within.items.map((p: { code: string }) => p.code)).toEqual(['KZ-AKM-N']);
    const log = await sql<{ entity_id: string; before: unknown; after: unknown }>`
      SELECT entity_id, before, after FROM audit_log WHERE entity_type = 'place' ORDER BY id`.execute(t.db.store.db);
    expect(log.rows).toEqual([
      {
        entity_id: 'KZAKT',
        before: { names: { en: 'Aktobe', ru: 'Актюбинская' } },
        after: { names: { en: 'Aktobe Region', ru: 'Актюбинская' } },
      },
      { entity_id: 'KZ-AKM-N', before: { parent: 'KZAKM' }, after: { parent: 'KZAKT' } },
    ]);
  });

  it('refuses a circle, a city under a district, a level of another kind and a region above its own regions, naming rows, writing nothing', async () => {
    const places = await count('places');
    const r = await post(
      '/api/v1/places/import',
      [
        'code,parent,level,kind,name_en',
        'KZ-A,KZ-B,region,,A',
        'KZ-B,KZ-A,region,,B',
        'KZ-C1,KZ-SHY-W1,city,,A city in a ward',
        'KZ-X1,KZAKM,oblys,city,Wrong kind',
        'KZAKT,KAZ,district,,Aktobe Region',
      ].join('\n'),
    );
    expect(r.statusCode, r.body).toBe(422);
    const problems = r.json().details.problems as { row: number; message: string }[];
    expect(problems.map((p) => p.row)).toEqual([2, 3, 4, 5, 6]);
    expect(problems[0]!.message).toBe('"KZ-A" would be under itself (its parents come round to it)');
    expect(problems[2]!.message).toBe('a city cannot be under a district ("KZ-SHY-W1")');
    expect(problems[3]!.message).toBe('the level "oblys" of KAZ is a region, not a city');
    expect(problems[4]!.message).toBe('"KZAKT" cannot become a district: the region "KZ-AKM-N" is under it');
    // A form adding one place asks that a code that exists be refused, not updated; JSON takes dryRun too.
    const json = (body: unknown) =>
      t.app.inject({ method: 'POST', url: '/api/v1/places', payload: body as object, headers: AUTH });
    const taken = await json({
      places: [{ code: 'KZAKM', parent: 'KAZ', level: 'region', names: { en: 'X' } }],
      existing: 'refuse',
    });
    expect(taken.statusCode).toBe(422);
    expect(taken.json().message).toMatch(/a place with code "KZAKM" exists already/);
    const tried = await json({
      places: [{ code: 'KZ-NEW', parent: 'KZAKM', level: 'oblys', names: { en: 'New' } }],
      dryRun: true,
    });
    expect(tried.statusCode, tried.body).toBe(200);
    expect(tried.json()).toMatchObject({ dryRun: true, added: 1, changes: [{ code: 'KZ-NEW', action: 'create' }] });
    expect(await count('places')).toBe(places);
  });

  it("stores Kazakhstan's regions matched by kzName (Russian, punctuation folded), listing the rest", async () => {
    const file = await readFile(KZ_REGIONS);
    const dry = await post(
      '/api/v1/places/boundaries?matchProperty=kzName&parent=KAZ&dryRun=true&fileName=regions.geojson',
      file,
      'application/geo+json',
    );
    expect(dry.statusCode, dry.body).toBe(200);
    const report = dry.json();
    expect(report).toMatchObject({ dryRun: true, features: 17, matched: 3, created: 3, updated: 0 });
    expect(report.unmatched).toHaveLength(14);
    expect(report.unmatched[0]).toEqual({ feature: 3, value: 'Алматинская', reason: 'no place has this code or name' });
    expect(report.unmatched.map((u: { value: string }) => u.value)).toContain('г.Нур-Султан');
    expect(report.placesWithoutArea).toEqual(['KZ-AKM-N', 'KZ-SHY-D1', 'KZ-SHY-W1', 'KZALA']);
    expect(await count('place_boundaries')).toBe(0);

    const r = await post('/api/v1/places/boundaries?matchProperty=kzName&parent=KAZ', file, 'application/json');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ matched: 3, created: 3 });
    // Simplified for the web: 68,577 positions in the file, far fewer kept.
    expect(r.json().points).toBeLessThan(3000);
    const again = await post('/api/v1/places/boundaries?matchProperty=kzName&parent=KAZ', file, 'application/json');
    expect(again.json()).toMatchObject({ matched: 3, created: 0, updated: 0, unchanged: 3 });

    const areas = await get('/api/v1/places/KAZ/areas?lang=en');
    expect(areas.areas.map((a: { code: string }) => a.code)).toEqual(['KZAKM', 'KZAKT', 'KZSHY']);
    expect(areas.areas[0].geometry.type).toBe('MultiPolygon');
    const index = await get('/api/v1/boundaries');
    expect(index.items.find((i: { code: string }) => i.code === 'KAZ').areas).toEqual(['KZAKM', 'KZAKT', 'KZSHY']);
  });

  it('refuses a bad file with a message and writes nothing', async () => {
    const stored = await count('place_boundaries');
    const square = (x: number, y: number) => [
      [
        [x, y],
        [x + 1, y],
        [x + 1, y + 1],
        [x, y + 1],
        [x, y],
      ],
    ];
    const fc = (features: unknown[], extra: Record<string, unknown> = {}) =>
      JSON.stringify({ type: 'FeatureCollection', ...extra, features });
    const cases: [string, RegExp][] = [
      ['{"type": "FeatureCollection", "features": [', /not valid JSON/],
      ['[1, 2]', /FeatureCollection or a TopoJSON Topology/],
      [
        fc([
          {
            type: 'Feature',
            properties: { kzName: 'Акмолинская' },
            geometry: { type: 'Polygon', coordinates: square(70, 50) },
          },
          { type: 'Feature', properties: { kzName: 'X' }, geometry: { type: 'Point', coordinates: [70, 50] } },
        ]),
        /feature 2: a Point is not an area/,
      ],
      [
        fc([
          {
            type: 'Feature',
            properties: { kzName: 'Актюбинская' },
            geometry: { type: 'Polygon', coordinates: square(447157, 531476) },
          },
        ]),
        /not a longitude and latitude.*reproject/,
      ],
      [
        fc([], { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } } }),
        /EPSG::27700.*reproject/,
      ],
      [
        fc([
          {
            type: 'Feature',
            properties: { kzName: 'Nowhere' },
            geometry: { type: 'Polygon', coordinates: square(1, 1) },
          },
        ]),
        /none of the 1 feature\(s\) matched a place under KAZ by "kzName"/,
      ],
    ];
    for (const [body, message] of cases) {
      const r = await post('/api/v1/places/boundaries?matchProperty=kzName&parent=KAZ', body, 'application/json');
      expect(r.statusCode, body.slice(0, 80)).toBe(422);
      expect(r.json().message).toMatch(message);
    }
    // TopoJSON: read with topojson-client (a dry run here), and refused when its arcs are not there.
    const topology = (arcs: number[][]) =>
      JSON.stringify({
        type: 'Topology',
        objects: {
          regions: {
            type: 'GeometryCollection',
            geometries: [{ type: 'Polygon', arcs: [arcs[0]], properties: { kzName: 'Акмолинская' } }],
          },
        },
        arcs: [square(70, 50)[0]],
      });
    const topo = await post(
      '/api/v1/places/boundaries?matchProperty=kzName&parent=KAZ&dryRun=true',
      topology([[0]]),
      'application/json',
    );
    expect(topo.statusCode, topo.body).toBe(200);
    expect(topo.json()).toMatchObject({ features: 1, matched: 1, updated: 1, unmatched: [] });
    const noArc = await post('/api/v1/places/boundaries?matchProperty=kzName', topology([[3]]), 'application/json');
    expect(noArc.statusCode).toBe(422);
    expect(noArc.json().message).toMatch(/its arcs must be indices into "arcs"/);
    const missing = await post('/api/v1/places/boundaries', fc([]), 'application/json');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/matchProperty/);
    expect(await count('place_boundaries')).toBe(stored);
  });

  it("lets a focal point set the shapes of their country's places only", async () => {
    // The three regions of the real file that match, alone (a smaller upload).
    const all = JSON.parse(await readFile(KZ_REGIONS, 'utf8')) as { features: { properties: { kzName: string } }[] };
    const names = ['Акмолинская', 'Актюбинская', 'г.Шымкент'];
    const file = JSON.stringify({ ...all, features: all.features.filter((f) => names.includes(f.properties.kzName)) });
    const url = '/api/v1/places/boundaries?matchProperty=kzName&parent=KAZ&dryRun=true';
    const send = (headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url, payload: file, headers: { ...headers, 'content-type': 'application/json' } });
    const jordan = await signedIn(t, 'jordan@example.org', [{ role: 'national-focal-point', place: 'JOR' }]);
    const refused = await send(jordan);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/you may not change the shape of KZAKM, KZAKT, KZSHY/);
    const kazakhstan = await signedIn(t, 'kz@example.org', [{ role: 'national-focal-point', place: 'KAZ' }]);
    const allowed = await send(kazakhstan);
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect(allowed.json()).toMatchObject({ matched: 3, unchanged: 3 });
  });
});
