import { type IndexMessage, indexMessage, type MissingWhy } from './messages.ts';
import type { CompositeIndicator, CompositeUnit, MissingTreatment, ValueTreatment } from './types.ts';
import { finiteValue, mean } from './values.ts';

/** The data matrix after the missing-value step: `values[u][i]` or `null` (left out), and what was done. */
export interface TreatedData {
  values: (number | null)[][];
  /** Units with no score at all (exclude-unit), by index, with the reason. */
  excluded: Map<number, IndexMessage>;
  treatments: ValueTreatment[];
}

/**
 * Missing values, stated never silent (Handbook step 3). `exclude-unit`: a unit missing any indicator gets no score;
 * `mean-imputation`: the mean of the other units' values for that indicator; `theme-available`: the value stays
 * missing and aggregation re-scales the weights over the indicators present (see aggregate.ts).
 */
export function treatMissing(
  indicators: readonly CompositeIndicator[],
  units: readonly CompositeUnit[],
  treatment: MissingTreatment,
): TreatedData {
  const values = units.map((u) => indicators.map((ind) => finiteValue(u, ind.id)));
  const excluded = new Map<number, IndexMessage>();
  const treatments: ValueTreatment[] = [];
  const given = (u: CompositeUnit, id: string) => u.values[id];
  const why = (v: unknown): MissingWhy => (v === undefined || v === null ? 'missing' : 'not-finite');
  const means = indicators.map((_, i) => {
    const present = values.map((row) => row[i]).filter((v): v is number => v !== null);
    return present.length > 0 ? mean(present) : null;
  });
  units.forEach((unit, u) => {
    const row = values[u] as (number | null)[];
    const gaps = indicators.map((ind, i) => ({ ind, i })).filter(({ i }) => row[i] === null);
    if (gaps.length === 0) return;
    if (treatment === 'exclude-unit') {
      excluded.set(u, indexMessage('unit-excluded', { ids: gaps.map(({ ind }) => ind.id).join(', ') }));
    }
    for (const { ind, i } of gaps) {
      const reason = why(given(unit, ind.id));
      if (treatment === 'mean-imputation') {
        // The mean of the *other* units: the unit's own value is missing, so it is not among them.
        const m = means[i] ?? null;
        row[i] = m;
        treatments.push(
          m === null
            ? {
                unitId: unit.id,
                indicatorId: ind.id,
                action: 'left-out',
                original: null,
                used: null,
                reason: indexMessage('value-missing-no-mean', { why: reason }),
              }
            : {
                unitId: unit.id,
                indicatorId: ind.id,
                action: 'imputed',
                original: null,
                used: m,
                reason: indexMessage('value-imputed', { why: reason }),
              },
        );
      } else {
        treatments.push({
          unitId: unit.id,
          indicatorId: ind.id,
          action: 'left-out',
          original: null,
          used: null,
          reason: indexMessage(treatment === 'exclude-unit' ? 'value-missing-excluded' : 'value-missing-theme', {
            why: reason,
          }),
        });
      }
    }
  });
  if (treatment === 'exclude-unit') for (const u of excluded.keys()) values[u] = indicators.map(() => null);
  return { values, excluded, treatments };
}
