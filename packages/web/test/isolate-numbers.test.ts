// The helper that keeps numbers in their order inside right-to-left text (issue 15 item 4,
// packages/web/src/format/isolate-numbers.ts): numbers of any form (grouped by spaces, ranges,
// codes, decimals; Latin or Arabic-Indic digits) end up whole inside one left-to-right isolate, in
// logical order, and nothing else changes. The rendered order is checked in Chromium by
// places-browser.test.ts and in the PDF by server/test/pdf-report.test.ts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isolateNumbers, isolateNumbersFor, LRI, LRM, PDI } from '../src/format/isolate-numbers.ts';

const strip = (s: string) => s.replace(/[\u2066\u2069\u200E]/g, '');
const ARABIC_INDIC = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((a) => a.join(''));
/** A number as people write it into text, with at least one character between its digits. */
const numberText = fc.oneof(
  // 100 000, 1 234 567 (space, no-break, narrow no-break or thin space before each group of three)
  fc
    .tuple(
      digits(1, 3),
      fc.array(digits(3, 3), { minLength: 1, maxLength: 3 }),
      fc.constantFrom(' ', '\u00A0', '\u202F', '\u2009'),
    )
    .map(([head, groups, sp]) => [head, ...groups].join(sp)),
  // 2015–2030, 2015 - 2030, 2017-18, 2024-Q1
  fc
    .tuple(digits(1, 4), fc.constantFrom('-', '–', '—', '−', ' - ', ' – '), fc.constantFrom('', 'Q', 'W'), digits(1, 4))
    .map(([a, dash, letter, b]) => `${a}${dash}${letter}${b}`),
  // 16.1.1, 100,000, 3,5, 10:30, 2017/18
  fc
    .tuple(
      digits(1, 3),
      fc.array(fc.tuple(fc.constantFrom('.', ',', ':', '/'), digits(1, 3)), { minLength: 1, maxLength: 3 }),
    )
    .map(([a, rest]) => a + rest.map(([s, d]) => s + d).join('')),
);
const anyNumber = fc.tuple(numberText, fc.boolean()).map(([n, arab]) => (arab ? ARABIC_INDIC(n) : n));
const word = fc.constantFrom('لكل', 'نسمة', 'عام', 'المؤشر', 'من', 'per', 'population', '(', ')', '،');
/** Arabic (and some Latin) text with numbers among its words. */
const textWithNumbers = fc
  .array(fc.oneof(word, anyNumber), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(' '));

describe('isolateNumbers', () => {
  it('isolates the examples of issue 15', () => {
    expect(isolateNumbers('لكل 100 000 نسمة')).toBe(`لكل ${LRI}100 000${PDI} نسمة`);
    expect(isolateNumbers('الفترة 2015–2030')).toBe(`الفترة ${LRI}2015–2030${PDI}`);
    expect(isolateNumbers('المؤشر 16.1.1.')).toBe(`المؤشر ${LRI}16.1.1${PDI}.`);
    // Two numbers side by side stay two (a space groups only three digits): their order is the text's.
    expect(isolateNumbers('عامي 2015 2030')).toBe('عامي 2015 2030');
    // Arabic-Indic digits: the dash takes the isolate's direction.
    expect(isolateNumbers('٢٠١٧-١٨')).toBe(`${LRI}٢٠١٧-${LRM}١٨${PDI}`);
  });

  it('leaves a code whose number is part of a Latin word whole (it reads left to right as it is)', () => {
    // Seen in Arabic pages as "2.5PM" and "(0-1.0CC)" when the number alone was isolated.
    for (const code of ['PM2.5', '(CC0-1.0)', 'T2030-CITIES', 'ISO-3166-1', 'v1.2.3', 'H2O']) {
      expect(isolateNumbers(`الجسيمات ${code} في الهواء`)).toBe(`الجسيمات ${code} في الهواء`);
    }
    // A number beside a Latin word, not in it, is still isolated.
    expect(isolateNumbers('SDG 16.1.1 هدف')).toBe(`SDG ${LRI}16.1.1${PDI} هدف`);
  });

  it('puts every number, of any form, whole and in logical order inside one isolate', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('لكل ', 'من ', '(', ''),
        anyNumber,
        fc.constantFrom(' نسمة', ')', '', '.'),
        (before, n, after) => {
          const out = isolateNumbers(before + n + after);
          const start = out.indexOf(LRI);
          const end = out.indexOf(PDI);
          expect(start, out).toBe(before.length);
          expect(strip(out.slice(start + 1, end))).toBe(n);
          expect(out.slice(end + 1)).toBe(after);
          expect(out.split(LRI).length, out).toBe(2);
        },
      ),
    );
  });

  it('changes nothing but the marks, and twice is once', () => {
    fc.assert(
      fc.property(fc.oneof(textWithNumbers, fc.string({ unit: 'grapheme' })), (s) => {
        const once = isolateNumbers(s);
        expect(strip(once)).toBe(strip(s));
        expect(isolateNumbers(once)).toBe(once);
        // Every isolate opened is closed, and nothing is nested.
        expect(once.replace(/\u2066[^\u2066\u2069]*\u2069/g, '')).not.toMatch(/[\u2066\u2069]/);
      }),
    );
  });

  it('leaves digits alone where nothing can split them, and left-to-right text in a left-to-right page', () => {
    fc.assert(
      fc.property(digits(1, 12), (d) => {
        expect(isolateNumbers(`عام ${d}`)).toBe(`عام ${d}`);
      }),
    );
    expect(isolateNumbersFor('per 100 000 population, 2015–2030', 'ltr')).toBe('per 100 000 population, 2015–2030');
    expect(isolateNumbersFor('per 100 000 population', 'rtl')).toBe(`per ${LRI}100 000${PDI} population`);
    // Arabic text is isolated in a left-to-right page too: shown with dir="auto", it lays out right to left.
    expect(isolateNumbersFor('لكل 100 000 نسمة', 'ltr')).toBe(`لكل ${LRI}100 000${PDI} نسمة`);
  });
});
