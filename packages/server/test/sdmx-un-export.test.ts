import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type CheckObservation, checkObservation, type ObservationRecord, type ReadItem } from '@marsad/core';
import { testStoreKinds } from '@marsad/db/testing';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSdmxCsv } from '../src/formats/sdmx-csv/read.ts';
import { readSdmxMl } from '../src/formats/sdmx-ml/read.ts';
import { findStructure } from '../src/sdmx/constraints.ts';
import { unRecords } from '../src/sdmx/un-export.ts';
import { loadUnStructure } from '../src/sdmx/un-form.ts';
import { AUTH, createTestApp, importText, SHARED, signedIn, type TestApp } from './helpers.ts';

/**
 * The export for the UN (server/sdmx/un-export.ts; docs/sdmx.md, "Export for the UN"): Morocco's SDG values under the
 * real global SDG data structure and content constraints (loaded once per database), as SDMX-ML 2.1
 * structure-specific data and SDMX-CSV 2.0. Read back with Marsad's own readers and checked again with core's checker
 * from what the files hold; every mandatory attribute of the structure (read from sdmx_components) on every series or
 * observation; what is left out (and why) is what GET /api/v1/sdmx/check lists.
 */
const SDG_DIR = path.join(SHARED, 'data/sdmx-sdg');
const DSD = readFileSync(path.join(SDG_DIR, 'dsd.xml'));
const CONSTRAINTS = readFileSync(path.join(SDG_DIR, 'sdmx_global_content_constraints.csv'));
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

/** Morocco's values: the ones written, and the ones left out (the comment says why). */
const DATA = [
  'indicator,place,period,value,series,unit,source,note,SEX,URBANISATION,COLOUR',
  '11.1.1,MAR,2018,12.5,EN_LND_SLUM,,Census,,,U,',
  '11.1.1,MAR,2019,12.1,EN_LND_SLUM,,Census,"Urban areas, census year",,U,',
  '11.1.1,MAR,2020,11.9,EN_LND_SLUM,,Census,,,,', // not broken down: the series is the urban population's (U only)
  '11.1.1,MAR,2019,30,EN_LND_SLUM,,Census,,,R,', // URBANISATION R: the series takes U only
  '11.1.1,MAR,2018,12,EN_LND_SLUM,,Census,,,,', // not broken down, beside 2018's U: one key twice (duplicate-key)
  '11.1.1,MAR,2021,11.5,EN_LND_SLUM,,Synthetic survey,,,U,', // a synthetic source
  '16.1.1,MAR,2019,1.5,VC_IHR_PSRC,,Police,,F,,',
  '16.1.1,MAR,2019,1.4,VC_IHR_PSRC,,Police,,,,',
  '16.1.1,MAR,2020,1.3,VC_IHR_PSRC,,Police,,,,',
  '16.1.1,MAR,2020-Q1,0.3,VC_IHR_PSRC,,Police,,,,', // another frequency: a series of its own (FREQ Q)
  '16.1.1,MAR,2021,0.5,VC_IHR_PSRC,,Police,,F,,', // suppressed: 5 victims (fewer than 10)
  '16.1.1,MAR,2021,5,VC_IHR_PSRCN,,Police,,F,,', // suppressed: the count itself
  '16.1.1,MAR,2020,1.2,VC_IHR_PSRC,,Police,,,,RED', // a breakdown the structure lacks
  '16.1.1,MAR,2015-2017,1.6,VC_IHR_PSRC,,Police,,,,', // a span of years: no frequency
  '16.1.1,MAR,2019,1.45,MA_HOMICIDE,PER_100000,Police,,,,', // a national series, alias VC_IHR_PSRC: duplicate
  '11.5.2,MAR,2020,2500000,VC_DSR_CHLN,USD,Ministry,,,,', // the UN takes it in millions (UNIT_MULT 6)
  '16.1.4,MAR,2020,60.5,VC_SNS_WALN_DRK,,Survey,,,,', // written under its alias VC_SNS_WALN (constrained)
  '16.1.1,MAAGA,2019,2.5,VC_IHR_PSRC,,Police,,,,', // a city: the UN takes national data
].join('\n');
const WRITTEN = 9;
const LEFT_OUT = 8;

/** Series and Obs elements of a structure-specific message, with their XML attributes. */
function elementsOf(xml: string) {
  const series: { attrs: Record<string, string>; obs: Record<string, string>[] }[] = [];
  const header: Record<string, string> = {};
  const parser = new SaxesParser({ xmlns: true });
  const stack: string[] = [];
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) if (a.uri === '') attrs[a.local] = a.value;
    if (tag.local === 'Series') series.push({ attrs, obs: [] });
    else if (tag.local === 'Obs') series.at(-1)?.obs.push(attrs);
    else if (tag.local === 'Ref' && stack.at(-1) === 'Structure') Object.assign(header, attrs);
    stack.push(tag.local);
  });
  parser.on('closetag', () => stack.pop());
  parser.write(xml).close();
  return { series, header };
}

async function rowsOf(items: AsyncIterable<ReadItem>): Promise<ObservationRecord[]> {
  const rows: ObservationRecord[] = [];
  for await (const item of items) {
    if (item.kind === 'error') throw new Error(`${item.at}: ${item.message}`);
    if (item.kind === 'row') rows.push(item.record);
  }
  return rows;
}

async function* once(text: string) {
  yield text;
}

describe.each(testStoreKinds())('export for the UN on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sdmx/structures',
      payload: DSD,
      headers: { ...AUTH, 'content-type': 'application/xml' },
    });
    expect(s.statusCode, s.body).toBe(200);
    const c = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sdmx/constraints',
      payload: CONSTRAINTS,
      headers: { ...AUTH, 'content-type': 'text/csv' },
    });
    expect(c.statusCode, c.body).toBe(200);
    const imp = await importText(t.app, DATA, { format: 'csv', status: 'approved' });
    expect(imp.statusCode, imp.body).toBe(201);
    const provisional = await importText(
      t.app,
      'indicator,place,period,value,series,source\n16.1.1,MAR,2022,1.1,VC_IHR_PSRC,Police',
      {
        format: 'csv',
      },
    );
    expect(provisional.statusCode, provisional.body).toBe(201);
    const db = t.db.store.db;
    await db
      .updateTable('series')
      .set({ aliases: ['VC_IHR_PSRC'] })
      .where('code', '=', 'MA_HOMICIDE')
      .execute();
    await db.updateTable('sources').set({ synthetic: true }).where('name', '=', 'Synthetic survey').execute();
    await db
      .updateTable('places')
      .set({ codes: { iso3166_alpha2: 'MA', m49: '504' } })
      .where('code', '=', 'MAR')
      .execute();
  }, 120_000);
  afterAll(async () => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('writes SDMX-ML 2.1 structure-specific data that the checker and the structure take whole', async () => {
    const r = await get('/api/v1/sdmx/export?place=MAR');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/vnd\.sdmx\.structurespecificdata\+xml; version=2\.1/);
    expect(r.headers['content-disposition']).toBe('attachment; filename="MAR_IAEG-SDGs-SDG-1.14.xml"');
    expect(r.headers['x-marsad-left-out']).toBe(String(LEFT_OUT));
    expect(r.headers.link).toBe(
      `</api/v1/sdmx/check?${new URLSearchParams({ place: 'MAR', structure: 'IAEG-SDGs:SDG(1.14)' })}>; rel="describedby"; title="the values left out"`,
    );
    if (hasXmllint) {
      const lint = spawnSync('xmllint', ['--noout', '-'], { input: r.body });
      expect(lint.status, lint.stderr.toString()).toBe(0);
    }
    const { series, header } = elementsOf(r.body);
    expect(header).toEqual({ agencyID: 'IAEG-SDGs', id: 'SDG', version: '1.14' });
    expect(r.body).toContain(
      'namespace="urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=IAEG-SDGs:SDG(1.14):ObsLevelDim:TIME_PERIOD"',
    );
    expect(series.flatMap((s) => s.obs)).toHaveLength(WRITTEN);

    // Every dimension of the structure on every series, in its order; each key once.
    const components = await t.db.store.db
      .selectFrom('sdmx_components as c')
      .innerJoin('sdmx_structures as s', 's.id', 'c.structure_id')
      .select(['c.component', 'c.kind', 'c.position', 'c.mandatory', 'c.attachment'])
      .where('s.code', '=', 'SDG')
      .where('s.version', '=', '1.14')
      .orderBy('c.position')
      .execute();
    const dimensions = components.filter((c) => c.kind === 'dimension').map((c) => c.component);
    expect(dimensions).toHaveLength(15);
    for (const s of series) expect(Object.keys(s.attrs).slice(0, dimensions.length)).toEqual(dimensions);
    const keys = series.map((s) => dimensions.map((d) => s.attrs[d]).join('.'));
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of series) {
      expect(s.attrs).toMatchObject({ REPORTING_TYPE: 'N', REF_AREA: '504' });
      // Each key's observations by time period.
      const periods = s.obs.map((o) => o.TIME_PERIOD as string);
      expect(periods).toEqual([...periods].sort());
    }
    // Every mandatory attribute, where the structure attaches it.
    const mandatory = components.filter((c) => c.kind === 'attribute' && c.mandatory);
    expect(mandatory.map((c) => c.component).sort()).toEqual(['OBS_STATUS', 'UNIT_MEASURE', 'UNIT_MULT']);
    for (const a of mandatory)
      for (const s of series) {
        if (a.attachment === 'observation') for (const o of s.obs) expect(o[a.component], a.component).toBeTruthy();
        else expect(s.attrs[a.component], a.component).toBeTruthy();
      }
    for (const o of series.flatMap((s) => s.obs)) expect(o).toMatchObject({ NATURE: 'C', OBS_STATUS: 'A' });

    const find = (code: string, more: Record<string, string> = {}) =>
      series.find((s) => s.attrs.SERIES === code && Object.entries(more).every(([k, v]) => s.attrs[k] === v));
    expect(find('EN_LND_SLUM')).toMatchObject({
      attrs: { FREQ: 'A', URBANISATION: 'U', SEX: '_T', AGE: '_T', PRODUCT: '_T', UNIT_MEASURE: 'PT' },
      obs: [
        { TIME_PERIOD: '2018', OBS_VALUE: '12.5', UNIT_MULT: '0', SOURCE_DETAIL: 'Census' },
        { TIME_PERIOD: '2019', OBS_VALUE: '12.1', COMMENT_OBS: 'Urban areas, census year' },
        // Not broken down in Marsad: the series is the urban population's, so it goes under URBANISATION U.
        { TIME_PERIOD: '2020', OBS_VALUE: '11.9' },
      ],
    });
    expect(find('VC_IHR_PSRC', { FREQ: 'A', SEX: 'F' })?.obs).toEqual([
      expect.objectContaining({ TIME_PERIOD: '2019', OBS_VALUE: '1.5' }),
    ]);
    expect(find('VC_IHR_PSRC', { FREQ: 'A', SEX: '_T' })).toMatchObject({
      attrs: { UNIT_MEASURE: 'PER_100000_POP' },
      obs: [{ TIME_PERIOD: '2019' }, { TIME_PERIOD: '2020' }],
    });
    expect(find('VC_IHR_PSRC', { FREQ: 'Q' })?.obs).toEqual([
      expect.objectContaining({ TIME_PERIOD: '2020-Q1', OBS_VALUE: '0.3' }),
    ]);
    // In millions, as the series' constraint says; under the alias that the constraints name, Marsad's own code told.
    expect(find('VC_DSR_CHLN')).toMatchObject({
      attrs: { UNIT_MEASURE: 'USD' },
      obs: [{ OBS_VALUE: '2.5', UNIT_MULT: '6' }],
    });
    expect(find('VC_SNS_WALN')).toMatchObject({
      attrs: { COMMENT_TS: 'National series code VC_SNS_WALN_DRK', UNIT_MEASURE: 'PT' },
      obs: [{ OBS_VALUE: '60.5' }],
    });
    // Never the suppressed values, never a city's.
    expect(r.body).not.toContain('VC_IHR_PSRCN');
    expect(r.body).not.toContain('OBS_VALUE="0.5"');
    expect(r.body).not.toContain('OBS_VALUE="5"');

    // Read back by Marsad's reader: the same values.
    const rows = await rowsOf(readSdmxMl(once(r.body)));
    expect(rows).toHaveLength(WRITTEN);
    expect(rows.find((x) => x.series === 'VC_DSR_CHLN')).toMatchObject({
      value: 2.5,
      unitMultiplier: '6',
      place: '504',
    });
    expect(rows.find((x) => x.series === 'VC_IHR_PSRC' && x.dims.SEX === 'F')).toMatchObject({
      period: '2019',
      value: 1.5,
      unit: 'PER_100000_POP',
    });

    // The file checked again from what it holds: nothing the UN would refuse.
    const found = await findStructure(t.db.store, 'IAEG-SDGs:SDG');
    if (!found) throw new Error('the SDG structure is not loaded');
    const structure = await loadUnStructure(t.db.store, found);
    for (const s of series)
      for (const o of s.obs) {
        const breakdown: Record<string, string> = {};
        const totals: Record<string, string> = {};
        for (const d of dimensions.slice(4)) {
          const code = s.attrs[d] as string;
          if (code === '_T' || code === '_Z') totals[d] = code;
          else breakdown[d] = code;
        }
        const { TIME_PERIOD: _time, OBS_VALUE: _value, ...obsAttributes } = o;
        const seriesAttributes = Object.fromEntries(Object.entries(s.attrs).filter(([k]) => !dimensions.includes(k)));
        const observation: CheckObservation = {
          series: s.attrs.SERIES as string,
          place: 'MAR',
          area: s.attrs.REF_AREA as string,
          period: o.TIME_PERIOD as string,
          breakdown,
          totals,
          frequency: s.attrs.FREQ,
          reportingType: s.attrs.REPORTING_TYPE,
          attributes: { ...seriesAttributes, ...obsAttributes },
        };
        expect(checkObservation(structure.check, structure.constraints, observation)).toEqual([]);
      }
  });

  it('writes SDMX-CSV 2.0 with the same values', async () => {
    const r = await get('/api/v1/sdmx/export?place=MAR&format=sdmx-csv');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/vnd\.sdmx\.data\+csv; version=2\.0\.0/);
    expect(r.headers['x-marsad-left-out']).toBe(String(LEFT_OUT));
    const lines = r.body.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REPORTING_TYPE,SERIES,REF_AREA,SEX,AGE,URBANISATION,INCOME_WEALTH_QUANTILE,EDUCATION_LEV,OCCUPATION,CUST_BREAKDOWN,COMPOSITE_BREAKDOWN,DISABILITY_STATUS,ACTIVITY,PRODUCT,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MULT,UNIT_MEASURE,BASE_PER,NATURE,TIME_DETAIL,COMMENT_OBS,TIME_COVERAGE,UPPER_BOUND,LOWER_BOUND,SOURCE_DETAIL,COMMENT_TS,GEO_INFO_URL,GEO_INFO_TYPE,CUST_BREAKDOWN_LB,DATA_LAST_UPDATE',
    );
    expect(lines).toHaveLength(WRITTEN + 1);
    expect(lines[1]).toMatch(/^datastructure,IAEG-SDGs:SDG\(1\.14\),I,A,N,/);
    const rows = await rowsOf(readSdmxCsv(once(r.body)));
    expect(rows).toHaveLength(WRITTEN);
    expect(rows.find((x) => x.series === 'EN_LND_SLUM' && x.period === '2019')).toMatchObject({
      value: 12.1,
      place: '504',
      unit: 'PT',
      note: 'Urban areas, census year',
      source: 'Census',
      dims: { URBANISATION: 'U' },
    });
    expect(rows.find((x) => x.series === 'VC_DSR_CHLN')).toMatchObject({ value: 2.5, unitMultiplier: '6' });
  });

  it('leaves out what the check refuses and counts it; strict refuses naming it; unRecords gives the same', async () => {
    const check = await get('/api/v1/sdmx/check?place=MAR', AUTH);
    expect(check.statusCode, check.body).toBe(200);
    // The administrator sees every status: the provisional value too.
    expect(check.json()).toMatchObject({
      observations: WRITTEN + LEFT_OUT + 1,
      valuesLeftOut: LEFT_OUT,
      byRule: {
        'breakdown-not-allowed': 1,
        'synthetic-source': 1,
        suppressed: 2,
        'unknown-dimension': 1,
        'no-frequency': 1,
        'duplicate-key': 2,
      },
    });
    const rules = (check.json().problems as { series: string; period: string; rule: string }[]).map(
      (p) => `${p.series} ${p.period} ${p.rule}`,
    );
    expect(rules).toEqual(
      expect.arrayContaining([
        'EN_LND_SLUM 2019 breakdown-not-allowed',
        'VC_IHR_PSRC 2021 suppressed',
        'VC_IHR_PSRC 2015-2017 no-frequency',
        'VC_IHR_PSRC 2019 duplicate-key',
        'EN_LND_SLUM 2018 duplicate-key',
      ]),
    );

    const strict = await get('/api/v1/sdmx/export?place=MAR&strict=true');
    expect(strict.statusCode).toBe(422);
    expect(strict.json().message).toMatch(
      /^strict: 8 of the 17 values of MAR would not pass under IAEG-SDGs:SDG\(1\.14\)/,
    );
    expect(strict.json().message).toContain('EN_LND_SLUM 2019 [URBANISATION=R]');
    expect(strict.json().details.problems).toContainEqual(
      expect.objectContaining({ series: 'EN_LND_SLUM', period: '2019', component: 'URBANISATION', code: 'R' }),
    );

    const u = await unRecords(t.db.store, { place: 'MAR' });
    expect(u.structure.ref).toBe('IAEG-SDGs:SDG(1.14)');
    expect(u.structure.components.slice(0, 4).map((c) => c.id)).toEqual([
      'FREQ',
      'REPORTING_TYPE',
      'SERIES',
      'REF_AREA',
    ]);
    expect(u.structure.components.find((c) => c.id === 'UNIT_MEASURE')).toMatchObject({
      kind: 'attribute',
      attachment: 'series',
      mandatory: true,
      codelist: 'IAEG-SDGs:CL_UNIT_MEASURE(1.8)',
    });
    const records = [];
    for await (const r of u.records) records.push(r);
    expect(records).toHaveLength(WRITTEN);
    expect(records[0]?.key).toMatchObject({ FREQ: 'A', REPORTING_TYPE: 'N', REF_AREA: '504' });
    expect(u.leftOut.values).toBe(LEFT_OUT);
  });

  it('adds the provisional values (OBS_STATUS P) with status=all, for those who may see them only', async () => {
    const national = await signedIn(t, 'national@un.example', [{ role: 'national-focal-point', place: 'MAR' }]);
    const all = await get('/api/v1/sdmx/export?place=MAR&status=all', national);
    expect(all.statusCode, all.body).toBe(200);
    const obs = elementsOf(all.body).series.flatMap((s) => s.obs);
    expect(obs).toHaveLength(WRITTEN + 1);
    // A reader of the place's unpublished values sees its suppressed values; the UN never gets them.
    expect(all.body).not.toContain('OBS_VALUE="0.5"');
    expect(obs.filter((o) => o.OBS_STATUS === 'P')).toEqual([
      expect.objectContaining({ TIME_PERIOD: '2022', OBS_VALUE: '1.1' }),
    ]);

    const city = await signedIn(t, 'city@un.example', [{ role: 'city-focal-point', place: 'MAAGA' }]);
    const jordan = await signedIn(t, 'jordan@un.example', [{ role: 'national-focal-point', place: 'JOR' }]);
    for (const headers of [{}, city, jordan]) {
      const r = await get('/api/v1/sdmx/export?place=MAR&status=all', headers);
      expect(r.statusCode).toBe(403);
      expect(r.json().message).toMatch(/^status: "all" includes values that are not approved/);
    }
  });

  it('answers bad input with 400 naming the field', async () => {
    const bad = async (query: string, pattern: RegExp) => {
      const r = await get(`/api/v1/sdmx/export?${query}`);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().message).toMatch(pattern);
    };
    await bad('place=NOWHERE', /^place: no place with code "NOWHERE"/);
    await bad(
      'place=MAAGA',
      /^place: MAAGA is a city, not a country: the UN takes a country's national data; export MAR/,
    );
    await bad('place=MAR&structure=XX:NONE', /^structure: no data structure XX:NONE is loaded/);
    await bad(
      'place=MAR&structure=IAEG-SDGs:SDG(9.9)',
      /^structure: no data structure IAEG-SDGs:SDG\(9\.9\) is loaded/,
    );
    await bad('place=MAR&format=xlsx', /format/);
    await bad('place=MAR&status=provisional', /status/);
    await bad('', /place/);
    await t.db.store.db.updateTable('places').set({ codes: {} }).where('code', '=', 'JOR').execute();
    await bad('place=JOR', /^place: JOR has no M49 code/);
  });
});
