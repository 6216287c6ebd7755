import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CheckConstraints, type CheckObservation, type CheckStructure, checkObservation } from '../src/index.ts';

const SEX = ['_T', 'F', 'M'];
const AGE = ['_T', 'Y0T14', 'Y15T24', 'Y25T64', 'Y_GE65'];
const structure: CheckStructure = {
  ref: 'IAEG-SDGs:SDG(1.14)',
  dimensions: [
    { id: 'FREQ', codes: new Set(['A']) },
    { id: 'REPORTING_TYPE', codes: new Set(['N', 'G']) },
    { id: 'SERIES', codes: new Set(['EN_LND_SLUM', 'VC_IHR_PSRC']) },
    { id: 'REF_AREA', codes: new Set(['504', '818']) },
    { id: 'SEX', codes: new Set(SEX) },
    { id: 'AGE', codes: new Set(AGE) },
  ],
  attributes: [
    { id: 'OBS_STATUS', mandatory: true, codes: new Set(['A', 'P', 'E']) },
    { id: 'UNIT_MEASURE', mandatory: true, codes: new Set(['PT', 'PER_100000_POP', 'NUMBER']) },
    { id: 'UNIT_MULT', mandatory: true, codes: new Set(['0', '3', '6']) },
    { id: 'COMMENT_OBS', mandatory: false, codes: null },
  ],
};
const constraints: CheckConstraints = new Map([
  [
    'VC_IHR_PSRC',
    new Map<string, ReadonlySet<string> | null>([
      ['UNIT_MEASURE', new Set(['PER_100000_POP', 'NUMBER'])],
      ['UNIT_MULT', new Set(['0'])],
      ['SEX', null],
      ['AGE', new Set(['_T', 'Y15T24'])],
    ]),
  ],
]);
const good: CheckObservation = {
  series: 'VC_IHR_PSRC',
  place: 'MAR',
  area: '504',
  period: '2020',
  breakdown: { SEX: 'F' },
  attributes: { OBS_STATUS: 'A', UNIT_MEASURE: 'PER_100000_POP', UNIT_MULT: '0' },
};

describe('checking data against the SDG structure and its constraints', () => {
  it('finds nothing wrong with a value the UN takes', () => {
    expect(checkObservation(structure, constraints, good)).toEqual([]);
  });

  it('names each problem by series, place, period, breakdown and rule', () => {
    const problems = checkObservation(structure, constraints, {
      ...good,
      breakdown: { SEX: 'X', AGE: 'Y25T64', COLOUR: 'RED' },
      attributes: { OBS_STATUS: 'A', UNIT_MEASURE: 'PT' },
    });
    expect(problems.map((p) => [p.rule, p.component, p.code])).toEqual([
      ['unknown-dimension', 'COLOUR', 'RED'],
      ['unknown-code', 'SEX', 'X'],
      ['breakdown-not-allowed', 'AGE', 'Y25T64'],
      ['unit-not-allowed', 'UNIT_MEASURE', 'PT'],
      ['missing-attribute', 'UNIT_MULT', undefined],
    ]);
    expect(problems[0]).toMatchObject({
      series: 'VC_IHR_PSRC',
      place: 'MAR',
      period: '2020',
      breakdown: 'AGE=Y25T64|COLOUR=RED|SEX=X',
    });
  });

  it('refuses unknown series, places without an M49 code and series without constraints', () => {
    const rules = (o: Partial<CheckObservation>) =>
      checkObservation(structure, constraints, { ...good, ...o }).map((p) => p.rule);
    expect(rules({ series: 'XX_NOPE' })).toEqual(['unknown-series']);
    expect(rules({ area: null })).toEqual(['no-area-code']);
    expect(rules({ area: '999' })).toEqual(['unknown-code']);
    expect(rules({ series: 'EN_LND_SLUM', attributes: { ...good.attributes, UNIT_MEASURE: 'PT' } })).toEqual([
      'series-not-constrained',
    ]);
  });

  it('takes every combination of allowed codes, and refuses any code outside a list, naming it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEX),
        fc.constantFrom('_T', 'Y15T24'),
        fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !AGE.includes(s)),
        (sex, age, wrong) => {
          const breakdown: Record<string, string> = {};
          if (sex !== '_T') breakdown.SEX = sex;
          if (age !== '_T') breakdown.AGE = age;
          expect(checkObservation(structure, constraints, { ...good, breakdown })).toEqual([]);
          const bad = checkObservation(structure, constraints, { ...good, breakdown: { ...breakdown, AGE: wrong } });
          expect(bad.some((p) => p.rule === 'unknown-code' && p.component === 'AGE' && p.code === wrong)).toBe(true);
          expect(bad.every((p) => p.component === 'AGE')).toBe(true);
        },
      ),
    );
  });
});
