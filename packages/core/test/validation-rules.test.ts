import { describe, expect, it } from 'vitest';
import { checkEntries, type EntryValue, parseTypedNumber, type ValidationRules } from '../src/index.ts';

/** The worked examples of docs/methods/validation.md. */
const SEX = ['F', 'M'];
const values = (dim: string) => (dim === 'SEX' ? SEX : []);
const none = () => undefined;
const codes = (
  rules: ValidationRules,
  entries: EntryValue[],
  previous: (s: string, d: Record<string, string>) => number | undefined = none,
) => checkEntries(rules, entries, previous, values).map((p) => `${p.index}:${p.code}`);
const total = (value: number, note?: string): EntryValue => ({ series: 'S', dims: {}, value, note });
const part = (sex: string, value: number): EntryValue => ({ series: 'S', dims: { SEX: sex }, value });

describe('validation rules', () => {
  it('has no rule, no problem', () => {
    expect(codes({}, [total(-5), total(1e9)])).toEqual([]);
  });

  it('checks the range, inclusive', () => {
    const r = { min: 0, max: 100 };
    expect(codes(r, [total(0), total(100)])).toEqual([]);
    expect(codes(r, [total(-0.1), total(100.5)])).toEqual(['0:below-min', '1:above-max']);
  });

  it('checks the unit when one is given', () => {
    expect(
      codes({ unit: 'PERCENT' }, [{ ...total(5), unit: 'PERCENT' }, { ...total(5), unit: 'NUMBER' }, total(5)]),
    ).toEqual(['1:wrong-unit']);
  });

  it('asks for every part of a required dimension with a total', () => {
    const r = { requiredDimensions: ['SEX'] };
    expect(codes(r, [total(10), part('F', 4)])).toEqual(['0:missing-part']);
    expect(checkEntries(r, [total(10), part('F', 4)], none, values)[0]!.params).toEqual({
      dimension: 'SEX',
      missing: 'M',
    });
    expect(codes(r, [total(10), part('F', 4), part('M', 6)])).toEqual([]);
    // Parts alone (no total) are not asked for more.
    expect(codes(r, [part('F', 4)])).toEqual([]);
  });

  it('sums the parts to the total within the tolerance: 1 % of 1 000 is 10', () => {
    const r = { sumTolerance: 0.01 };
    expect(codes(r, [total(1000), part('F', 495), part('M', 495)])).toEqual([]); // 990: off by exactly 10
    expect(codes(r, [total(1000), part('F', 494), part('M', 495)])).toEqual(['0:parts-sum']); // 989: off by 11
    // floating point is not an error
    expect(codes({ sumTolerance: 0 }, [total(0.3), part('F', 0.1), part('M', 0.2)])).toEqual([]);
  });

  it('asks for a comment on a change of more than N % from the previous period', () => {
    const r = { maxChangePercent: 20 };
    const prev = () => 100;
    expect(codes(r, [total(120)], prev)).toEqual([]); // exactly 20 %
    expect(codes(r, [total(121)], prev)).toEqual(['0:change-needs-comment']);
    expect(codes(r, [total(79)], prev)).toEqual(['0:change-needs-comment']);
    expect(codes(r, [total(121, 'New boundaries from 2024')], prev)).toEqual([]);
    expect(codes(r, [total(121, '   ')], prev)).toEqual(['0:change-needs-comment']);
    expect(codes(r, [total(5)], () => 0)).toEqual(['0:change-needs-comment']); // from 0: any change
    expect(codes(r, [total(500)])).toEqual([]); // no previous value: nothing to compare
  });
});

describe('typed numbers', () => {
  it('reads Latin and Arabic-Indic digits, the Arabic decimal and thousands separators and spaces', () => {
    expect(parseTypedNumber('12.5')).toEqual({ kind: 'number', value: 12.5 });
    expect(parseTypedNumber('١٢٫٥')).toEqual({ kind: 'number', value: 12.5 });
    expect(parseTypedNumber('۱۲۳')).toEqual({ kind: 'number', value: 123 });
    expect(parseTypedNumber('١٬٢٣٤')).toEqual({ kind: 'number', value: 1234 });
    expect(parseTypedNumber('12 500')).toEqual({ kind: 'number', value: 12500 });
    expect(parseTypedNumber('−3')).toEqual({ kind: 'number', value: -3 });
    expect(parseTypedNumber('  ')).toEqual({ kind: 'blank' });
  });
  it('refuses commas, letters and signs it cannot read', () => {
    for (const s of ['1,5', 'abc', '12%', '1.2.3', '--1', 'Infinity'])
      expect(parseTypedNumber(s), s).toEqual({ kind: 'invalid' });
  });
});
