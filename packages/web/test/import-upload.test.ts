/** What the /import page reads from a file's name: its format and, for Open SDG, the indicator. */
import { describe, expect, it } from 'vitest';
import { guessFromName } from '../src/pages/import/upload.ts';

describe('guessFromName', () => {
  it.each([
    ['indicator_11-1-1.csv', { format: 'open-sdg', indicator: '11.1.1' }],
    ['indicator_4-c-1-2.csv', { format: 'open-sdg', indicator: '4.c.1.2' }],
    ['agadir.csv', { format: 'csv' }],
    ['OECD_prices_sdmx.csv', { format: 'sdmx-csv' }],
    ['dataValueSetJ.json', { format: 'dhis2' }],
    ['dataValues_single_dataset.json', { format: 'dhis2' }],
    ['dhis2-export.JSON', { format: 'dhis2' }],
    ['oecd-g20.json', { format: 'sdmx-json' }],
    ['notes.txt', {}],
  ])('%s', (name, expected) => {
    expect(guessFromName(name)).toEqual(expected);
  });
});
