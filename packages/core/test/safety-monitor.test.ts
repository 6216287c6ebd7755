import { describe, expect, it } from 'vitest';
import {
  type AssessmentChecks,
  assessmentChanges,
  categorise,
  deriveProfile,
  emptyAnswer,
  prefillIndicator,
  type SafetyFrameworkStructure,
  SafetyFrameworkStructure as Schema,
  type SeriesHoldings,
  startingAnswers,
} from '../src/index.ts';

/** A small framework: two themes, three indicators (one an empty slot), measures tied to catalogue codes. */
function small(): SafetyFrameworkStructure {
  return {
    code: 'usm',
    names: { en: 'Test monitor' },
    source: { citation: 'Test source', note: { en: 'test' } },
    indicatorCount: 3,
    themeSplitConfirmed: false,
    themes: [
      {
        code: 'crime',
        placement: 'source',
        names: { en: 'Crime' },
        indicators: [
          {
            code: 'crime-statistics',
            status: 'named',
            placement: 'source',
            names: { en: 'Crime statistics' },
            measures: [
              {
                code: 'attacks',
                placement: 'marsad',
                names: { en: 'Attacks' },
                indicators: ['16.1.1', 'USM-CV-01'],
                sources: [],
              },
            ],
          },
          { code: 'justice', status: 'named', placement: 'source', names: { en: 'Justice' }, measures: [] },
        ],
      },
      { code: 'community', placement: 'source', names: { en: 'Community' }, indicators: [] },
    ],
    unplaced: [{ code: 'slot-01', status: 'slot', placement: 'marsad', names: {}, measures: [] }],
  };
}

const checks = (e: boolean | null, r: boolean | null, d: boolean | null, u: boolean | null): AssessmentChecks => ({
  exists: e,
  regular: r,
  disaggregated: d,
  used: u,
});

describe('the framework structure', () => {
  it('accepts a well-formed structure', () => {
    expect(Schema.safeParse(small()).success).toBe(true);
  });

  it('names each problem by its place', () => {
    const s = small();
    s.themes[1]!.code = 'crime';
    s.themes[0]!.indicators[1]!.code = 'crime-statistics';
    s.unplaced[0]!.names = { en: 'not empty' };
    s.themes[0]!.indicators[0]!.measures[0]!.indicators = ['16.1.1', '16.1.1'];
    const r = Schema.safeParse(s);
    expect(r.success).toBe(false);
    const where = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(where).toEqual(
      expect.arrayContaining([
        'themes.1.code: the theme code "crime" is used twice',
        'themes.0.indicators.1.code: the indicator code "crime-statistics" is used twice',
        'unplaced.0.names: an empty slot has no name: fill it as an added indicator',
        'themes.0.indicators.0.measures.0.indicators: a catalogue indicator is named twice',
      ]),
    );
  });

  it('holds as many indicators as the framework says, and names every named indicator', () => {
    const s = small();
    s.indicatorCount = 15;
    expect(Schema.safeParse(s).error?.issues[0]?.message).toBe(
      'the framework says 15 indicators; the structure holds 3',
    );
    const t = small();
    t.themes[0]!.indicators[1]!.names = {};
    expect(Schema.safeParse(t).error?.issues[0]?.path).toEqual(['themes', 0, 'indicators', 1, 'names']);
    const u = small();
    (u.themes[0]!.indicators[0]!.measures[0]!.indicators as string[]).push('not a code!');
    expect(Schema.safeParse(u).success).toBe(false);
  });
});

describe('the prefill from observations', () => {
  const h = (o: Partial<SeriesHoldings>): SeriesHoldings => ({
    indicator: '16.1.1',
    series: 'S',
    periods: 3,
    latestPeriod: '2025',
    latestEnd: '2025-12-31',
    brokenDown: false,
    ...o,
  });

  it('tells exists, regular (3 periods, the latest ending within 3 years) and disaggregated', () => {
    const today = '2026-12-07';
    expect(prefillIndicator(['16.1.1'], [h({})], today).checks).toEqual({
      exists: true,
      regular: true,
      disaggregated: false,
    });
    // Two periods only: not regular.
    expect(prefillIndicator(['16.1.1'], [h({ periods: 2 })], today).checks.regular).toBe(false);
    // The latest ends more than three years before: not regular. On the boundary day: regular.
    expect(prefillIndicator(['16.1.1'], [h({ latestEnd: '2023-12-06' })], today).checks.regular).toBe(false);
    expect(prefillIndicator(['16.1.1'], [h({ latestEnd: '2023-12-07' })], today).checks.regular).toBe(true);
    // One series broken down is enough.
    expect(
      prefillIndicator(
        ['16.1.1', 'USM-CV-01'],
        [h({}), h({ indicator: 'USM-CV-01', brokenDown: true, periods: 1 })],
        today,
      ).checks,
    ).toEqual({ exists: true, regular: true, disaggregated: true });
    // Holdings of other indicators do not count.
    const other = prefillIndicator(['USM-CV-02'], [h({})], today);
    expect(other.checks).toEqual({ exists: false, regular: false, disaggregated: false });
    expect(other.from).toEqual([]);
    // No catalogue indicator named: nothing can be told.
    expect(prefillIndicator([], [h({})], today).checks).toEqual({ exists: null, regular: null, disaggregated: null });
  });

  it('starts from the previous answers with the prefilled checks over them; "used" is never prefilled', () => {
    const s = small();
    const prefill = { 'crime-statistics': prefillIndicator(['16.1.1'], [h({ brokenDown: true })], '2026-01-01') };
    const fresh = startingAnswers(s, null, prefill);
    expect(Object.keys(fresh)).toEqual(['crime-statistics', 'justice']);
    expect(fresh['crime-statistics']!.checks).toEqual(checks(true, true, true, null));
    expect(fresh['crime-statistics']!.evidence.observations).toEqual([{ indicator: '16.1.1', series: 'S' }]);
    expect(fresh.justice).toEqual(emptyAnswer());
    const previous = {
      'crime-statistics': { ...emptyAnswer(), checks: checks(false, false, false, true), note: 'before' },
      justice: { ...emptyAnswer(), checks: checks(true, false, false, false) },
      gone: { ...emptyAnswer() },
    };
    const next = startingAnswers(s, previous, prefill);
    expect(next['crime-statistics']).toMatchObject({ checks: checks(true, true, true, true), note: 'before' });
    expect(next.justice!.checks).toEqual(checks(true, false, false, false));
    expect(next).not.toHaveProperty('gone');
  });
});

describe('the profile', () => {
  it('categorises by the four checks (every combination)', () => {
    const b = [true, false];
    const seen: Record<string, string> = {};
    for (const e of b)
      for (const r of b)
        for (const d of b)
          for (const u of b) seen[[e, r, d, u].map((x) => (x ? 1 : 0)).join('')] = categorise(checks(e, r, d, u));
    expect(seen).toEqual({
      // exists, regular, disaggregated, used
      '1111': 'strength',
      '1110': 'strength',
      '1101': 'strength',
      '1100': 'connect',
      '1011': 'connect',
      '1010': 'connect',
      '1001': 'connect',
      '1000': 'weakest',
      '0111': 'weakest',
      '0110': 'weakest',
      '0101': 'weakest',
      '0100': 'weakest',
      '0011': 'weakest',
      '0010': 'weakest',
      '0001': 'weakest',
      '0000': 'weakest',
    });
    expect(categorise(checks(true, true, true, null))).toBe('unassessed');
  });

  it('derives the one-page profile in the framework’s order, and the change from the previous assessment', () => {
    const s = small();
    const answers = {
      'crime-statistics': { ...emptyAnswer(), checks: checks(true, true, false, true) },
      justice: { ...emptyAnswer(), checks: checks(true, false, false, false) },
    };
    const p = deriveProfile(s, answers);
    expect(p.strengths).toEqual([
      { indicator: 'crime-statistics', theme: 'crime', category: 'strength', yes: 3, missing: ['disaggregated'] },
    ]);
    expect(p.weakest).toEqual([
      {
        indicator: 'justice',
        theme: 'crime',
        category: 'weakest',
        yes: 1,
        missing: ['regular', 'disaggregated', 'used'],
      },
    ]);
    expect(p.connect).toEqual([]);
    expect(deriveProfile(s, {}).unassessed.map((e) => e.indicator)).toEqual(['crime-statistics', 'justice']);

    const later = { ...answers, justice: { ...emptyAnswer(), checks: checks(true, true, false, false) } };
    expect(assessmentChanges(s, answers, later)).toEqual([
      {
        indicator: 'justice',
        checks: [{ check: 'regular', before: false, after: true }],
        categoryBefore: 'weakest',
        categoryAfter: 'connect',
      },
    ]);
    expect(assessmentChanges(s, answers, answers)).toEqual([]);
  });
});
