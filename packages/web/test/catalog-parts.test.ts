/**
 * The catalogs as the app gets them (issue 16: less JavaScript before a page is interactive): each language in two
 * parts, public pages and pages of work (src/i18n/catalog-parts.ts), each message parsed at build time and formatted
 * in the browser without the ICU parser (src/i18n/compiled-messages.ts). Every message, in every language, formats
 * to what intl-messageformat makes of its source, as i18next-icu formatted it before.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MessageFormatElement, TYPE } from '@formatjs/icu-messageformat-parser';
import IntlMessageFormat from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { compilePart, partOf } from '../src/i18n/catalog-parts.ts';
import { compiledMessages } from '../src/i18n/compiled-messages.ts';

const LOCALES = join(import.meta.dirname, '..', 'src', 'i18n', 'locales');
const LANGS = ['ar', 'en', 'fr', 'es', 'ru', 'zh'] as const;

/** Values for every argument of a message: a number where it counts or chooses a plural, a date for dates. */
function valuesFor(ast: MessageFormatElement[], into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const el of ast) {
    if (el.type === TYPE.argument) into[el.value] ??= `«${el.value}»`;
    else if (el.type === TYPE.number || el.type === TYPE.plural) into[el.value] = 2;
    else if (el.type === TYPE.date || el.type === TYPE.time) into[el.value] = new Date(Date.UTC(2026, 11, 7));
    else if (el.type === TYPE.select) into[el.value] ??= Object.keys(el.options)[0];
    if (el.type === TYPE.plural || el.type === TYPE.select)
      for (const o of Object.values(el.options)) valuesFor(o.value, into);
  }
  return into;
}

describe.each(LANGS)('the %s catalog as the app gets it', (lang) => {
  const catalog = JSON.parse(readFileSync(join(LOCALES, `${lang}.json`), 'utf8')) as Record<string, unknown>;
  const keys = Object.keys(catalog).filter((k) => k !== '_meta');
  const pub = compilePart(catalog, 'public', lang);
  const work = compilePart(catalog, 'work', lang);

  it('is split in two parts that hold every message once, the public one the smaller', () => {
    expect(Object.keys(pub).filter((k) => k in work)).toEqual([]);
    expect([...Object.keys(pub), ...Object.keys(work)].sort()).toEqual([...keys].sort());
    expect(Object.keys(work).length).toBeGreaterThan(300);
    // The labels public pages show, under a prefix of work, stay public.
    expect(partOf('admin.role.editor')).toBe('public');
    // The pager of a place's indicators (a public page), found missing by place-paging-browser.test.ts.
    expect(partOf('admin.pager.next')).toBe('public');
    expect(partOf('admin.users.title')).toBe('work');
    expect(partOf('indicator.tableCaption')).toBe('public');
  });

  it('formats every message, parsed at build time, as intl-messageformat formats its source', () => {
    const format = compiledMessages();
    const compiled = { ...pub, ...work };
    let parsed = 0;
    for (const key of keys) {
      const source = catalog[key] as string;
      const expected = new IntlMessageFormat(source, lang, undefined, { ignoreTag: true });
      const values = valuesFor(expected.getAst());
      const got = format.parse(compiled[key], values, lang, 'translation', key);
      expect(got, key).toEqual(expected.format(values));
      if (Array.isArray(compiled[key])) parsed++;
    }
    // Most messages are plain text, kept as text; those with arguments arrive parsed.
    expect(parsed).toBeGreaterThan(200);
  });
});

it('names a message that is not valid ICU, with its catalog and key', () => {
  expect(() => compilePart({ 'home.title': 'Hello {name' }, 'public', 'xx.json')).toThrow(
    /xx\.json: the message "home\.title" is not valid ICU/,
  );
});
