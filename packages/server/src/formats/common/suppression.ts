/**
 * How the writers show a value held back by its indicator's suppression rule
 * (docs/methods/suppression.md): an empty value and the standard confidentiality mark where the
 * format has one; for a reader allowed to see it, the value and a mark that the public may not.
 */
import type { ExportRecord } from '@marsad/core';
import { formatNumber } from './values.ts';

/** The value as a number (a CSV cell); empty for a value withheld from this reader. */
export function valueCell(r: ExportRecord): number | '' {
  if (r.value === null) {
    if (r.suppressedBelow === undefined)
      throw new Error(`record ${r.indicator} / ${r.place} / ${r.period} has no value and is not suppressed`);
    return '';
  }
  formatNumber(r.value); // throws for a value that is not a finite number
  return r.value;
}

/** The value as text; empty for a value withheld from this reader. */
export function valueText(r: ExportRecord): string {
  const v = valueCell(r);
  return v === '' ? '' : formatNumber(v);
}

/** Whether the value is withheld from this reader. */
export function isWithheld(r: ExportRecord): boolean {
  return r.value === null && r.suppressedBelow !== undefined;
}

/** Whether the value is suppressed for the public (withheld here, or shown to a privileged reader). */
export function isConfidential(r: ExportRecord): boolean {
  return r.suppressedBelow !== undefined;
}

/**
 * The comment for formats without a confidentiality field (Open SDG, DHIS2): the reason for an
 * empty value, or, for a privileged reader, a mark before the note that the public does not see
 * the value.
 */
export function commentWithSuppression(r: ExportRecord): string | undefined {
  if (r.suppressedBelow === undefined) return r.note;
  if (r.value === null) return `Suppressed to protect privacy: fewer than ${r.suppressedBelow}`;
  return `Hidden from the public (fewer than ${r.suppressedBelow})${r.note ? `. ${r.note}` : ''}`;
}

/** The SDMX comment: the reason for an empty value; otherwise the note (CONF_STATUS marks the rest). */
export function sdmxComment(r: ExportRecord): string | undefined {
  return isWithheld(r) ? `Suppressed to protect privacy: fewer than ${r.suppressedBelow}` : r.note;
}

/** SDMX CONF_STATUS (cross-domain code list CL_CONF_STATUS): C confidential; blank otherwise. */
export function confStatusOf(r: ExportRecord): string {
  return isConfidential(r) ? 'C' : '';
}
