/**
 * The messages of the XLSForm import and of the form's XLSForm features (packages/web/src/pages/xlsform) against the
 * catalogs: every code the server's reader and checks can give has a message, and every key those tables name is in
 * the six catalogs (the catalogs' own test finds literal t('key') calls only).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILE_KEYS, PROBLEM_KEYS } from '../src/pages/xlsform/xlsform-codes.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');
const catalogs = Object.fromEntries(
  ['ar', 'en', 'fr', 'es', 'ru', 'zh'].map((l) => [
    l,
    JSON.parse(read(`packages/web/src/i18n/locales/${l}.json`)) as Record<string, unknown>,
  ]),
);

describe('XLSForm messages', () => {
  it('has a message for every code of the reader, the checks and the expressions', () => {
    const reader = read('packages/server/src/reviews/xlsform/xlsform-import.ts');
    const checks = read('packages/core/src/reviews/check-questionnaire.ts');
    const expressions = read('packages/core/src/reviews/expressions/expression-error.ts');
    const codes = new Set([
      ...[...reader.matchAll(/code: '([a-z-]+)'/g)].map((m) => m[1]!),
      ...[...checks.matchAll(/^\s+\| '([a-z-]+)'$/gm)].map((m) => m[1]!),
      ...[...expressions.matchAll(/^\s+\| '([a-z-]+)'/gm)].map((m) => `expression:${m[1]!}`),
    ]);
    expect(codes.size).toBeGreaterThan(40);
    expect([...codes].filter((c) => !Object.hasOwn(PROBLEM_KEYS, c))).toEqual([]);
  });

  it('finds every key it names in the six catalogs', () => {
    const geo = read('packages/web/src/pages/xlsform/GeopointField.tsx');
    const keys = [
      ...Object.values(PROBLEM_KEYS),
      ...Object.values(FILE_KEYS),
      ...[...geo.matchAll(/'(reviews\.form\.geo\.[a-zA-Z]+)'/g)].map((m) => m[1]!),
    ];
    for (const [lang, catalog] of Object.entries(catalogs))
      expect(
        keys.filter((k) => typeof catalog[k] !== 'string'),
        lang,
      ).toEqual([]);
  });
});
