import { createReadStream } from 'node:fs';
import { type ExportRecord, type ObservationRecord, parsePeriod, type ReadItem } from '@marsad/core';
import {
  type FormatName,
  type ReadOptions,
  readObservations,
  type WriteOptions,
  writeObservations,
} from '../../src/formats/index.ts';

export async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  for (const p of parts) yield p;
}

/** The text split into chunks of `size` bytes, to exercise chunk boundaries. */
export async function* bytesIn(text: string, size = 7): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const i of items) out.push(i);
  return out;
}

export async function read(
  format: FormatName,
  text: string | AsyncIterable<string | Uint8Array>,
  options: ReadOptions = {},
): Promise<ReadItem[]> {
  return collect(readObservations(format, typeof text === 'string' ? bytesIn(text) : text, options));
}

export async function readFile(format: FormatName, path: string, options: ReadOptions = {}): Promise<ReadItem[]> {
  return collect(readObservations(format, createReadStream(path), options));
}

export function rows(
  items: ReadItem[],
): { at: ReadItem['kind'] extends never ? never : number | string; record: ObservationRecord }[] {
  return items.flatMap((i) => (i.kind === 'row' ? [{ at: i.at, record: i.record }] : []));
}

export function errors(items: ReadItem[]) {
  return items.filter((i): i is Extract<ReadItem, { kind: 'error' }> => i.kind === 'error');
}

export function skips(items: ReadItem[]) {
  return items.filter((i): i is Extract<ReadItem, { kind: 'skip' }> => i.kind === 'skip');
}

export async function write(format: FormatName, records: ExportRecord[], options: WriteOptions = {}): Promise<string> {
  async function* source() {
    for (const r of records) yield r;
  }
  return (await collect(writeObservations(format, source(), options))).join('');
}

/** The canonical code of a period as written by any format. */
export function canonical(period: string): string {
  const p = parsePeriod(period);
  if (!p.ok) throw new Error(`${period}: ${p.message}`);
  return p.period.code;
}

export const DIMENSIONS = ['SEX', 'AGE'];

/**
 * Records for the round trips: dimensions and totals, notes with commas, quotes and new lines,
 * Arabic text, negative and decimal values, every status, sources, several period kinds.
 */
export const RECORDS: ExportRecord[] = [
  {
    indicator: '11.1.1',
    indicatorName: 'Proportion of urban population living in slums',
    series: 'EN_LND_SLUM',
    place: 'EGY-CAI',
    placeName: 'القاهرة',
    placeExternal: '0101',
    period: '2024',
    value: 12.5,
    unit: 'PERCENT',
    status: 'approved',
    source: 'CAPMAS, Census 2024',
    note: 'Estimate, "provisional" method;\nsee annex',
    dims: { SEX: 'F', AGE: 'Y15T24' },
  },
  {
    indicator: '11.1.1',
    series: 'EN_LND_SLUM',
    place: 'EGY-CAI',
    period: '2024',
    value: -3.75,
    unit: 'PERCENT',
    status: 'validated',
    source: 'الجهاز المركزي للتعبئة العامة والإحصاء',
    note: 'ملاحظة: القيمة سالبة، "تقديرية"',
    dims: { SEX: 'M' },
  },
  {
    indicator: '11.1.1',
    series: 'EN_LND_SLUM',
    place: 'EGY-ALX',
    period: '2017-18',
    value: 0.000125,
    status: 'provisional',
    dims: {},
  },
  {
    indicator: '11.1.1',
    series: 'EN_LND_SLUM',
    place: 'EGY-ALX',
    period: '2024-Q1',
    value: 1234567.89,
    unit: 'Number of people',
    status: 'approved',
    note: 'line one\nline two, with a comma',
    dims: { AGE: 'Y_GE65' },
  },
  {
    indicator: '11.1.1',
    series: 'EN_LND_SLUM',
    place: 'EGY-ALX',
    period: '2024-01',
    value: 0,
    status: 'validated',
    source: 'Survey "Hadar" 2024',
    dims: { SEX: 'F' },
  },
  {
    indicator: '11.1.1',
    series: 'EN_LND_SLUM',
    place: 'EGY-CAI',
    period: '2024-W05',
    value: 7,
    status: 'provisional',
    dims: {},
  },
];

/** Records with periods DHIS2 cannot express (used by the formats that can). */
export const MORE_PERIODS: ExportRecord[] = [
  {
    indicator: '11.1.1',
    series: 'EN_LND_SLUM',
    place: 'EGY-CAI',
    period: '1990-1999',
    value: 16.1,
    status: 'approved',
    dims: {},
  },
  {
    indicator: '11.1.1',
    series: 'EN_LND_SLUM',
    place: 'EGY-CAI',
    period: '2024-01-15/2024-03-31',
    value: 2.5,
    status: 'approved',
    dims: { SEX: 'M', AGE: 'Y15T24' },
  },
];

export interface Compared {
  indicator?: string;
  series?: string;
  place?: string;
  period: string;
  value: number | null;
  unit?: string;
  status?: string;
  source?: string;
  note?: string;
  dims: Record<string, string>;
}

type Field = 'indicator' | 'series' | 'place' | 'unit' | 'status' | 'source' | 'note';

/** The fields a format carries, for comparing what was written with what was read back. */
export function expected(r: ExportRecord, fields: readonly Field[]): Compared {
  const out: Compared = { period: r.period, value: r.value, dims: { ...r.dims } };
  for (const f of fields) if (r[f] !== undefined) out[f] = r[f];
  return out;
}

export function actual(record: ObservationRecord, fields: readonly Field[]): Compared {
  const out: Compared = { period: canonical(record.period), value: record.value, dims: { ...record.dims } };
  for (const f of fields) if (record[f] !== undefined) out[f] = record[f];
  return out;
}
