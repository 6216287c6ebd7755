import { readFileSync } from 'node:fs';
import { INDEX_MESSAGE_CODES, indexMessageParams } from '@marsad/core';
import { describe, expect, it } from 'vitest';

/**
 * Every message of the composite index (core's composite-index/messages.ts) is said by the safety profile page in the
 * reader's language: each code has its message in the six catalogs, and each message uses every parameter the
 * English text has (a message that dropped one would hide, say, which indicator has no baseline).
 */
const LANGS = ['ar', 'en', 'fr', 'es', 'ru', 'zh'];
const catalog = (lang: string) =>
  JSON.parse(readFileSync(new URL(`../src/i18n/locales/${lang}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

describe('the composite index messages in the catalogs', () => {
  for (const lang of LANGS)
    it(`${lang}: every code, with its parameters`, () => {
      const c = catalog(lang);
      for (const code of INDEX_MESSAGE_CODES) {
        const text = c[`compositeIndex.msg.${code}`];
        expect(typeof text, `${lang} compositeIndex.msg.${code}`).toBe('string');
        for (const param of indexMessageParams(code))
          expect(text as string, `${lang} compositeIndex.msg.${code} uses {${param}}`).toMatch(
            new RegExp(`\\{${param}[,}]`),
          );
      }
    });
});
