import type { TFunction } from 'i18next';

/** A problem the entry API found in an entry (packages/server/src/observations/entry-save.ts). */
export interface EntryProblem {
  index: number | null;
  field: string;
  code: string;
  params: Record<string, string | number>;
  message: string;
}

const KNOWN = new Set([
  'below-min',
  'above-max',
  'wrong-unit',
  'missing-part',
  'parts-sum',
  'change-needs-comment',
  'unknown-indicator',
  'retired-indicator',
  'unknown-series',
  'dimension-not-of-indicator',
  'unknown-dimension-value',
  'duplicate',
  'approved-value',
  'bad-period',
]);

/**
 * The problem in the user's language (numbers in the chosen digits); the server's English text for a code the app does
 * not know.
 */
export function problemText(t: TFunction, num: (v: number, f?: number) => string, p: EntryProblem): string {
  if (!KNOWN.has(p.code)) return p.message;
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.params)) params[k] = typeof v === 'number' ? num(v, 6) : v;
  return t(`entry.problem.${p.code}`, params);
}
