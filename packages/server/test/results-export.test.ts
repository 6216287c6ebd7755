import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { testStoreKinds } from '@marsad/db/testing';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, type TestApp } from './helpers.ts';

/**
 * A programme's results framework exported as CSV and as IATI activity XML 2.03, the XML checked
 * with xmllint against the IATI schema copied into test/fixtures/iati-2.03 (its source: the
 * README there). Without xmllint (Debian: libxml2-utils) the schema check is skipped with a
 * message, unless MARSAD_REQUIRE_BROWSER=1 (CI), where that is a failure.
 */
const SCHEMA = path.resolve(import.meta.dirname, 'fixtures/iati-2.03/iati-activities-schema.xsd');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
const requireTools = process.env.MARSAD_REQUIRE_BROWSER === '1';
if (!hasXmllint && !requireTools) console.warn('IATI schema check skipped: no xmllint (apt-get install libxml2-utils)');

const json = { ...AUTH, 'content-type': 'application/json' };

describe.each(testStoreKinds())('results exports on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind);
    const a = await importText(
      t.app,
      'indicator,series,place,period,value\n16.1.1,VC_IHR_PSRC,MAAGA,2015,8\n16.1.1,VC_IHR_PSRC,MAAGA,2024,7\n',
      { format: 'csv', status: 'approved', source: 'Test <police> & records' },
    );
    expect(a.statusCode, a.body).toBe(201);
    const post = async (url: string, payload: unknown) => {
      const r = await t.app.inject({ method: 'POST', url, headers: json, payload: JSON.stringify(payload) });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as number;
    };
    await post('/api/v1/programmes', {
      code: 'EXP',
      names: { ar: 'برنامج المدن الأكثر أماناً', en: 'Safer "cities" & test' },
      descriptions: { en: 'A programme to export.' },
      startYear: 2020,
      endYear: 2030,
      demonstration: true,
      partners: [{ names: { en: 'UN-Habitat' } }],
    });
    const impact = await post('/api/v1/results', {
      programme: 'EXP',
      level: 'impact',
      code: 'I1',
      titles: { ar: 'خفض العنف', en: 'Less violence' },
    });
    const outcome = await post('/api/v1/results', {
      programme: 'EXP',
      parent: impact,
      level: 'outcome',
      code: 'O1',
      titles: { en: 'Outcome' },
      descriptions: { en: 'Policies <adopted>' },
    });
    await post('/api/v1/results', {
      programme: 'EXP',
      parent: outcome,
      level: 'output',
      code: 'P1',
      titles: { en: 'Output without a measure' },
    });
    const act = await post('/api/v1/results', {
      programme: 'EXP',
      parent: outcome,
      level: 'activity',
      code: 'A1',
      titles: { en: 'Workshops' },
    });
    await post(`/api/v1/results/${impact}/measures`, {
      kind: 'indicator',
      indicator: '16.1.1',
      places: ['MAAGA'],
      baseline: { year: 2015 },
      targets: [
        { year: 2027, value: 6 },
        { year: 2030, value: 4 },
      ],
    });
    await post(`/api/v1/results/${outcome}/measures`, {
      kind: 'computed',
      formula: 'cities-less-violence',
      targets: [{ year: 2030, value: 100 }],
    });
    await post(`/api/v1/results/${act}/measures`, {
      kind: 'specific',
      names: { ar: 'ورش عمل', en: 'Workshops held' },
      ascending: true,
      measure: 'unit',
      baseline: { year: 2020, value: 0 },
      targets: [{ year: 2023, value: 4 }],
      actuals: [
        { year: 2022, value: 1 },
        { year: 2023, value: 3 },
      ],
      demonstration: true,
    });
    await post('/api/v1/programmes/EXP/budget-lines', {
      labels: { en: 'Staff' },
      currency: 'USD',
      year: 2024,
      amount: 1000.5,
    });
    await post('/api/v1/programmes/EXP/budget-lines', {
      labels: { en: 'Staff' },
      currency: 'USD',
      year: 2024,
      amount: 99.5,
    });
    await post('/api/v1/programmes/EXP/budget-lines', {
      labels: { en: 'Ten years' },
      currency: 'USD',
      year: 2021,
      endYear: 2030,
      amount: 25_000_000,
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('writes one CSV row per measure, and a row for a result without one', async () => {
    const r = await t.app.inject({ url: '/api/v1/programmes/EXP/export?format=csv' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    expect(r.body.startsWith('\uFEFF')).toBe(true);
    const rows = parse(r.body.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => [x.result_code, x.level, x.depth, x.measure_kind])).toEqual([
      ['I1', 'impact', '0', 'indicator'],
      ['O1', 'outcome', '1', 'computed'],
      ['P1', 'output', '2', ''],
      ['A1', 'activity', '2', 'specific'],
    ]);
    // 16.1.1 at Agadir: baseline 2015 = 8 (observations), actual 2024 = 7, target 2030 = 4: (7 − 8) / (4 − 8) = 0.25.
    expect(rows[0]).toMatchObject({
      programme: 'EXP',
      demonstration: 'true',
      indicator: '16.1.1',
      series: 'VC_IHR_PSRC',
      places: 'MAAGA',
      ascending: 'false',
      iati_measure: 'unit',
      baseline_year: '2015',
      baseline_value: '8',
      baseline_from: 'observations',
      targets: '2027=6; 2030=4',
      actual_year: '2024',
      actual_value: '7',
      actual_from: 'observations',
      actual_sources: 'Test <police> & records',
      progress: '0.25',
      status: 'off-track',
      result_title_ar: 'خفض العنف',
    });
    expect(rows[3]).toMatchObject({
      measure_name_ar: 'ورش عمل',
      actual_year: '2023',
      actual_value: '3',
      progress: '0.75',
      measure_demonstration: 'true',
    });
  });

  it('refuses the IATI export until the reporting organisation is set', async () => {
    const r = await t.app.inject({ url: '/api/v1/programmes/EXP/export?format=iati' });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toMatch(/^reportingOrg: /);
  });

  it('refuses a reporting organisation type outside the IATI OrganisationType codelist, naming the field', async () => {
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/programmes/EXP',
      headers: json,
      payload: JSON.stringify({ reportingOrg: { ref: 'XX-TEST-1', type: '99' } }),
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().message).toMatch(/reportingOrg\.type/);
    expect(patch.json().message).toMatch(/OrganisationType/);
    // Nothing was written: the export still lacks the organisation.
    expect((await t.app.inject({ url: '/api/v1/programmes/EXP/export?format=iati' })).statusCode).toBe(409);
  });

  it('writes IATI 2.03 results that the schema accepts', async () => {
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/programmes/EXP',
      headers: json,
      payload: JSON.stringify({
        reportingOrg: { ref: 'XX-TEST-1', type: '40', names: { en: 'Test organisation', ar: 'منظمة للاختبار' } },
      }),
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const r = await t.app.inject({ url: '/api/v1/programmes/EXP/export?format=iati' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/xml/);
    const xml = r.body;
    expect(xml).toContain('<iati-identifier>XX-TEST-1-EXP</iati-identifier>');
    expect(xml).toContain('<narrative xml:lang="ar">برنامج المدن الأكثر أماناً</narrative>');
    expect(xml).toContain('<narrative>Safer &quot;cities&quot; &amp; test</narrative>');
    expect(xml).toMatch(/<result type="3"[^>]*>\s*<title>/);
    expect(xml).toMatch(/<result type="2"/);
    expect(xml).toMatch(/<result type="9"/);
    expect(xml).not.toContain('Output without a measure');
    expect(xml).toContain('Results without a measure, which IATI cannot hold: P1.');
    expect(xml).toContain('<indicator measure="1" ascending="0">');
    expect(xml).toContain('<reference vocabulary="9" code="16.1.1"/>');
    expect(xml).toMatch(/<baseline year="2015" value="8">/);
    expect(xml).toMatch(
      /<period-start iso-date="2030-01-01"\/>\s*<period-end iso-date="2030-12-31"\/>\s*<target value="4"\/>/,
    );
    expect(xml).toMatch(
      /<period-start iso-date="2024-01-01"\/>\s*<period-end iso-date="2024-12-31"\/>\s*<actual value="7">/,
    );
    expect(xml).toContain('Test &lt;police&gt; &amp; records');
    expect(xml).toContain('<value currency="USD" value-date="2024-01-01">1100.00</value>');
    expect(xml).toContain('Budget lines over several years, not written as IATI budgets: 25000000 USD 2021-2030.');
    expect(xml).toContain('Demonstration data');
    if (!hasXmllint) {
      if (requireTools)
        throw new Error('MARSAD_REQUIRE_BROWSER=1 but xmllint is missing (apt-get install libxml2-utils)');
      return;
    }
    const file = path.join(t.dataDir, 'exp-iati.xml');
    await writeFile(file, xml);
    const lint = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' });
    expect(lint.stderr).toContain('validates');
    expect(lint.status, lint.stderr).toBe(0);
    // The check can fail: the same file without its required reporting organisation does not validate.
    await writeFile(file, xml.replace(/<reporting-org[\s\S]*?<\/reporting-org>/, ''));
    expect(spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' }).status).not.toBe(0);
  });
});
