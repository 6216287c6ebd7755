/**
 * Cell values shared by the readers: numbers, blanks, dimension cells.
 */

export type NumberResult =
  | { kind: 'number'; value: number }
  | { kind: 'blank' }
  | { kind: 'error'; message: string; code?: 'not-a-number'; params?: { value: string } };

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Arabic-Indic (U+0660…) and extended Arabic-Indic (U+06F0…) digits, Arabic decimal separator. */
const NOT_LATIN = /[\u0660-\u0669\u06F0-\u06F9\u066B\u2212]/;

function latinDigits(text: string): string {
  if (!NOT_LATIN.test(text)) return text; // the common case: nothing to change
  return text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\u066B/g, '.')
    .replace(/\u2212/g, '-');
}

/**
 * Reads a numeric cell. Leading and trailing spaces are allowed, so are Arabic-Indic digits.
 * A blank cell is `blank` (no data). Commas (decimal or thousands), NaN, Infinity, units and
 * any other text are errors whose message names the field.
 */
export function parseNumberCell(raw: string, field: string): NumberResult {
  const text = latinDigits(raw.trim());
  if (text === '') return { kind: 'blank' };
  if (NUMBER.test(text)) {
    const value = Number(text);
    if (Number.isFinite(value)) return { kind: 'number', value };
    return { kind: 'error', message: `${field} "${raw.trim()}" is too large to be stored as a number` };
  }
  if (/^[+-]?[\d.]*[,\u066C][\d.,\u066C]*$/.test(text) && /\d/.test(text)) {
    return {
      kind: 'error',
      message: `${field} "${raw.trim()}" has a comma: write decimals with a point (1.5) and no thousands separators (12500)`,
    };
  }
  if (/^[+-]?(nan|inf|infinity)$/i.test(text)) {
    return {
      kind: 'error',
      message: `${field} "${raw.trim()}" is not a number: leave the cell blank when there is no value`,
    };
  }
  if (/^[+-]?[\d.]+\s*%$/.test(text)) {
    return { kind: 'error', message: `${field} "${raw.trim()}" is not a plain number: write it without the % sign` };
  }
  return {
    kind: 'error',
    message: `${field} "${raw.trim()}" is not a number`,
    code: 'not-a-number',
    params: { value: raw.trim().slice(0, 80) },
  };
}

/** A JSON value (DHIS2, SDMX-JSON) as a number: numbers as they are, numeric strings read like cells. */
export function parseNumberJson(value: unknown, field: string): NumberResult {
  if (value === null || value === undefined) return { kind: 'blank' };
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? { kind: 'number', value }
      : { kind: 'error', message: `${field} is not a finite number` };
  }
  if (typeof value === 'string') return parseNumberCell(value, field);
  return { kind: 'error', message: `${field} ${JSON.stringify(value)} is not a number` };
}

/** Trimmed text, or undefined for a blank or missing cell. */
export function textCell(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const t = raw.trim();
  return t === '' ? undefined : t;
}

/** SDMX codes meaning "total" / "not applicable": the row is not broken down by that dimension. */
export const SDMX_NO_BREAKDOWN = new Set(['_T', '_Z']);

/** The number as text, exactly as JavaScript round-trips it (no locale, no grouping). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot write the value ${value}: it is not a finite number`);
  return Object.is(value, -0) ? '0' : String(value);
}
