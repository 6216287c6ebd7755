/**
 * A place's SDG values in their UN form (un-form.ts), each with its problems (core's sdmx/check.ts): what the check
 * reports (check-data.ts) and what the export for the UN writes (un-export.ts, the values without problems) come from
 * this one reading.
 *
 * The values: those of the place itself (not of the places under it), of the series of SDG indicators (an indicator
 * with an SDG target), approved ones only or every status. They are read through the observation stream that every
 * export uses (`streamObservations`: keyset pages, the suppression rule evaluated in SQL, a withheld value null), one
 * Marsad series at a time, and handed out grouped by their UN series key (each key's values together, by time period),
 * so that a writer puts each key's observations in one series element. Besides core's rules, two need every value:
 * a SERIES code is written from one Marsad series only (the first with a value written; the values of another series
 * with the same code or alias are `duplicate-key`), one value per key and period (of two values of one Marsad series
 * that meet under one UN key — a value not broken down, written under the one code its series takes, beside a value
 * given with that code — the one given with more of its breakdown is written, the other is `duplicate-key`), and the
 * series attributes (UNIT_MEASURE) of a key are those of
 * its first value (a value with others: `series-attribute-differs`).
 */
import { breakdownKey, type CheckProblem, checkObservation } from '@marsad/core';
import { type ObservationRow, type Store, streamObservations } from '@marsad/db';
import { type UnForm, type UnStructure, unFormWriter } from './un-form.ts';

export interface UnItem {
  form: UnForm;
  /** Empty when the value is written. */
  problems: CheckProblem[];
  /** The stored value it comes from: Marsad's period with its first and last day, when it was last written. */
  observation: Pick<ObservationRow, 'period' | 'periodStart' | 'periodEnd' | 'updatedAt'>;
}

export interface UnSelection {
  place: { code: string; codes: Record<string, string> | null };
  /** The place's M49 code (null: none; every value is then `no-area-code`). */
  area: string | null;
  approvedOnly: boolean;
  /**
   * Only these Marsad series (codes; a series whose alias is one of them is read too): what a service selecting UN
   * series reads. A UN SERIES code is written from the Marsad series written under it only, so the values of a code
   * are those of the whole reading as long as every series written under it is read.
   */
  series?: readonly string[];
}

interface SeriesInfo {
  code: string;
  aliases: string[];
  unit: string | null;
}

/** How many breakdown codes of a value's UN key were filled in for it (a total, or the one code its series takes). */
const implied = (f: UnForm) => Object.keys(f.check.totals ?? {}).length;

/** Every value of the selection, in its UN form with its problems, grouped by UN series key. */
export async function* unItems(store: Store, s: UnStructure, sel: UnSelection): AsyncGenerator<UnItem> {
  const sdgSeries = await store.db
    .selectFrom('series as s')
    .innerJoin('indicators as i', 'i.id', 's.indicator_id')
    .select(['s.id', 's.code', 's.aliases', 's.unit_code', 'i.code as indicator'])
    .where('i.sdg_target', 'is not', null)
    .execute();
  if (!sdgSeries.length || sel.series?.length === 0) return;
  const series = new Map<number, SeriesInfo>(
    sdgSeries.map((r) => [r.id, { code: r.code, aliases: r.aliases, unit: r.unit_code }]),
  );
  const toForm = unFormWriter(s);
  const seriesAttributes = s.components
    .filter((c) => c.kind === 'attribute' && c.attachment !== 'observation')
    .map((c) => c.id);
  /** UN SERIES code → the Marsad series written under it. */
  const owners = new Map<string, number>();

  function* flush(seriesId: number, rows: ObservationRow[]): Generator<UnItem> {
    const info = series.get(seriesId);
    if (!info) return;
    const forms = rows.map((r) => {
      const form = toForm({
        series: info.code,
        aliases: info.aliases,
        seriesUnit: info.unit,
        place: sel.place.code,
        area: sel.area,
        period: r.period,
        dims: r.dims,
        value: r.value,
        suppressedBelow: r.suppressedBelow,
        unit: r.unit,
        status: r.status,
        source: r.source,
        synthetic: r.synthetic,
        note: r.note,
      });
      return { form, key: Object.values(form.key).join('\u0000'), row: r };
    });
    forms.sort((a, b) =>
      a.key < b.key
        ? -1
        : a.key > b.key
          ? 1
          : a.form.timePeriod < b.form.timePeriod
            ? -1
            : a.form.timePeriod > b.form.timePeriod
              ? 1
              : // Of two values under one key and period, the one given with more of its breakdown comes first.
                implied(a.form) - implied(b.form),
    );
    let openKey: string | undefined;
    let openAttributes = '';
    /** The key and period of the last value written: one value per key and period. */
    let lastWritten: string | undefined;
    for (const { form, key, row } of forms) {
      const problems = checkObservation(s.check, s.constraints, form.check);
      const where = {
        series: form.check.series,
        place: form.check.place,
        period: form.check.period,
        breakdown: breakdownKey(form.check.breakdown),
      };
      const owner = owners.get(form.check.series);
      if (owner !== undefined && owner !== seriesId)
        problems.push({
          ...where,
          rule: 'duplicate-key',
          component: 'SERIES',
          code: form.check.series,
          message: `series ${form.check.series} is already written from the Marsad series ${series.get(owner)?.code ?? owner}: the UN takes one value per key (Marsad series ${info.code} is left out)`,
        });
      // Only a value that would be written otherwise (one left out for its own reason, e.g. a breakdown the structure
      // lacks and so not in its key, is not also a duplicate).
      if (!problems.length && (owner === undefined || owner === seriesId)) {
        if (lastWritten === `${key}\u0000${form.timePeriod}`)
          problems.push({
            ...where,
            rule: 'duplicate-key',
            message: `another value of Marsad series ${info.code} has the same key and period in the UN's terms (a value not broken down goes under the one code its series takes, beside a value given with that code): the UN takes one value per key (this one is left out)`,
          });
      }
      const attributes = seriesAttributes.map((a) => form.attributes[a] ?? '').join('\u0000');
      if (key === openKey && attributes !== openAttributes) {
        const differing = seriesAttributes.find(
          (a, i) => (form.attributes[a] ?? '') !== openAttributes.split('\u0000')[i],
        );
        problems.push({
          ...where,
          rule: 'series-attribute-differs',
          ...(differing ? { component: differing, code: form.attributes[differing] ?? '' } : {}),
          message: `the series attribute ${differing ?? '?'} of this value (${form.attributes[differing ?? ''] ?? 'none'}) differs from the one of the values before it under the same key`,
        });
      }
      if (!problems.length) {
        lastWritten = `${key}\u0000${form.timePeriod}`;
        if (owner === undefined) owners.set(form.check.series, seriesId);
        if (key !== openKey) {
          openKey = key;
          openAttributes = attributes;
        }
      }
      yield {
        form,
        problems,
        observation: {
          period: row.period,
          periodStart: row.periodStart,
          periodEnd: row.periodEnd,
          updatedAt: row.updatedAt,
        },
      };
    }
  }

  let current: number | undefined;
  let rows: ObservationRow[] = [];
  for await (const row of streamObservations(store.db, {
    places: [sel.place.code],
    indicators: [...new Set(sdgSeries.map((r) => r.indicator))],
    ...(sel.series ? { series: [...sel.series] } : {}),
    ...(sel.approvedOnly ? { statuses: ['approved' as const] } : {}),
  })) {
    if (row.seriesId !== current) {
      if (current !== undefined) yield* flush(current, rows);
      current = row.seriesId;
      rows = [];
    }
    rows.push(row);
  }
  if (current !== undefined) yield* flush(current, rows);
}
