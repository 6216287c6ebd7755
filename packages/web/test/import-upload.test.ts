/** What the /import page reads from a file's name: its format and, for Open SDG, the indicator. */
import { describe, expect, it } from 'vitest';
import { guessFromContent, guessFromName } from '../src/pages/import/upload.ts';

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
    ['SDG_1-1-1.xml', { format: 'sdmx-ml' }],
    ['notes.txt', {}],
  ])('%s', (name, expected) => {
    expect(guessFromName(name)).toEqual(expected);
  });
});

describe('guessFromContent', () => {
  const v21 = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message';
  it.each([
    [`<?xml version="1.0"?>\n<message:GenericData xmlns:message="${v21}">`, 'sdmx-ml'],
    [`\uFEFF<mes:StructureSpecificData xmlns:mes="${v21.replace('2_1', '3_0')}">`, 'sdmx-ml'],
    [`<StructureSpecificTimeSeriesData xmlns="${v21}">`, 'sdmx-ml'],
    [`<message:Structure xmlns:message="${v21}">`, undefined],
    ['<html><body>', undefined],
    ['{"dataSet":"x","dataValues":[', 'dhis2'],
    ['{"meta":{},"data":{"dataSets":[', 'sdmx-json'],
    ['indicator,place,period,value', undefined],
  ])('%s', (head, expected) => {
    expect(guessFromContent(head)).toBe(expected);
  });
});
