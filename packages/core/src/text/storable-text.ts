/**
 * Text that PostgreSQL can store and every client can show: no NUL character (PostgreSQL's
 * text types refuse U+0000) and no unpaired UTF-16 surrogate (a JSON "\ud800" or an XML
 * "&#xD800;" decodes to one; it has no UTF-8 form). Inputs are checked at the edge with this.
 */

export type UnstorableReason = 'nul' | 'surrogate';

export interface UnstorableChar {
  /** Offset in UTF-16 code units. */
  index: number;
  reason: UnstorableReason;
}

/** The first character of `text` that cannot be stored, or null. */
export function findUnstorableChar(text: string): UnstorableChar | null {
  const nul = text.indexOf('\u0000');
  // A fast path: almost all text is well formed and holds no NUL.
  if (nul === -1 && (text as string & { isWellFormed(): boolean }).isWellFormed()) return null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return { index: i, reason: 'nul' };
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return { index: i, reason: 'surrogate' };
    } else if (c >= 0xdc00 && c <= 0xdfff) return { index: i, reason: 'surrogate' };
  }
  return null;
}

/**
 * A plain-English description of why a text cannot be stored. `of` says what held it: a file
 * (a NUL there usually means UTF-16 or binary), or a value of a request (a path or query
 * parameter, a JSON body), which is not a file and is named as such.
 */
export function unstorableMessage(found: UnstorableChar, of: 'file' | 'parameter' | 'value' = 'file'): string {
  const holder = of === 'file' ? 'the text' : `the ${of}`;
  if (found.reason === 'surrogate')
    return `${holder} holds an unpaired UTF-16 surrogate (a broken character), which cannot be stored`;
  return of === 'file'
    ? 'the text holds a NUL character (U+0000), which cannot be stored: is the file UTF-16 or binary? Save it as UTF-8 text'
    : `${holder} holds a NUL character (U+0000, %00 in a URL), which cannot be stored: leave it out`;
}

/**
 * The first string inside a JSON-like value (keys included) that cannot be stored, with its path
 * (`title`, `roles[2].place`), or null. Deeply nested values are walked without recursion.
 */
export function findUnstorableInValue(value: unknown, root = ''): { path: string; found: UnstorableChar } | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const found = findUnstorableChar(v);
      if (found) return { path, found };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const keyFound = findUnstorableChar(k);
        const childPath = path ? `${path}.${k}` : k;
        if (keyFound) return { path: childPath, found: keyFound };
        stack.push([child, childPath]);
      }
    }
  }
  return null;
}
