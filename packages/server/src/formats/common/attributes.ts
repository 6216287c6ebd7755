/**
 * SDMX attributes of an observation that are neither its key nor a breakdown, read the same way by the readers: the
 * unit multiplier (UNIT_MULT, Open SDG's "Unit multiplier") and the observation status (OBS_STATUS, "Observation
 * status").
 *
 * A unit multiplier scales: the readers pass it on the record (`unitMultiplier`) and the import stores the value in
 * the unit itself (5.2 "Millions" of "Tonnes" is 5,200,000 tonnes; core/observations/units.ts). The one exception is
 * a unit whose text says the multiple already ("GBP (£ thousands)" with "Thousands"): its values are in that multiple
 * and the reader does not pass the multiplier on.
 */
import { parseUnitMultiplier } from '@marsad/core';

const STATES_MULTIPLE: Record<number, RegExp> = {
  3: /thousand|\b000s\b|'000|\(000\)|\bk\b|£k\b/i,
  6: /million|\bmn\b|£m\b|\$m\b|\bmt\b/i,
  9: /billion|\bbn\b/i,
  12: /trillion/i,
};

/** Whether a unit's text says the multiplier itself ("GBP (£ thousands)" and "Thousands"): its values are in that multiple. */
export function unitStatesMultiplier(unit: string | undefined, multiplier: string | undefined): boolean {
  if (!unit || !multiplier) return false;
  const m = parseUnitMultiplier(multiplier);
  const re = m.ok ? STATES_MULTIPLE[m.exponent] : undefined;
  return !!re && re.test(unit);
}

/** Observation statuses that say nothing beyond "a value": not worth a note. */
const NORMAL_STATUS = new Set(['', 'a', 'normal', 'normal value', 'undefined', 'not applicable']);
const PROVISIONAL_STATUS = new Set(['p', 'provisional', 'provisional value']);

/**
 * An observation status as written (an SDMX code or Open SDG words): `provisional` when it says the value is
 * provisional (Marsad's status), otherwise a note when it says more than "normal value" (Estimated value, Low
 * reliability, Time series break), or nothing.
 */
export function observationStatus(text: string | undefined): { status?: 'provisional'; note?: string } {
  const t = (text ?? '').trim();
  const lower = t.toLowerCase();
  if (NORMAL_STATUS.has(lower)) return {};
  if (PROVISIONAL_STATUS.has(lower)) return { status: 'provisional' };
  return { note: t };
}

/** A note with the observation status after the file's own comment. */
export function noteWithStatus(comment: string | undefined, status: string | undefined): string | undefined {
  if (!status) return comment;
  const s = `Observation status: ${status}`;
  return comment ? `${comment}; ${s}` : s;
}
