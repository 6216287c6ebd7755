// How every writer shows a value suppressed by its indicator's rule (docs/methods/suppression.md):
// withheld from the reader (value null) it is an empty value with the format's confidentiality
// mark and never the number; shown to a privileged reader it carries the mark; and the readers
// skip a withheld value instead of importing it (or a dimension made of the mark).

import type { ExportRecord } from '@marsad/core';
import { describe, expect, it } from 'vitest';
import type { Dhis2Mapping } from '../../src/formats/index.ts';
import { errors, read, rows, skips, write } from './helpers.ts';

const base = {
  indicator: '16.1.1',
  series: 'VC_IHR_PSRCN',
  place: 'EGY-CAI',
  unit: 'NUMBER',
  status: 'approved' as const,
};
/** Withheld from this reader: the true count (7) is not in the record at all. */
const WITHHELD: ExportRecord = { ...base, period: '2023', value: null, suppressedBelow: 10, dims: { SEX: 'F' } };
/** Shown to a privileged reader, marked. */
const REVEALED: ExportRecord = {
  ...base,
  period: '2022',
  value: 7,
  suppressedBelow: 10,
  note: 'police records',
  dims: { SEX: 'F' },
};
const PLAIN: ExportRecord = { ...base, period: '2021', value: 12, dims: { SEX: 'F' } };
const RECORDS = [WITHHELD, REVEALED, PLAIN];
const MAPPING: Dhis2Mapping = {
  dataElements: { deHomicideN: { indicator: '16.1.1', series: 'VC_IHR_PSRCN' } },
  orgUnits: { egyCairo001: 'EGY-CAI' },
  categoryOptionCombos: { cocFemale01: { SEX: 'F' } },
};

describe('suppressed values in every export format', () => {
  it('tidy CSV: empty value and suppressed_below; the reader skips the row and imports no suppressed_below dimension', async () => {
    const text = await write('csv', RECORDS, { dimensions: ['SEX'] });
    expect(text.trim().split('\n')).toEqual([
      'indicator,series,place,period,value,unit,status,source,note,suppressed_below,SEX',
      '16.1.1,VC_IHR_PSRCN,EGY-CAI,2023,,NUMBER,approved,,,10,F',
      '16.1.1,VC_IHR_PSRCN,EGY-CAI,2022,7,NUMBER,approved,,police records,10,F',
      '16.1.1,VC_IHR_PSRCN,EGY-CAI,2021,12,NUMBER,approved,,,,F',
    ]);
    const items = await read('csv', text);
    expect(errors(items)).toEqual([]);
    expect(items.find((i) => i.kind === 'notice')).toEqual({ kind: 'notice', message: 'dimension columns: SEX' });
    expect(skips(items)).toEqual([
      { kind: 'skip', at: 2, reason: 'no value (suppressed in the export: fewer than 10)' },
    ]);
    expect(rows(items).map((r) => [r.record.period, r.record.value, r.record.dims])).toEqual([
      ['2022', 7, { SEX: 'F' }],
      ['2021', 12, { SEX: 'F' }],
    ]);
  });

  it('SDMX-CSV: OBS_VALUE empty, CONF_STATUS C and the reason in COMMENT_OBS; the reader skips it', async () => {
    const text = await write('sdmx-csv', RECORDS, { dimensions: ['SEX'] });
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe(
      'STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,SERIES,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS,CONF_STATUS,MARSAD_STATUS,COMMENT_OBS,SOURCE_DETAIL',
    );
    expect(lines.slice(1)).toEqual([
      'dataflow,MARSAD:DF_MARSAD(1.0),I,16.1.1,VC_IHR_PSRCN,EGY-CAI,F,2023,,NUMBER,A,C,approved,Suppressed to protect privacy: fewer than 10,',
      'dataflow,MARSAD:DF_MARSAD(1.0),I,16.1.1,VC_IHR_PSRCN,EGY-CAI,F,2022,7,NUMBER,A,C,approved,police records,',
      'dataflow,MARSAD:DF_MARSAD(1.0),I,16.1.1,VC_IHR_PSRCN,EGY-CAI,F,2021,12,NUMBER,A,,approved,,',
    ]);
    const items = await read('sdmx-csv', text);
    expect(errors(items)).toEqual([]);
    expect(rows(items).map((r) => [r.record.period, r.record.value, r.record.dims])).toEqual([
      ['2022', 7, { SEX: 'F' }],
      ['2021', 12, { SEX: 'F' }],
    ]);
    expect(skips(items)).toHaveLength(1);
  });

  it('SDMX-JSON: the observation value is null with CONF_STATUS C; the reader skips it', async () => {
    const text = await write('sdmx-json', RECORDS, {
      dimensions: ['SEX'],
      prepared: '2025-01-01T00:00:00Z',
      messageId: 'T',
    });
    const msg = JSON.parse(text);
    const attrs = msg.data.structures[0].attributes.observation as {
      id: string;
      values: { id?: string; value?: string }[];
    }[];
    const at = (id: string) => attrs.findIndex((a) => a.id === id);
    expect(attrs[at('CONF_STATUS')]!.values).toEqual([{ id: 'C', name: 'Confidential statistical information' }]);
    const times = msg.data.structures[0].dimensions.observation
      .find((d: { id: string }) => d.id === 'TIME_PERIOD')
      .values.map((v: { id: string }) => v.id);
    const obs = Object.entries(msg.data.dataSets[0].observations as Record<string, (number | null)[]>)
      .map(([key, o]) => ({
        period: times[Number(key.split(':').at(-1))],
        value: o[0],
        conf: o[1 + at('CONF_STATUS')] ?? null,
      }))
      .sort((a, b) => a.period.localeCompare(b.period));
    expect(obs).toEqual([
      { period: '2021', value: 12, conf: null },
      { period: '2022', value: 7, conf: 0 },
      { period: '2023', value: null, conf: 0 },
    ]);
    expect(text).not.toMatch(/"2023[^"]*":\[7/);
    const items = await read('sdmx-json', text);
    expect(errors(items)).toEqual([]);
    expect(
      rows(items)
        .map((r) => r.record.value)
        .sort(),
    ).toEqual([12, 7]);
    expect(skips(items)).toHaveLength(1);
  });

  it('Open SDG: an empty Value with the reason, or the value marked hidden from the public', async () => {
    const text = await write('open-sdg', RECORDS, { dimensions: ['SEX'] });
    expect(text.trim().split('\n')).toEqual([
      'Year,SEX,Series,Units,GeoCode,COMMENT_OBS,Value',
      '2023,F,VC_IHR_PSRCN,NUMBER,EGY-CAI,Suppressed to protect privacy: fewer than 10,',
      '2022,F,VC_IHR_PSRCN,NUMBER,EGY-CAI,Hidden from the public (fewer than 10). police records,7',
      '2021,F,VC_IHR_PSRCN,NUMBER,EGY-CAI,,12',
    ]);
    const items = await read('open-sdg', text, { indicator: '16.1.1' });
    expect(rows(items).map((r) => r.record.value)).toEqual([7, 12]);
    expect(skips(items)).toHaveLength(1);
  });

  it('DHIS2: a comment-only data value without the number', async () => {
    const text = await write('dhis2', RECORDS, { dhis2Mapping: MAPPING });
    const values = JSON.parse(text).dataValues as Record<string, string>[];
    expect(values.map((v) => [v.period, v.value, v.comment])).toEqual([
      ['2023', undefined, 'Suppressed to protect privacy: fewer than 10'],
      ['2022', '7', 'Hidden from the public (fewer than 10). police records'],
      ['2021', '12', undefined],
    ]);
    expect('value' in values[0]!).toBe(false);
    const items = await read('dhis2', text, { dhis2Mapping: MAPPING });
    expect(rows(items).map((r) => r.record.value)).toEqual([7, 12]);
    expect(skips(items)).toHaveLength(1);
  });

  it('refuses a record without a value that is not suppressed (a bug, not an empty cell)', async () => {
    const bad: ExportRecord = { ...PLAIN, value: null };
    for (const format of ['csv', 'sdmx-csv', 'sdmx-json', 'open-sdg'] as const) {
      await expect(write(format, [bad], { dimensions: ['SEX'] }), format).rejects.toThrow(
        /no value and is not suppressed/,
      );
    }
    await expect(write('dhis2', [bad], { dhis2Mapping: MAPPING })).rejects.toThrow(/no value and is not suppressed/);
  });
});
