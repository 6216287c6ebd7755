import { checkEntries, type EntryValue, type ValidationRules } from '@marsad/core';
import type { EntryProblem } from '../pages/entry/entry-problems.ts';

/** What the offline check needs of the data-entry form (GET /api/v1/entry/form), as it was kept on the device. */
export interface OfflineFormIndicator {
  code: string;
  series: { code: string; default: boolean }[];
  dimensions: { code: string; values: { code: string }[] }[];
  validationRules?: ValidationRules;
  current: { series: string; dims: Record<string, string>; value: number; status: string; version: number }[];
  previous: { series: string; dims: Record<string, string>; value: number }[];
}
export interface OfflineEntry {
  indicator: string;
  series: string;
  dims: Record<string, string>;
  value: number;
  note?: string;
}

const dimsKey = (d: Record<string, string>) =>
  Object.keys(d)
    .sort()
    .map((k) => `${k}=${d[k]}`)
    .join('|');

/**
 * The entries checked on the device with the indicator's rules, by core's checkEntries — the function the server runs
 * (entry-save.ts) — against the previous values kept with the form; an approved value is not changed offline either.
 * Problems name the entry's index, as the server's do. The server checks everything again when the change is sent.
 */
export function checkOffline(indicators: OfflineFormIndicator[], entries: OfflineEntry[]): EntryProblem[] {
  const problems: EntryProblem[] = [];
  const byCode = new Map(indicators.map((i) => [i.code, i]));
  const groups = new Map<string, number[]>();
  entries.forEach((e, i) => {
    groups.set(e.indicator, [...(groups.get(e.indicator) ?? []), i]);
    const cur = byCode
      .get(e.indicator)
      ?.current.find((c) => c.series === e.series && dimsKey(c.dims) === dimsKey(e.dims));
    if (cur?.status === 'approved' && cur.value !== e.value)
      problems.push({ index: i, field: 'value', code: 'approved-value', params: { value: cur.value }, message: '' });
  });
  for (const [code, indexes] of groups) {
    const ind = byCode.get(code);
    if (!ind) continue;
    const values: EntryValue[] = indexes.map((i) => ({
      series: entries[i]!.series,
      dims: entries[i]!.dims,
      value: entries[i]!.value,
      unit: null,
      note: entries[i]!.note ?? null,
    }));
    const found = checkEntries(
      ind.validationRules ?? {},
      values,
      (series, dims) => ind.previous.find((p) => p.series === series && dimsKey(p.dims) === dimsKey(dims))?.value,
      (dim) => ind.dimensions.find((d) => d.code === dim)?.values.map((v) => v.code) ?? [],
    );
    for (const p of found)
      if (p.severity === 'error')
        problems.push({ index: indexes[p.index]!, field: p.field, code: p.code, params: p.params, message: p.message });
  }
  return problems.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
}

/** The version each entry starts from: the value's on the form kept (null: no value yet). */
export function baseVersion(ind: OfflineFormIndicator | undefined, e: OfflineEntry): number | null {
  return ind?.current.find((c) => c.series === e.series && dimsKey(c.dims) === dimsKey(e.dims))?.version ?? null;
}
