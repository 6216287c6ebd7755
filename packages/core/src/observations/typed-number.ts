/**
 * A number as a person types it in a form: Latin, Arabic-Indic (٠…٩) or extended Arabic-Indic
 * (۰…۹) digits, a point or the Arabic decimal separator (٫) for decimals, spaces or the Arabic
 * thousands separator (٬) between groups, a minus sign. A comma is refused: it is a decimal
 * mark in some languages and a thousands mark in others.
 */
export type TypedNumber = { kind: 'number'; value: number } | { kind: 'blank' } | { kind: 'invalid' };

export function parseTypedNumber(raw: string): TypedNumber {
  const text = raw
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\u066B/g, '.')
    .replace(/[\u2212\u2012\u2013]/g, '-')
    .replace(/[\s\u00A0\u202F\u066C]/g, '');
  if (text === '') return { kind: 'blank' };
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(text)) return { kind: 'invalid' };
  const value = Number(text);
  return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'invalid' };
}
