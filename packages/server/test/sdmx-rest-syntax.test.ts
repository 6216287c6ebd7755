/**
 * The SDMX web service's syntax, without a database: series keys of SDMX REST 1.5 and 2 (parsed back from what they
 * were written from, fast-check), component filters, versions, paths, content negotiation, SDMX ids of codes, and
 * the versions of DSD_MARSAD as dimensions are added.
 */

import type { ExportRecord } from '@marsad/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeSdmxJson } from '../src/formats/sdmx-json/write.ts';
import { negotiateData, negotiateStructure } from '../src/sdmx-rest/content-negotiation.ts';
import { writeSdmxJsonTwoPass } from '../src/sdmx-rest/json-write.ts';
import {
  filterMatches,
  keyMatches,
  mergeKeys,
  parseComponentFilter,
  parseFlowRef,
  parseKey15,
  parseKeyV2,
  parseVersionV2,
  QuerySyntaxError,
  selectVersions,
} from '../src/sdmx-rest/key-syntax.ts';
import { nextVersions } from '../src/sdmx-rest/marsad-structure.ts';
import { parseSdmxPath } from '../src/sdmx-rest/request-path.ts';
import { baseSdmxId, idMapOf, SDMX_ID, SDMX_NCNAME_ID } from '../src/sdmx-rest/sdmx-ids.ts';

const DIMS = ['INDICATOR', 'SERIES', 'REF_AREA', 'SEX', 'AGE'];
const code = fc.stringMatching(/^[A-Za-z0-9_@$-]{1,8}$/);
const position = fc.option(fc.uniqueArray(code, { minLength: 1, maxLength: 3 }), { nil: null });
const key = fc.array(position, { minLength: DIMS.length, maxLength: DIMS.length });

describe('series keys', () => {
  it('1.5: what a key is written from is what it is read as (empty: any, + between codes)', () => {
    fc.assert(
      fc.property(key, (positions) => {
        const text = positions.map((p) => (p === null ? '' : p.join('+'))).join('.');
        expect(parseKey15(text, DIMS)).toEqual([positions]);
      }),
    );
  });

  it('2: keys separated by commas, * for any', () => {
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 3 }), (keys) => {
        const text = keys.map((k) => k.map((p) => (p === null ? '*' : p.join('+'))).join('.')).join(',');
        expect(parseKeyV2(text, DIMS)).toEqual(keys);
      }),
    );
  });

  it('all, *, an empty key and left-out positions are wildcards; too many positions and bad characters are errors', () => {
    const any = DIMS.map(() => null);
    expect(parseKey15('all', DIMS)).toEqual([any]);
    expect(parseKey15('ALL', DIMS)).toEqual([any]);
    expect(parseKeyV2('*', DIMS)).toEqual([any]);
    expect(parseKey15('11_1_1..MAR', DIMS)).toEqual([[['11_1_1'], null, ['MAR'], null, null]]);
    expect(parseKeyV2('11_1_1.*.MAR+MAAGA', DIMS)).toEqual([[['11_1_1'], null, ['MAR', 'MAAGA'], null, null]]);
    expect(() => parseKey15('a.b.c.d.e.f', DIMS)).toThrow(/6 positions.*5 dimensions/);
    expect(() => parseKey15('a.b c', DIMS)).toThrow(QuerySyntaxError);
    expect(() => parseKey15('a.<b>', DIMS)).toThrow(/character/);
    expect(() => parseKey15('a.b++c', DIMS)).toThrow(/empty value/);
    expect(() => parseKeyV2('a,,b', DIMS)).toThrow(/empty key/);
  });

  it('a row matches when one key holds each of its codes; merged keys are what the database is asked for', () => {
    const keys = parseKeyV2('A.X,B.*', ['D1', 'D2']);
    expect(keyMatches(keys, ['A', 'X'])).toBe(true);
    expect(keyMatches(keys, ['A', 'Y'])).toBe(false);
    expect(keyMatches(keys, ['B', 'Y'])).toBe(true);
    expect(mergeKeys(keys, 2)).toEqual([['A', 'B'], null]);
  });

  it('never throws anything but a syntax error, whatever the key', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        for (const parse of [parseKey15, parseKeyV2]) {
          try {
            const keys = parse(text, DIMS);
            for (const k of keys) expect(k).toHaveLength(DIMS.length);
          } catch (err) {
            expect(err).toBeInstanceOf(QuerySyntaxError);
          }
        }
      }),
    );
  });
});

describe('component filters', () => {
  it('reads OR of ANDs with the operators, eq by default', () => {
    expect(parseComponentFilter('X', 'A,B')).toEqual([[{ op: 'eq', value: 'A' }], [{ op: 'eq', value: 'B' }]]);
    expect(parseComponentFilter('T', 'ge:2015+le:2020')).toEqual([
      [
        { op: 'ge', value: '2015' },
        { op: 'le', value: '2020' },
      ],
    ]);
    expect(() => parseComponentFilter('X', 'ge:')).toThrow(QuerySyntaxError);
    const f = parseComponentFilter('X', 'ne:A+ne:B');
    expect(filterMatches(f, 'C')).toBe(true);
    expect(filterMatches(f, 'A')).toBe(false);
    expect(filterMatches(parseComponentFilter('V', 'gt:9'), '10')).toBe(true);
    expect(filterMatches(parseComponentFilter('V', 'co:ote'), 'a note')).toBe(true);
    expect(filterMatches(parseComponentFilter('V', 'sw:a+ew:e'), 'a note')).toBe(true);
    expect(filterMatches(parseComponentFilter('I', '11.1.1'), '11_1_1', { alias: '11.1.1' })).toBe(true);
  });
});

describe('artefact references and versions', () => {
  const versions = [
    { version: '1.0', final: true },
    { version: '10.0', final: false },
    { version: '2.0', final: true },
  ];
  it('latest, stable, all and exact versions', () => {
    expect(selectVersions(versions, { kind: 'latest' }).map((v) => v.version)).toEqual(['10.0']);
    expect(selectVersions(versions, { kind: 'stable' }).map((v) => v.version)).toEqual(['2.0']);
    expect(selectVersions(versions, parseVersionV2('*')).map((v) => v.version)).toEqual(['1.0', '2.0', '10.0']);
    expect(selectVersions(versions, parseVersionV2('1.0,2.0')).map((v) => v.version)).toEqual(['1.0', '2.0']);
    expect(() => parseVersionV2('1.*')).toThrow(QuerySyntaxError);
  });
  it('flow references of 1.5', () => {
    expect(parseFlowRef('DF_MARSAD')).toEqual({ agencies: null, ids: ['DF_MARSAD'], versions: { kind: 'latest' } });
    expect(parseFlowRef('MARSAD,DF_MARSAD,1.0')).toEqual({
      agencies: ['MARSAD'],
      ids: ['DF_MARSAD'],
      versions: { kind: 'exact', versions: ['1.0'] },
    });
    expect(parseFlowRef('all,DF_MARSAD,latest').agencies).toBeNull();
    expect(() => parseFlowRef('a,b,c,d')).toThrow(QuerySyntaxError);
  });
  it('paths of both APIs', () => {
    expect(parseSdmxPath(['data', 'DF_MARSAD'])).toMatchObject({ kind: 'data', api: '1.5', key: 'all' });
    expect(parseSdmxPath(['v2', 'data', 'dataflow', 'MARSAD', 'DF_MARSAD', '~', 'A.B'])).toMatchObject({
      kind: 'data',
      api: '2',
      key: 'A.B',
      flows: { versions: { kind: 'latest' } },
    });
    expect(parseSdmxPath(['v2', 'structure', 'codelist'])).toMatchObject({ kind: 'structure', types: ['codelist'] });
    expect(parseSdmxPath(['categoryscheme'])).toMatchObject({ kind: 'not-implemented' });
    expect(parseSdmxPath(['availableconstraint', 'DF_MARSAD', 'all', 'all', 'REF_AREA'])).toMatchObject({
      kind: 'availability',
      component: 'REF_AREA',
    });
    expect(() => parseSdmxPath(['nonsense'])).toThrow(QuerySyntaxError);
    expect(() => parseSdmxPath(['v2', 'data', 'dataflow', 'A', 'B', '1.0', 'k', 'extra'])).toThrow(/too many/);
  });
});

describe('content negotiation', () => {
  it('SDMX-ML 2.1 for XML, anything or nothing; the SDMX media types; the format parameter first; null for 406', () => {
    expect(negotiateData(undefined, undefined)).toBe('generic');
    expect(negotiateData('application/xml', undefined)).toBe('generic');
    expect(negotiateData('*/*', undefined)).toBe('generic');
    expect(negotiateData('application/vnd.sdmx.structurespecificdata+xml;version=2.1', undefined)).toBe(
      'structurespecific',
    );
    expect(negotiateData('application/vnd.sdmx.data+json;version=2.0.0', undefined)).toBe('json');
    expect(negotiateData('application/vnd.sdmx.data+csv;version=2.0.0;labels=id', undefined)).toBe('csv');
    expect(negotiateData('text/csv;q=0.5, application/vnd.sdmx.data+json', undefined)).toBe('json');
    expect(negotiateData('application/vnd.sdmx.data+xml;version=3.0.0', undefined)).toBeNull();
    expect(negotiateData('image/png', undefined)).toBeNull();
    expect(negotiateData('image/png', 'csvfile')).toBe('csv');
    expect(negotiateData(undefined, 'nonsense')).toBeNull();
    expect(negotiateStructure('application/vnd.sdmx.structure+xml;version=2.1', undefined)).toBe('xml');
    expect(negotiateStructure('text/html', undefined)).toBeNull();
  });
});

describe('SDMX ids of codes', () => {
  it('keeps what SDMX allows, replaces the rest, and is one to one in the order codes come', () => {
    expect(baseSdmxId('11.1.1', 'code')).toBe('11_1_1');
    expect(baseSdmxId('MA CAS', 'code')).toBe('MA_CAS');
    expect(baseSdmxId('11 age', 'component')).toBe('D_11_age');
    const m = idMapOf(['11.1.1', '11_1_1', '11 1 1'], 'code');
    expect(m.codes.map((c) => m.idOf(c))).toEqual(['11_1_1', '11_1_1_2', '11_1_1_3']);
    expect(m.resolve('11_1_1')).toBe('11.1.1');
    expect(m.resolve('11.1.1')).toBe('11.1.1');
    expect(m.resolve('11_1_1_2')).toBe('11_1_1');
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 20 }), (codes) => {
        const map = idMapOf(codes, 'code');
        const ids = codes.map((c) => map.idOf(c)!);
        expect(new Set(ids).size).toBe(codes.length);
        for (const id of ids) expect(id).toMatch(SDMX_ID);
        for (const c of codes) expect(map.codeOf(map.idOf(c)!)).toBe(c);
        const components = idMapOf(codes, 'component');
        for (const c of codes) expect(components.idOf(c)).toMatch(SDMX_NCNAME_ID);
      }),
    );
  });
});

describe('versions of DSD_MARSAD', () => {
  it('a new dimension makes a new version that keeps the earlier positions; the same dimensions make none', () => {
    const v1 = nextVersions([], ['SEX', 'AGE'])!;
    expect(v1).toEqual([
      {
        version: '1.0',
        dimensions: [
          ['SEX', 'SEX'],
          ['AGE', 'AGE'],
        ],
      },
    ]);
    expect(nextVersions(v1, ['SEX', 'AGE'])).toBeNull();
    const v2 = nextVersions(v1, ['SEX', 'AGE', 'tenure type', 'NATURE', 'REF_AREA'])!;
    expect(v2[0]).toEqual(v1[0]);
    expect(v2[1]).toEqual({
      version: '2.0',
      dimensions: [
        ['SEX', 'SEX'],
        ['AGE', 'AGE'],
        ['tenure type', 'tenure_type'],
        ['NATURE', 'NATURE_2'],
        ['REF_AREA', 'REF_AREA_2'],
      ],
    });
  });
});

describe('SDMX-JSON in two passes', () => {
  it('writes what writeSdmxJson writes, without holding the records', async () => {
    const records: ExportRecord[] = [
      {
        indicator: '11_1_1',
        indicatorName: 'Slums',
        series: 'S',
        place: 'MAR',
        period: '2016',
        value: 1.5,
        status: 'approved',
        unit: 'PERCENT',
        dims: {},
      },
      {
        indicator: '11_1_1',
        series: 'S',
        place: 'MAR',
        period: '2015',
        value: 2,
        status: 'provisional',
        note: 'a "note", with commas',
        dims: { SEX: 'F' },
      },
      {
        indicator: '16_1_1',
        series: 'T',
        place: 'MAAGA',
        period: '2017-Q1',
        value: null,
        suppressedBelow: 10,
        status: 'approved',
        source: 'Census',
        dims: { AGE: 'Y15T24' },
      },
      {
        indicator: '16_1_1',
        series: 'T',
        place: 'MAAGA',
        period: '2014-2016',
        value: -0.25,
        status: 'validated',
        dims: {},
      },
    ];
    const options = {
      dimensions: ['SEX', 'AGE'],
      structureId: 'MARSAD:DF_MARSAD(2.0)',
      messageId: 'M',
      prepared: '2026-01-01T00:00:00Z',
      dimensionNames: { SEX: 'Sex' },
      dimensionValueNames: { SEX: { F: 'Female' } },
    };
    async function* each() {
      yield* records;
    }
    let one = '';
    for await (const chunk of writeSdmxJson(each(), options)) one += chunk;
    let two = '';
    for await (const chunk of (await writeSdmxJsonTwoPass(each, options))!) two += chunk;
    expect(two).toBe(one);
    expect(await writeSdmxJsonTwoPass(async function* () {}, options)).toBeNull();
  });
});
