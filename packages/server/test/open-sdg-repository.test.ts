/**
 * A whole Open SDG data repository (issue 14), built here small: three data files (one with a
 * row of too few cells), one archived file, metadata of two indicators with front matter in two
 * languages (a root file and a per-language folder) and one translation file. Imported as a zip
 * through the API, and from a folder with the function the CLI uses: the per-file report, the
 * metadata stored and served in the language asked, all or nothing per file and for the whole.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { testStoreKinds } from '@marsad/db/testing';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_REASON_CODES } from '../src/imports/open-sdg-repository/repository-reason-codes.ts';
import { CLI_ACTOR, folderRepository, importRepository } from '../src/index.ts';
import { AUTH, createTestApp, type TestApp } from './helpers.ts';

const FILES: Record<string, string> = {
  'data/indicator_11-1-1.csv': 'Year,Value\n2019,12.5\n2020,11\n',
  'data/indicator_99-9-9.csv': 'Year,Value\n2021,4\n2022,5\n',
  // Row 3 has too few cells: the file is refused with the row named.
  'data/indicator_11-2-1.csv': 'Year,Sex,Value\n2019,F,50\n2020,60\n',
  'data/archived-11-6-1.csv': 'Year,Value\n2010,1\n',
  'meta/11-1-1.md': `---
indicator_name: global_indicators.11-1-1-title
indicator_number: 11.1.1
national_indicator_description: national_indicator_description.11-1-1
computation_units: Percentage (%)
data_footnote: <p>Figures for 2020 are provisional.</p><script>alert(1)</script>
reporting_status: complete
graph_title: Urban population living in slums
data_keywords: Housing; Slums
source_active_1: true
source_organisation_1: Test Office
source_url_1: https://example.org/slums
source_active_2: false
source_organisation_2: An inactive source
---
See [the method](https://example.org/method) for **details**.
`,
  'meta/99-9-9.md': `---
indicator_available: Households with a local garden
computation_units: Number
reporting_status: inprogress
---
`,
  'meta/ar/99-9-9.md': `---
indicator_available: الأسر التي لديها حديقة محلية
computation_units: عدد
---
`,
  // Continued on a line indented with no-break spaces, as in Kazakhstan's translations/en/sources.yml.
  'translations/ar/national_indicator_description.yml':
    "'11-1-1': نسبة سكان المدن الذين يعيشون\n\u00a0\u00a0في أحياء فقيرة\n",
  // Boundaries as the UK ships them: matched by the property that matches most places (the Russian name here,
  // as Kazakhstan's kzName; the code property matches one), one area matching nothing.
  'geojsons/districts.geojson': JSON.stringify({
    type: 'FeatureCollection',
    features: [
      area({ objectid: 1, lad16cd: 'E06000001', nameRu: 'Хартлпул' }, 0),
      area({ objectid: 2, lad16cd: 'X99', nameRu: 'Мидлсбро' }, 1),
      area({ objectid: 3, lad16cd: 'E06000099', nameRu: 'Нигде' }, 2),
    ],
  }),
  // …and a file at the root that matches no place, and one that is not GeoJSON: neither fails the import.
  'regions.geojson': JSON.stringify({ type: 'FeatureCollection', features: [area({ kzCode: 'KZ03' }, 3)] }),
  'geojsons/broken.geojson': '{"type": "FeatureCollection", "features": [',
};

function area(properties: Record<string, unknown>, x: number) {
  const ring = [
    [x, 50],
    [x + 0.5, 50],
    [x + 0.5, 50.5],
    [x, 50],
  ];
  return { type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: [ring] } };
}

const PLACES =
  'code,parent,level,name_en,name_ru\nE06000001,GBR,city,Hartlepool,Хартлпул\nE06000002,GBR,city,Middlesbrough,Мидлсбро\n';

async function zipOf(files: Record<string, string>, top = 'sdg-data-main/'): Promise<Buffer> {
  const zip = new JSZip();
  for (const [p, text] of Object.entries(files)) zip.file(`${top}${p}`, text);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

function upload(t: TestApp, body: Buffer, query: Record<string, string>) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/imports/repository?${new URLSearchParams(query)}`,
    payload: body,
    headers: { 'content-type': 'application/zip', ...AUTH },
  });
}

describe.each(testStoreKinds())('Open SDG repository import on %s', (kind) => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-repo-test-'));
    for (const [p, text] of Object.entries(FILES)) {
      await mkdir(path.dirname(path.join(dir, p)), { recursive: true });
      await writeFile(path.join(dir, p), text);
    }
    const places = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places/import',
      payload: PLACES,
      headers: { 'content-type': 'text/csv', ...AUTH },
    });
    expect(places.statusCode, places.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports the whole repository all or nothing: a refused file leaves nothing written', async () => {
    const before = await t.db.store.db.selectFrom('observations').select('series_id').execute();
    const report = await importRepository(t.db.store, await folderRepository(dir), {
      place: 'GBR',
      publisher: 'Test Office',
      createIndicators: true,
      allOrNothing: true,
      actor: CLI_ACTOR.label,
      auditActor: CLI_ACTOR,
      status: 'provisional',
      rowStatusAllowed: true,
    });
    expect(report.state).toBe('failed');
    const byPath = Object.fromEntries(report.files.map((f) => [f.path, f]));
    expect(byPath['data/indicator_11-2-1.csv']).toMatchObject({ outcome: 'refused' });
    expect(byPath['data/indicator_11-2-1.csv']!.errors[0]).toMatchObject({ at: 3 });
    // Every other file was checked, then rolled back with the rest.
    expect(byPath['data/indicator_11-1-1.csv']).toMatchObject({ outcome: 'rolled-back' });
    expect(byPath['meta/11-1-1.md']).toMatchObject({ outcome: 'rolled-back' });
    // The boundaries are only checked once a file is refused; the broken one refused does not count against the whole.
    expect(byPath['geojsons/districts.geojson']).toMatchObject({ outcome: 'checked', boundaries: { matched: 2 } });
    expect(await t.db.store.db.selectFrom('place_boundaries').selectAll().execute()).toHaveLength(0);
    expect(await t.db.store.db.selectFrom('observations').select('series_id').execute()).toHaveLength(before.length);
    expect(await t.db.store.db.selectFrom('indicator_metadata').selectAll().execute()).toHaveLength(0);
    expect(await t.db.store.db.selectFrom('indicators').where('code', '=', '99.9.9').selectAll().execute()).toEqual([]);
    const batch = await t.db.store.db
      .selectFrom('import_batches')
      .selectAll()
      .where('id', '=', report.batchId)
      .executeTakeFirstOrThrow();
    expect(batch).toMatchObject({ format: 'open-sdg-repository', state: 'failed', failure_reason: 'invalid-rows' });
  });

  it('imports a zip file by file: per-file report, metadata stored and served in the language asked', async () => {
    const r = await upload(t, await zipOf(FILES), {
      place: 'GBR',
      publisher: 'Test Office',
      createIndicators: 'true',
      fileName: 'sdg-data-main.zip',
    });
    const body = r.json();
    expect(r.statusCode).toBe(201);
    expect(body.state).toBe('partial');
    const byPath = Object.fromEntries(
      (body.files as { path: string; outcome: string }[]).map((f) => [f.path, f]),
    ) as Record<string, Record<string, unknown>>;
    expect(byPath['data/indicator_11-1-1.csv']).toMatchObject({
      outcome: 'imported',
      indicatorState: 'matched',
      counts: { inserted: 2 },
    });
    expect(byPath['data/indicator_99-9-9.csv']).toMatchObject({ outcome: 'imported', indicatorState: 'created' });
    expect(byPath['data/indicator_11-2-1.csv']).toMatchObject({ outcome: 'refused' });
    expect((byPath['data/indicator_11-2-1.csv']!.errors as { at: number; message: string }[])[0]).toMatchObject({
      at: 3,
      message: expect.stringMatching(/cells/),
    });
    expect(byPath['data/archived-11-6-1.csv']).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringMatching(/archived/),
    });
    expect(byPath['meta/11-1-1.md']).toMatchObject({ outcome: 'imported', metadata: { languages: ['ar', 'en'] } });
    expect(byPath['meta/99-9-9.md']).toMatchObject({ outcome: 'imported', alsoRead: ['meta/ar/99-9-9.md'] });
    expect(body.totals).toMatchObject({ refused: 2, inserted: 4 });
    // Counted per kind, every file once: 4 data files, the metadata of 2 indicators from 3 files, 1 translation
    // file, 3 boundaries files.
    expect(body.totals.byKind).toMatchObject({
      data: { files: 4, imported: 2, refused: 1, skipped: 1 },
      metadata: { entries: 2, files: 3, imported: 2 },
      translations: { files: 1, read: 1 },
      boundaries: { files: 3, imported: 1, skipped: 1, refused: 1 },
    });
    const dataPaths = (body.files as { path: string; kind: string }[])
      .filter((f) => f.kind === 'data')
      .map((f) => f.path);
    expect(dataPaths.sort()).toEqual(
      Object.keys(FILES)
        .filter((p) => p.startsWith('data/'))
        .sort(),
    );
    expect(body.message).toMatch(
      /^data files: 4 \(2 imported, 1 refused, 1 skipped\); 4 rows: .*metadata of 2 indicator\(s\) from 3 file\(s\) \(2 imported\).*translation files: 1 \(1 read\); boundary files: 3 \(1 imported, 1 refused, 1 skipped\)/,
    );
    expect(byPath['geojsons/districts.geojson']).toMatchObject({
      kind: 'boundaries',
      outcome: 'imported',
      boundaries: {
        matchProperty: 'nameRu',
        tried: [
          { property: 'nameRu', matched: 2 },
          { property: 'lad16cd', matched: 1 },
          { property: 'objectid', matched: 0 },
        ],
        matched: 2,
        created: 2,
        unmatchedCount: 1,
        unmatched: [{ feature: 3, value: 'Нигде' }],
      },
    });
    expect(byPath['regions.geojson']).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/kzCode/) });
    expect(byPath['geojsons/broken.geojson']).toMatchObject({ outcome: 'refused' });
    const shaped = await t.app.inject({ url: '/api/v1/places/GBR/areas' });
    expect(shaped.statusCode, shaped.body).toBe(200);
    expect(JSON.stringify(shaped.json())).toMatch(/E06000002/);

    // The indicator created from its data is named by its metadata, in both languages.
    const local = await t.app.inject({ url: '/api/v1/indicators/99.9.9?lang=ar' });
    expect(local.json()).toMatchObject({ local: true, ownerPlace: 'GBR' });
    expect(local.json().names).toMatchObject({
      en: 'Households with a local garden',
      ar: 'الأسر التي لديها حديقة محلية',
    });

    const ar = (await t.app.inject({ url: '/api/v1/indicators/11.1.1/metadata?lang=ar' })).json();
    expect(ar.sources).toHaveLength(1);
    const src = ar.sources[0];
    expect(src).toMatchObject({
      source: 'Test Office (Open SDG)',
      place: { code: 'GBR' },
      reportingStatus: 'complete',
    });
    const field = (s: typeof src, f: string) => s.fields.find((x: { field: string }) => x.field === f);
    expect(field(src, 'national_indicator_description')).toMatchObject({
      lang: 'ar',
      text: 'نسبة سكان المدن الذين يعيشون في أحياء فقيرة',
    });
    // No Arabic footnote: the English one, said to be English; sanitised (no script).
    expect(field(src, 'data_footnote')).toMatchObject({ lang: 'en' });
    expect(field(src, 'data_footnote').html).toBe('<p>Figures for 2020 are provisional.</p>');
    // Markdown made into safe HTML.
    expect(field(src, 'page_content').html).toBe(
      '<p>See <a href="https://example.org/method" rel="nofollow noopener noreferrer">the method</a> for <strong>details</strong>.</p>',
    );
    // An unresolved key of Open SDG's shared translations is left out; an inactive source too.
    expect(field(src, 'indicator_name')).toBeUndefined();
    expect(field(src, 'source_organisation_1')).toMatchObject({ text: 'Test Office' });
    expect(field(src, 'source_organisation_2')).toBeUndefined();
    const en = (await t.app.inject({ url: '/api/v1/indicators/99.9.9/metadata?lang=en' })).json();
    expect(field(en.sources[0], 'computation_units')).toMatchObject({ lang: 'en', text: 'Number' });
    const ar9 = (await t.app.inject({ url: '/api/v1/indicators/99.9.9/metadata?lang=ar' })).json();
    expect(field(ar9.sources[0], 'computation_units')).toMatchObject({ lang: 'ar', text: 'عدد' });
    expect(ar9.sources[0].reportingStatus).toBe('inprogress');
    // The declared status feeds the reporting status of the place.
    const status = (await t.app.inject({ url: '/api/v1/reporting-status?framework=sdg&place=GBR' })).json();
    expect(status.cells.find((c: { indicator: string }) => c.indicator === '11.1.1').declared).toEqual({
      status: 'complete',
      source: 'Test Office (Open SDG)',
    });

    // Again, with the bad file mended: what was imported is unchanged, the mended file imports.
    const again = await upload(t, await zipOf({ ...FILES, 'data/indicator_11-2-1.csv': 'Year,Value\n2019,50\n' }), {
      place: 'GBR',
      publisher: 'Test Office',
      allOrNothing: 'true',
    });
    expect(again.statusCode).toBe(201);
    const b2 = again.json();
    // The broken boundaries file is refused again, and the whole is still committed.
    expect(b2.state).toBe('committed');
    expect(b2.files.find((f: { path: string }) => f.path === 'geojsons/districts.geojson').boundaries).toMatchObject({
      unchanged: 2,
    });
    expect(b2.files.find((f: { path: string }) => f.path === 'data/indicator_11-1-1.csv').counts).toMatchObject({
      inserted: 0,
      unchanged: 2,
    });
    expect(b2.files.find((f: { path: string }) => f.path === 'meta/11-1-1.md').metadata).toMatchObject({
      added: 0,
      changed: 0,
    });
  });

  it("names what its data creates by the repository's translations, in each language, and finds its boundaries by them", async () => {
    // As Kazakhstan's repository: regions, series, units and breakdowns by code in the data, named per language in
    // translations/<lang>/<GROUP>.yml (a column's own key names the column), the regions' shapes by Russian name.
    const repo = {
      'data/indicator_98-1-1.csv':
        'Year,SERIES,UNIT_MEASURE,REF_AREA,ZZ_ACTIVITY,Value\n2020,SE_TEST,PT,,,40\n2020,SE_TEST,PT,KZTST,,41\n2020,SE_TEST,PT,KZTST,X01,42\n',
      'translations/en/REF_AREA.yml': 'REF_AREA: Regions\nKZTST: Testobl\n',
      'translations/ru/REF_AREA.yml': 'REF_AREA: Регионы\nKZTST: г_Тестовск\n',
      'translations/kz/REF_AREA.yml': 'KZTST: Тест облысы\n',
      'translations/en/SERIES.yml': 'SE_TEST: pupils with a test\n',
      'translations/ru/UNIT_MEASURE.yml': 'PT: процент\n',
      'translations/en/ZZ_ACTIVITY.yml': 'ZZ_ACTIVITY: Type of testing activity\nX01: Crop testing\n',
      'regions.geojson': JSON.stringify({
        type: 'FeatureCollection',
        features: [area({ kzCode: 'KZ99', kzName: 'г.Тестовск' }, 4), area({ kzCode: 'KZ98', kzName: 'Нигде' }, 5)],
      }),
    };
    const r = await upload(t, await zipOf(repo), {
      place: 'KAZ',
      createIndicators: 'true',
      createPlaces: 'true',
      fileName: 'kz-like.zip',
    });
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json();
    const data = body.files.find((f: { path: string }) => f.path === 'data/indicator_98-1-1.csv');
    expect(data).toMatchObject({ outcome: 'imported', counts: { inserted: 3 } });
    expect(data.created).toContainEqual({ kind: 'place', code: 'KZTST', detail: 'region "Testobl" under KAZ' });

    const place = async (lang: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/places/KZTST?lang=${lang}` })).json();
    expect((await place('ru')).name).toBe('г_Тестовск');
    expect((await place('en')).name).toBe('Testobl');
    expect((await place('en')).names).toEqual({ en: 'Testobl', ru: 'г_Тестовск', kk: 'Тест облысы' });

    const ind = (await t.app.inject({ method: 'GET', url: '/api/v1/indicators/98.1.1?lang=ru' })).json();
    expect(ind.series).toContainEqual(
      expect.objectContaining({
        code: 'SE_TEST',
        names: { en: 'pupils with a test' },
        unit: 'PT',
        unitName: 'процент',
      }),
    );
    const dims = (await t.app.inject({ method: 'GET', url: '/api/v1/dimensions?lang=en' })).json();
    const activity = dims.items.find((d: { code: string }) => d.code === 'ZZ_ACTIVITY');
    expect(activity.names).toEqual({ en: 'Type of testing activity' });
    expect(activity.values).toContainEqual(expect.objectContaining({ code: 'X01', names: { en: 'Crop testing' } }));

    // The shape whose Russian name is the region's (punctuation aside) is its boundary; the other is listed.
    const shapes = body.files.find((f: { path: string }) => f.path === 'regions.geojson');
    expect(shapes).toMatchObject({
      outcome: 'imported',
      boundaries: { matchProperty: 'kzName', matched: 1, unmatched: [{ value: 'Нигде' }] },
    });
    const areas = (await t.app.inject({ method: 'GET', url: '/api/v1/places/KAZ/areas?lang=en' })).json();
    expect(JSON.stringify(areas)).toContain('KZTST');
  });

  it('refuses a zip over the upload limits with a message, and what is not a repository', async () => {
    const small = await createTestApp(kind, {
      build: { uploadLimits: { maxRepositoryBytes: 1000, maxRepositoryEntries: 5 } },
    });
    try {
      const big = await upload(
        small,
        await zipOf({ 'data/indicator_11-1-1.csv': `Year,Value\n${'2019,1\n'.repeat(300)}` }),
        {
          place: 'GBR',
        },
      );
      expect(big.statusCode).toBe(413);
      expect(big.json().message).toMatch(/MARSAD_UPLOAD_MAX_REPOSITORY_BYTES/);
      const many = await upload(small, await zipOf(FILES), { place: 'GBR' });
      expect(many.statusCode).toBe(413);
      expect(many.json().message).toMatch(/entries; at most 5 are read \(MARSAD_UPLOAD_MAX_REPOSITORY_ENTRIES\)/);
      expect(many.json().details).toEqual({
        limit: 'entries',
        code: 'too-many-entries',
        params: { entries: expect.any(Number), max: 5 },
      });
      const notZip = await upload(small, Buffer.from('Year,Value\n2019,1\n'), { place: 'GBR' });
      expect(notZip.statusCode).toBe(400);
      // The English message as it was, and the code with the zip reader's words as the detail, for the web app.
      expect(notZip.json()).toMatchObject({
        error: 'bad_request',
        message: expect.stringMatching(/^This is not a zip that can be read \(.+\)\.$/),
        details: { code: 'not-a-zip', params: { detail: expect.stringMatching(/central directory/) } },
      });
      const noData = await upload(small, await zipOf({ 'README.md': 'hello' }), { place: 'GBR' });
      expect(noData.statusCode).toBe(400);
      expect(noData.json().message).toMatch(/no data\/ folder/);
      expect(noData.json().details).toEqual({ code: 'no-data-folder', params: {} });
    } finally {
      await small.close();
    }
  });

  it('gives why a file was refused or skipped as a code with its values, beside the English reason', async () => {
    const r = await upload(
      t,
      await zipOf({
        'data/indicator_11-1-1.csv': 'Year,Value\n2019,12.5\n',
        'data/indicator_11-2-1.csv': 'Year,Value\n2019\n2020,1\n',
        'data/notes/readme.csv': 'a\n',
        'data/archived-11-6-1.csv': 'Year,Value\n2010,1\n',
        // A flow sequence left open: the yaml library's message names line 1, column 9, then quotes the line.
        'translations/en/broken.yml': 'title: [a\n b: c]\n',
        'meta/11-1-1.md': '---\nindicator_name: [x\n---\n',
      }),
      { place: 'GBR', dryRun: 'true' },
    );
    expect(r.statusCode, r.body).toBe(200);
    const byPath = Object.fromEntries((r.json().files as { path: string }[]).map((f) => [f.path, f])) as Record<
      string,
      Record<string, unknown>
    >;
    expect(byPath['translations/en/broken.yml']).toMatchObject({
      outcome: 'refused',
      reason:
        'refused: the YAML cannot be read: Implicit keys of flow sequence pairs need to be on a single line (line 1, column 9)',
      reasonCode: 'yaml-syntax',
      reasonParams: {
        file: 'translations/en/broken.yml',
        line: 1,
        column: 9,
        detail: 'Implicit keys of flow sequence pairs need to be on a single line',
      },
    });
    expect(byPath['meta/11-1-1.md']).toMatchObject({
      outcome: 'refused',
      reason: expect.stringMatching(/^meta\/11-1-1\.md: the YAML cannot be read: .+ \(line \d+, column \d+\)$/),
      reasonCode: 'yaml-syntax',
      reasonParams: { file: 'meta/11-1-1.md', line: expect.any(Number), column: expect.any(Number) },
    });
    expect(byPath['data/indicator_11-2-1.csv']).toMatchObject({
      outcome: 'refused',
      reason: '1 error(s) in 1 row(s); nothing of it was imported',
      reasonCode: 'rows-refused',
      reasonParams: { errors: 1, rows: 1 },
    });
    expect(byPath['data/notes/readme.csv']).toMatchObject({ outcome: 'skipped', reasonCode: 'not-data-file' });
    expect(byPath['data/archived-11-6-1.csv']).toMatchObject({
      outcome: 'skipped',
      reasonCode: 'archived-indicator',
      reasonParams: { indicator: '11.6.1' },
    });
    expect(byPath['data/indicator_11-1-1.csv']).not.toHaveProperty('reasonCode');
    // No English reason ends on a colon (the yaml library's excerpt of the text is left out).
    for (const f of Object.values(byPath)) if (f.reason) expect(f.reason).not.toMatch(/:\s*$/);
  });
});

describe('repository reason codes', () => {
  it('have a message in the six catalogs, naming the same values', () => {
    const locales = path.resolve(import.meta.dirname, '../../web/src/i18n/locales');
    for (const lang of ['ar', 'en', 'es', 'fr', 'ru', 'zh']) {
      const catalog = JSON.parse(readFileSync(path.join(locales, `${lang}.json`), 'utf8')) as Record<string, string>;
      for (const [code, params] of Object.entries(REPOSITORY_REASON_CODES)) {
        const m = catalog[`import.reason.${code}`];
        expect(m, `${lang} import.reason.${code}`).toBeTypeOf('string');
        const named = [...new Set([...m!.matchAll(/\{(\w+)\}/g)].map((x) => x[1]))].sort();
        expect(named, `${lang} ${code}`).toEqual([...params].sort());
      }
    }
  });
});
