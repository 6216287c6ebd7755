/**
 * `${name}` inside a label, a hint or an author's message (XLSForm's way of showing an answer in a text): found in
 * the text and replaced by the answer when the text is shown. The answer is plain text put in place of the
 * reference, never read again (an answer holding `${other}` or markup shows as written): the result is a list of
 * parts, which a page renders as text nodes. Never throws.
 */
import { NAME_PATTERN } from './parse-expression.ts';

export interface TextReference {
  /** The question's name, as written between the braces (spaces around it taken off). */
  name: string;
  /** Offset of the `$` in the text, from 0. */
  position: number;
  /** Length of the whole reference (`${name}`). */
  length: number;
}

export type TextPart = { kind: 'text'; text: string } | { kind: 'value'; name: string; text: string };

const REFERENCE = /\$\{([^{}]*)\}/g;

/** The well-formed `${name}` references of a text, in order; anything else (`${}`, `${a b}`) stays text. */
export function textReferences(text: string): TextReference[] {
  const out: TextReference[] = [];
  for (const m of text.matchAll(REFERENCE)) {
    const name = m[1]!.trim();
    if (NAME_PATTERN.test(name)) out.push({ name, position: m.index, length: m[0].length });
  }
  return out;
}

/**
 * The text with each `${name}` replaced by `lookup(name)`; a name lookup does not know (undefined) stays as
 * written. The values are inserted as they are: never searched for references again.
 */
export function interpolateText(text: string, lookup: (name: string) => string | undefined): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const ref of textReferences(text)) {
    const value = lookup(ref.name);
    if (value === undefined) continue;
    if (ref.position > at) parts.push({ kind: 'text', text: text.slice(at, ref.position) });
    parts.push({ kind: 'value', name: ref.name, text: value });
    at = ref.position + ref.length;
  }
  if (at < text.length || parts.length === 0) parts.push({ kind: 'text', text: text.slice(at) });
  return parts;
}

/** interpolateText joined into one string (for messages shown as plain text). */
export function interpolatedString(text: string, lookup: (name: string) => string | undefined): string {
  return interpolateText(text, lookup)
    .map((p) => p.text)
    .join('');
}
