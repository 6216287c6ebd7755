/**
 * Import problems carry a stable code and their parameters beside the English message (issue 14), for the web app to
 * say them in the user's language: the reader's problems (cells, numbers) and the pipeline's (places, periods, code
 * lists, units, keys given twice), through the API; every code has a message in the catalogs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_PROBLEM_CODES } from '../src/observations/import-problem-codes.ts';
import { createTestApp, importText, type TestApp } from './helpers.ts';

const LOCALES = path.resolve(import.meta.dirname, '../../web/src/i18n/locales');

describe.each(testStoreKinds())('import problem codes on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives each problem a code and its parameters, and keeps the English message', async () => {
    const r = await importText(
      t.app,
      [
        'indicator,place,period,value,SEX,unit',
        '11.1.1,MAAGA,2020',
        '11.1.1,NOWHERE,2020,1,,',
        '11.1.1,MAAGA,20x0,1,,',
        '11.1.1,MAAGA,2020,abc,,',
        '11.1.1,MAAGA,2020,1,X,',
        '11.1.1,MAAGA,2021,1,,KILOGRAM',
      ].join('\n'),
      { format: 'csv' },
    );
    expect(r.statusCode).toBe(422);
    const byRow = Object.fromEntries((r.json().errors as { at: number }[]).map((e) => [e.at, e]));
    expect(byRow[2]).toMatchObject({ code: 'cell-count', params: { cells: 3, columns: 6 } });
    expect(byRow[2]).toMatchObject({ message: 'the row has 3 cells but the header has 6 columns' });
    expect(byRow[3]).toMatchObject({ column: 'place', code: 'unknown-place', params: { value: 'NOWHERE' } });
    expect(byRow[3]).toMatchObject({ message: expect.stringMatching(/^unknown place "NOWHERE"/) });
    expect(byRow[4]).toMatchObject({ column: 'period', code: 'bad-period', params: { value: '20x0' } });
    expect(byRow[5]).toMatchObject({ column: 'value', code: 'not-a-number', params: { value: 'abc' } });
    expect(byRow[6]).toMatchObject({
      column: 'SEX',
      code: 'not-in-code-list',
      params: { value: 'X', dimension: 'SEX', known: expect.stringMatching(/F/) },
    });
    expect(byRow[7]).toMatchObject({
      column: 'unit',
      code: 'unit-mismatch',
      params: { unit: 'KILOGRAM', indicator: '11.1.1' },
    });
  });

  it('names a key given twice with its period and first row', async () => {
    const r = await importText(t.app, 'indicator,place,period,value\n11.1.1,MAAGA,2021,1\n11.1.1,MAAGA,2021,2\n', {
      format: 'csv',
    });
    expect(r.statusCode).toBe(422);
    const e = r.json().errors[0];
    expect(e).toMatchObject({ at: 3 });
    expect(['duplicate-key', 'duplicate-row']).toContain(e.code);
  });

  it('has a message for every code, with the same parameters, in the six catalogs', () => {
    for (const lang of ['ar', 'en', 'es', 'fr', 'ru', 'zh']) {
      const catalog = JSON.parse(readFileSync(path.join(LOCALES, `${lang}.json`), 'utf8')) as Record<string, string>;
      for (const [code, params] of Object.entries(IMPORT_PROBLEM_CODES)) {
        const m = catalog[`import.problem.${code}`];
        expect(m, `${lang} import.problem.${code}`).toBeTypeOf('string');
        expect([...m!.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort(), `${lang} ${code}`).toEqual([...params].sort());
      }
    }
  });
});
