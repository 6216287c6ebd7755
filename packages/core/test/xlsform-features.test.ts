/**
 * The expression engine's pieces for the XLSForm features KoboToolbox users expect (issue 19, item 4): choice
 * filters (bare names as the choice's columns), repeat counts, `${name}` in labels and hints, or_other, geopoints,
 * metadata and instance_name — evaluated by the same code in the browser and on the server. Unit tests and
 * fast-check properties (from the fixed seed of scripts/fast-check-seed.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AnswerQuestion,
  type AnswerSet,
  checkQuestionnaire,
  evaluateExpression,
  evaluateForm,
  fillMetadata,
  fitRepeatCounts,
  type GroupNode,
  geopointText,
  interpolatedString,
  interpolateText,
  localTimestamp,
  parseExpression,
  parseGeopoint,
  problemJsonPath,
  type QuestionNode,
  type Questionnaire,
  QuestionnaireSchema,
  textReferences,
} from '../src/index.ts';

const ask = (name: string, type: AnswerQuestion['type'], extra: Partial<AnswerQuestion> = {}): AnswerQuestion => ({
  name,
  type,
  label: { en: `Question ${name}`, ar: `سؤال ${name}` },
  hint: {},
  required: false,
  requiredMessage: {},
  constraintMessage: {},
  ...extra,
});
const repeat = (name: string, children: QuestionNode[], extra: Partial<GroupNode> = {}): GroupNode => ({
  type: 'repeat',
  name,
  label: { en: name },
  hint: {},
  children,
  ...extra,
});
const form = (questions: QuestionNode[], extra: Partial<Questionnaire> = {}): Questionnaire => ({
  formId: 'features',
  title: 'Features',
  version: '',
  languages: [
    { code: 'en', name: null },
    { code: 'ar', name: null },
  ],
  questions,
  choiceLists: [
    {
      name: 'countries',
      choices: [
        { name: 'ma', label: { en: 'Morocco', ar: 'المغرب' } },
        { name: 'kz', label: { en: 'Kazakhstan', ar: 'كازاخستان' } },
      ],
    },
    {
      name: 'cities',
      choices: [
        { name: 'agadir', label: { en: 'Agadir' }, properties: { country: 'ma' } },
        { name: 'rabat', label: { en: 'Rabat' }, properties: { country: 'ma' } },
        { name: 'almaty', label: { en: 'Almaty' }, properties: { country: 'kz' } },
        { name: 'nowhere', label: { en: 'Nowhere' } },
      ],
    },
    {
      name: 'partners',
      choices: [
        { name: 'police', label: { en: 'Police' } },
        { name: 'ngo', label: { en: 'NGO' } },
      ],
    },
  ],
  ...extra,
});
const OPTIONS = { today: '2026-06-30', language: 'en' };

/** A form with every feature: metadata, or_other, choice filter, geopoint, repeat_count, texts showing answers. */
const FEATURES = form(
  [
    { type: 'metadata', name: 'start', metadata: 'start', label: {}, hint: {} },
    { type: 'metadata', name: 'end', metadata: 'end', label: {}, hint: {} },
    { type: 'metadata', name: 'today', metadata: 'today', label: {}, hint: {} },
    { type: 'metadata', name: 'deviceid', metadata: 'deviceid', label: {}, hint: {} },
    { type: 'metadata', name: 'username', metadata: 'username', label: {}, hint: {} },
    { type: 'metadata', name: 'phonenumber', metadata: 'phonenumber', label: {}, hint: {} },
    ask('country', 'select_one', { list: 'countries', required: true }),
    ask('city', 'select_one', {
      list: 'cities',
      choiceFilter: '${country} = country',
      label: { en: 'A city of ${country}', ar: 'مدينة في ${country}' },
    }),
    ask('partner', 'select_multiple', { list: 'partners', orOther: true, required: true }),
    ask('where', 'geopoint', { hint: { en: 'Where in ${city}?' } }),
    ask('sites', 'integer'),
    repeat('site', [ask('site_name', 'text', { required: true, label: { en: 'Site ${position} of ${sites}' } })], {
      repeatCount: '${sites}',
    }),
    ask('position', 'integer'),
  ],
  { instanceName: "concat(${city}, ' – ', ${today})" },
);

describe('checking the features', () => {
  it('accepts the form with every feature, and the JSON schema keeps it whole', () => {
    // ${position} is read from inside the repeat: a question outside it, readable from there.
    expect(checkQuestionnaire(FEATURES)).toEqual([]);
    expect(QuestionnaireSchema.parse(JSON.parse(JSON.stringify(FEATURES)))).toEqual(FEATURES);
  });

  it('names what does not fit: columns a filter lacks, fields on the wrong type, names taken, refs in texts', () => {
    const q = form(
      [
        ask('country', 'select_one', { list: 'countries' }),
        ask('city', 'select_one', { list: 'cities', choiceFilter: 'region = ${country}' }),
        ask('text', 'text', { orOther: true, choiceFilter: "name = 'x'" }),
        ask('partner', 'select_one', { list: 'partners', orOther: true }),
        ask('partner_other', 'text'),
        { type: 'group', name: 'g', label: { en: 'G' }, hint: {}, children: [ask('x', 'text')], repeatCount: '2' },
        repeat('r', [
          ask('inner', 'text'),
          { type: 'metadata', name: 'dev', metadata: 'deviceid', label: {}, hint: {} },
        ]),
        ask('shows', 'text', { label: { en: 'You said ${inner} and ${nobody}' } }),
      ],
      {
        instanceName: '${inner}',
        choiceLists: [
          ...form([]).choiceLists.slice(0, 2),
          { name: 'partners', choices: [{ name: 'p', label: { en: 'P ${country}' } }] },
        ],
      },
    );
    const problems = checkQuestionnaire(q).map(
      (p) => `${p.code}:${problemJsonPath(q, p.at)}${p.name ? `:${p.name}` : ''}`,
    );
    expect(problems).toEqual([
      'text-reference:choiceLists[2].choices[0].label.en:${country}',
      'field-not-allowed:questions[2].type:or_other',
      'field-not-allowed:questions[2].choiceFilter:choice_filter',
      'other-name-taken:questions[3].type:partner_other',
      'field-not-allowed:questions[5].repeatCount:repeat_count',
      'metadata-in-repeat:questions[6].children[1].type:deviceid',
      'expression:unreachable-reference:questions[7].label.en:inner',
      'expression:unknown-reference:questions[7].label.en:nobody',
      'expression:unknown-column:questions[1].choiceFilter:region',
      'expression:unreachable-reference:instanceName:inner',
    ]);
  });

  it('reads bare names only in choice filters', () => {
    expect(parseExpression('cf = ${x}')).toMatchObject({ ok: false, error: { code: 'unsupported-name', name: 'cf' } });
    const p = parseExpression("cf = ${x} and starts-with(name, 'a')", { choiceColumns: true });
    expect(p).toMatchObject({
      ok: true,
      columns: [
        { name: 'cf', position: 0 },
        { name: 'name', position: 26 },
      ],
    });
  });
});

describe('the new functions', () => {
  const run = (src: string, refs: Record<string, string | number> = {}) => {
    const p = parseExpression(src);
    if (!p.ok) throw new Error(p.error.message);
    const r = evaluateExpression(p.ast, { today: '2026-06-30', reference: (n) => refs[n] });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  it('concat, contains, starts-with, ends-with, substr, selected-at, string, number, int', () => {
    expect(run("concat(${a}, '-', 3, today())", { a: 'x' })).toBe('x-32026-06-30');
    expect(run("contains('Agadir', 'gad')")).toBe(true);
    expect(run("starts-with('Agadir', 'Ag') and ends-with('Agadir', 'dir')")).toBe(true);
    expect(run("substr('أكادير', 1, 3)")).toBe('كا');
    expect(run("substr('abc', 1)")).toBe('bc');
    expect(run('selected-at(${p}, 1)', { p: '30.42 -9.6 12 5' })).toBe('-9.6');
    expect(run('selected-at(${p}, 9)', { p: '30.42 -9.6' })).toBe('');
    expect(run('number(selected-at(${p}, 0)) > 30', { p: '30.42 -9.6' })).toBe(true);
    expect(run('string(2.50)')).toBe('2.5');
    expect(run('int(-7.9)')).toBe(-7);
  });
});

describe('evaluating the features', () => {
  const ANSWERS: AnswerSet = {
    start: '2026-06-30T09:00:00.000+01:00',
    today: '2026-06-30',
    country: 'ma',
    city: 'agadir',
    partner: ['police', 'other'],
    partner_other: 'Chamber of commerce',
    where: '30.4278 -9.5981 74 5',
    sites: 2,
    site: [{ site_name: 'Port' }],
    position: 1,
  };

  it('offers the choices the filter lets through, refuses one it does not, and reads the other text', () => {
    const s = evaluateForm(FEATURES, ANSWERS, OPTIONS);
    expect(s.choices).toEqual({ city: ['agadir', 'rabat'] });
    expect(s.relevant.partner_other).toBe(true);
    expect(s.invalid).toEqual([]);
    // Two sites asked, one given: the second is walked as empty, and its required name is missing.
    expect(s.repeatCounts).toEqual({ site: 2 });
    expect(s.missing.map((m) => m.path)).toEqual(['site/1/site_name']);
    expect(s.instanceName).toBe('agadir – 2026-06-30');
    expect(s.textValues).toEqual({
      city: { country: 'ma' },
      where: { city: 'agadir' },
      'site/0/site_name': { position: 1, sites: 2 },
      'site/1/site_name': { position: 1, sites: 2 },
    });

    const wrong = evaluateForm(FEATURES, { ...ANSWERS, country: 'kz' }, OPTIONS);
    expect(wrong.choices.city).toEqual(['almaty']);
    expect(wrong.invalid).toEqual([
      { code: 'filtered-choice', path: 'city', name: 'city', message: null, value: 'agadir' },
    ]);
  });

  it('refuses more instances than the repeat_count, an impossible geopoint, bad metadata; asks for the other text', () => {
    const s = evaluateForm(
      FEATURES,
      {
        ...ANSWERS,
        sites: 1,
        site: [{ site_name: 'a' }, { site_name: 'b' }],
        where: '91 0',
        start: 'yesterday',
        partner_other: null,
      },
      OPTIONS,
    );
    expect(s.invalid.map((i) => `${i.code}:${i.path}`)).toEqual([
      'invalid-value:start',
      'invalid-value:where',
      'repeat-count:site',
    ]);
    expect(s.invalid.find((i) => i.code === 'repeat-count')?.count).toBe(1);
    expect(s.missing.map((m) => m.path)).toEqual(['partner_other']);
    // `other` is a choice of an or_other select only.
    const other = evaluateForm(FEATURES, { ...ANSWERS, country: 'other' }, OPTIONS);
    expect(other.invalid.map((i) => `${i.code}:${i.path}:${i.value}`)).toEqual([
      'unknown-choice:country:other',
      // No city is of the country "other": the filter offers none.
      'filtered-choice:city:agadir',
    ]);
  });

  it('cuts the repeats to their count, and puts the answers in messages', () => {
    const fitted = fitRepeatCounts(
      { ...ANSWERS, site: [{ site_name: 'a' }, { site_name: 'b' }, { site_name: 'c' }] },
      {
        site: 2,
      },
    );
    expect(fitted.site).toEqual([{ site_name: 'a' }, { site_name: 'b' }]);
    const same = { a: 1 };
    expect(fitRepeatCounts(same, {})).toBe(same);
    const q = form([
      ask('city_name', 'text'),
      ask('n', 'integer', { constraint: '. < 10', constraintMessage: { en: 'Too many for ${city_name}' } }),
    ]);
    expect(evaluateForm(q, { city_name: 'Agadir', n: 12 }, OPTIONS).constraintFailures[0]?.message).toBe(
      'Too many for Agadir',
    );
  });

  it('reads geopoints as ODK writes them', () => {
    expect(parseGeopoint('30.4278 -9.5981')).toEqual({ latitude: 30.4278, longitude: -9.5981 });
    expect(parseGeopoint(' -90 180 12.5 0 ')).toEqual({ latitude: -90, longitude: 180, altitude: 12.5, accuracy: 0 });
    for (const bad of ['', '30', '30 x', '90.1 0', '0 -180.5', '0 0 0 -1', '0 0 0 0 0', '1e2 0', 7])
      expect(parseGeopoint(bad), String(bad)).toBeNull();
    expect(geopointText({ latitude: 1, longitude: 2, accuracy: 3 })).toBe('1 2 0 3');
  });

  it('fills the metadata when the form is opened and when it is saved', () => {
    const values = { now: '2026-06-30T10:00:00.000+01:00', today: '2026-06-30', deviceId: 'dev-1', username: 'a@b' };
    const opened = fillMetadata(FEATURES, { country: 'ma' }, values, 'open');
    expect(opened).toEqual({ country: 'ma', start: values.now, today: '2026-06-30' });
    const later = { ...values, now: '2026-06-30T11:00:00.000+01:00', deviceId: 'dev-2' };
    const saved = fillMetadata(FEATURES, opened, later, 'save');
    expect(saved).toEqual({
      ...opened,
      end: later.now,
      deviceid: 'dev-2',
      username: 'a@b',
    });
    expect(fillMetadata(FEATURES, saved, later, 'save')).toBe(saved);
    expect(evaluateForm(FEATURES, { ...ANSWERS, ...saved }, OPTIONS).invalid).toEqual([]);
    expect(localTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)))).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/,
    );
  });
});

describe('${name} in texts', () => {
  it('replaces the names it knows, keeps the rest as written, and never reads a value again', () => {
    const values: Record<string, string> = { a: 'Agadir', b: '${a}', c: '<b>x</b>' };
    const look = (n: string) => values[n];
    expect(interpolatedString('City ${a}, ${ b }, ${c}, ${d}, ${}, ${a b}', look)).toBe(
      'City Agadir, ${a}, <b>x</b>, ${d}, ${}, ${a b}',
    );
    expect(interpolateText('${a}!', look)).toEqual([
      { kind: 'value', name: 'a', text: 'Agadir' },
      { kind: 'text', text: '!' },
    ]);
    expect(interpolateText('', look)).toEqual([{ kind: 'text', text: '' }]);
    expect(textReferences('x ${city} y ${المدينة}')).toEqual([
      { name: 'city', position: 2, length: 7 },
      { name: 'المدينة', position: 12, length: 10 },
    ]);
  });

  const NAMES = fc.constantFrom('a', 'city', 'b_2', 'المدينة', 'x.y');
  const TEXT = fc.array(
    fc.oneof(
      fc.string({ maxLength: 8 }),
      NAMES.map((n) => `\${${n}}`),
      fc.constantFrom('${', '}', '$', '{', '${ }', '<script>', '&amp;'),
    ),
    { maxLength: 12 },
  );
  const VALUES = fc.dictionary(NAMES, fc.string({ maxLength: 10 }));

  it('never throws, and gives the text with each known reference replaced by its value (property)', () => {
    fc.assert(
      fc.property(TEXT, VALUES, (pieces, values) => {
        const text = pieces.join('');
        const look = (n: string) => (Object.hasOwn(values, n) ? values[n] : undefined);
        const parts = interpolateText(text, look);
        // The text parts are the text's own characters, in order; each value part is a value as given.
        let rebuilt = '';
        let at = 0;
        for (const p of parts) {
          if (p.kind === 'text') {
            expect(text.startsWith(p.text, at)).toBe(true);
            at += p.text.length;
          } else {
            expect(p.text).toBe(values[p.name]);
            const ref = textReferences(text.slice(at))[0]!;
            expect(ref.position).toBe(0);
            at += ref.length;
          }
          rebuilt += p.text;
        }
        expect(at).toBe(text.length);
        expect(interpolatedString(text, look)).toBe(rebuilt);
      }),
    );
  });

  it('injects no markup: the result has a "<" only where the text or a value had one (property)', () => {
    fc.assert(
      fc.property(TEXT, VALUES, (pieces, values) => {
        const text = pieces.join('');
        const out = interpolatedString(text, (n) => values[n]);
        const count = (s: string) => [...s].filter((c) => c === '<').length;
        const fromValues = interpolateText(text, (n) => values[n])
          .filter((p) => p.kind === 'value')
          .reduce((n, p) => n + count(p.text), 0);
        const fromText = interpolateText(text, (n) => values[n])
          .filter((p) => p.kind === 'text')
          .reduce((n, p) => n + count(p.text), 0);
        expect(count(out)).toBe(fromValues + fromText);
        expect(fromText).toBeLessThanOrEqual(count(text));
      }),
    );
  });
});

describe('choice filters and repeat counts (properties)', () => {
  const CHOICES = fc.uniqueArray(
    fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/), group: fc.constantFrom('g1', 'g2', 'g3', '') }),
    { selector: (c) => c.name, minLength: 1, maxLength: 12 },
  );

  it('offers exactly the choices whose column equals the answer, in the list order, and refuses the others', () => {
    fc.assert(
      fc.property(CHOICES, fc.constantFrom('g1', 'g2', 'g3'), fc.nat(20), (choices, group, pick) => {
        const q = form([ask('g', 'text'), ask('c', 'select_one', { list: 'l', choiceFilter: 'grp = ${g}' })], {
          choiceLists: [
            {
              name: 'l',
              choices: choices.map((c) => ({
                name: c.name,
                label: { en: c.name },
                ...(c.group ? { properties: { grp: c.group } } : {}),
              })),
            },
          ],
        });
        // A filter reading a column no choice has is refused before any answer is read.
        if (!choices.some((c) => c.group)) {
          expect(checkQuestionnaire(q).map((p) => p.code)).toEqual(['expression:unknown-column']);
          return;
        }
        expect(checkQuestionnaire(q)).toEqual([]);
        const chosen = choices[pick % choices.length]!;
        const s = evaluateForm(q, { g: group, c: chosen.name }, OPTIONS);
        const expected = choices.filter((c) => c.group === group).map((c) => c.name);
        expect(s.choices.c).toEqual(expected);
        expect(s.invalid.some((i) => i.code === 'filtered-choice')).toBe(chosen.group !== group);
      }),
    );
  });

  it('walks as many instances as the count gives, never more than the cap, refusing extra ones', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -5, max: 30 }), fc.constantFrom(1e9, -1e9, 2.7)),
        fc.nat(8),
        (count, given) => {
          const q = form([
            ask('n', 'decimal'),
            repeat('r', [ask('v', 'text', { required: true })], { repeatCount: '${n}' }),
          ]);
          const answers: AnswerSet = { n: count, r: Array.from({ length: given }, () => ({ v: 'x' })) };
          const s = evaluateForm(q, answers, OPTIONS);
          const n = Math.min(200, Math.max(0, Math.trunc(count)));
          expect(s.repeatCounts.r).toBe(n);
          expect(s.missing.length).toBe(Math.max(0, n - given));
          expect(s.invalid.some((i) => i.code === 'repeat-count')).toBe(given > n);
          const fitted = fitRepeatCounts(answers, s.repeatCounts).r as AnswerSet[];
          expect(fitted.length).toBe(Math.min(given, n));
        },
      ),
    );
  });
});
