import { describe, expect, it } from 'vitest';
import {
  type AnswerQuestion,
  checkQuestionnaire,
  evaluateForm,
  GUIDELINE_THEMES,
  pickText,
  problemJsonPath,
  type QuestionNode,
  type Questionnaire,
  QuestionnaireSchema,
  RECORD_KINDS,
} from '../src/index.ts';

const ask = (name: string, type: AnswerQuestion['type'], extra: Partial<AnswerQuestion> = {}): AnswerQuestion => ({
  name,
  type,
  label: { ar: `سؤال ${name}`, en: `Question ${name}` },
  hint: {},
  required: false,
  requiredMessage: {},
  constraintMessage: {},
  ...extra,
});
const form = (questions: QuestionNode[], extra: Partial<Questionnaire> = {}): Questionnaire => ({
  formId: 'f',
  title: 'F',
  version: '',
  languages: [
    { code: 'ar', name: null },
    { code: 'en', name: null },
  ],
  questions,
  choiceLists: [
    {
      name: 'yes_no',
      choices: [
        { name: 'yes', label: { en: 'Yes' } },
        { name: 'no', label: { en: 'No' } },
      ],
    },
  ],
  ...extra,
});
const OPTIONS = { today: '2026-06-30', language: 'ar' };

/** A review form: a yes/no, a repeat of measures shown only for yes, a calculation, a date. */
const REVIEW = form([
  ask('has_measures', 'select_one', {
    list: 'yes_no',
    required: true,
    requiredMessage: { ar: 'أجب بنعم أو لا', en: 'Answer yes or no' },
  }),
  {
    type: 'repeat',
    name: 'measures',
    label: { en: 'Measures' },
    hint: {},
    relevant: "${has_measures} = 'yes'",
    children: [
      ask('title', 'text', { required: true, records: { kind: 'measure', theme: 'inclusion' } }),
      ask('started', 'date', {
        constraint: '. <= today()',
        constraintMessage: { ar: 'ليس في المستقبل', en: 'Not in the future' },
      }),
      ask('cost', 'decimal', { relevant: "${title} != ''", constraint: '. >= 0 and . < ${budget}' }),
      {
        type: 'calculate',
        name: 'months',
        label: {},
        hint: {},
        calculation: "if(${started} = '', '', (today() - ${started}) div 30)",
      },
    ],
  },
  ask('budget', 'integer'),
  {
    type: 'group',
    name: 'later',
    label: {},
    hint: {},
    relevant: '${budget} > 100',
    children: [ask('why', 'long_text', { required: true })],
  },
  { type: 'calculate', name: 'count', label: {}, hint: {}, calculation: '${budget} * 2' },
]);

describe('evaluating a form against answers', () => {
  it('finds the missing required answers, in the user language', () => {
    const s = evaluateForm(REVIEW, {}, OPTIONS);
    expect(s.missing).toEqual([
      { code: 'required', path: 'has_measures', name: 'has_measures', message: 'أجب بنعم أو لا', language: 'ar' },
    ]);
    expect(s.relevant).toMatchObject({ has_measures: true, measures: false, budget: true, later: false, why: false });
    expect(s.complete).toBe(false);
    expect(evaluateForm(REVIEW, {}, { ...OPTIONS, language: 'fr' }).missing[0]!.message).toBe('Answer yes or no');
  });

  it('walks repeat instances, with relevance, constraints and calculations per instance', () => {
    const s = evaluateForm(
      REVIEW,
      {
        has_measures: 'yes',
        budget: 500,
        measures: [
          { title: 'Lighting', started: '2026-04-01', cost: 100 },
          { title: '', started: '2026-07-01', cost: 900 },
          { title: 'Patrols', cost: 600 },
        ],
      },
      OPTIONS,
    );
    expect(s.relevant).toMatchObject({
      measures: true,
      'measures/0/cost': true,
      'measures/1/cost': false,
      later: true,
      why: true,
    });
    expect(s.missing.map((m) => m.path)).toEqual(['measures/1/title', 'why']);
    expect(s.constraintFailures.map((f) => [f.path, f.message])).toEqual([
      ['measures/1/started', 'ليس في المستقبل'],
      ['measures/2/cost', null],
    ]);
    expect(s.calculated).toEqual({
      'measures/0/months': 3,
      'measures/1/months': -0.03333333333333333,
      'measures/2/months': '',
      count: 1000,
    });
    expect(s.invalid).toEqual([]);
  });

  it('treats the answers of questions that are not relevant as empty', () => {
    const s = evaluateForm(REVIEW, { has_measures: 'no', budget: 50, measures: [{ title: 'Hidden' }] }, OPTIONS);
    expect(s.relevant['measures/0/title']).toBe(false);
    expect(s.missing).toEqual([]);
    expect(s.complete).toBe(true);
  });

  it('reports answers that do not fit their question', () => {
    const s = evaluateForm(
      REVIEW,
      {
        has_measures: 'maybe',
        budget: 1.5,
        unknown: 'x',
        count: 3,
        measures: [{ title: 5, started: '2026-02-30' }],
      } as never,
      OPTIONS,
    );
    expect(s.invalid.map((i) => `${i.code}:${i.path}`).sort()).toEqual([
      'invalid-value:budget',
      'invalid-value:measures/0/started',
      'invalid-value:measures/0/title',
      'not-answerable:count',
      'unknown-choice:has_measures',
      'unknown-question:unknown',
    ]);
    expect(s.complete).toBe(false);
  });

  it('checks select_multiple answers and count-selected() in a constraint', () => {
    const q = form([
      ask('m', 'select_multiple', {
        list: 'yes_no',
        constraint: 'count-selected(.) < 2',
        constraintMessage: { en: 'One only' },
      }),
    ]);
    expect(evaluateForm(q, { m: ['yes'] }, OPTIONS).complete).toBe(true);
    expect(evaluateForm(q, { m: ['yes', 'no'] }, OPTIONS).constraintFailures[0]).toMatchObject({
      path: 'm',
      message: 'One only',
      language: 'en',
    });
    expect(evaluateForm(q, { m: ['yes', 'yes'] }, OPTIONS).invalid[0]).toMatchObject({ code: 'invalid-value' });
  });

  it("reads only the answers given: questions named constructor or toString are not Object's methods", () => {
    const q = form([
      ask('constructor', 'text', { required: true }),
      ask('toString', 'select_one', { list: 'yes_no', relevant: "${constructor} != ''" }),
      { type: 'repeat', name: 'hasOwnProperty', label: { en: 'R' }, hint: {}, children: [ask('valueOf', 'integer')] },
    ]);
    expect(checkQuestionnaire(q)).toEqual([]);
    const none = evaluateForm(q, {}, OPTIONS);
    expect(none.invalid).toEqual([]);
    expect(none.missing.map((m) => m.path)).toEqual(['constructor']);
    expect(none.relevant.toString).toBe(false);
    const all = evaluateForm(q, { constructor: 'x', toString: 'no', hasOwnProperty: [{ valueOf: 3 }] }, OPTIONS);
    expect(all.invalid).toEqual([]);
    expect(all.complete).toBe(true);
    expect(checkQuestionnaire(form([ask('__proto__', 'text')])).map((p) => p.code)).toEqual(['bad-name']);
  });
});

describe('labels in several languages', () => {
  const q = {
    defaultLanguage: 'fr',
    languages: [
      { code: 'es', name: null },
      { code: 'fr', name: null },
      { code: 'en', name: null },
    ],
  };
  it('uses the user language, else the default language, else English, else no stated language, else the first', () => {
    expect(pickText({ ar: 'عربي', fr: 'français', en: 'English' }, 'ar', q)).toEqual({ text: 'عربي', language: 'ar' });
    expect(pickText({ ar: 'عربي', fr: 'français', en: 'English' }, 'ar-MA', q)).toEqual({
      text: 'عربي',
      language: 'ar',
    });
    expect(pickText({ fr: 'français', en: 'English' }, 'ar', q)).toEqual({ text: 'français', language: 'fr' });
    expect(pickText({ es: 'español', en: 'English' }, 'ar', q)).toEqual({ text: 'English', language: 'en' });
    expect(pickText({ es: 'español', und: 'plain' }, 'ar', q)).toEqual({ text: 'plain', language: 'und' });
    expect(pickText({ zh: '中文', es: 'español' }, 'ar', q)).toEqual({ text: 'español', language: 'es' });
    expect(pickText({ zh: '中文' }, 'ar', q)).toEqual({ text: '中文', language: 'zh' });
    expect(pickText({ ar: '' }, 'ar', q)).toBeNull();
  });
});

describe('checking a questionnaire', () => {
  it('accepts the review form', () => {
    expect(checkQuestionnaire(REVIEW)).toEqual([]);
  });

  it('finds references that cannot be read, cycles, and bad themes', () => {
    const q = form([
      ask('a', 'integer', { relevant: '${b} > 1' }),
      ask('b', 'integer', { relevant: '${a} > 1' }),
      { type: 'calculate', name: 'self', label: {}, hint: {}, calculation: '${self} + 1' },
      { type: 'repeat', name: 'r', label: { en: 'R' }, hint: {}, children: [ask('inner', 'text')] },
      ask('outer', 'text', { constraint: "${inner} != ''" }),
      { type: 'calculate', name: 'dot', label: {}, hint: {}, calculation: '. + 1' },
      ask('ref_group', 'text', { relevant: "${r} = ''" }),
      ask('themed', 'text', { records: { kind: 'wish' as never, theme: 'safety-first' as never } }),
      ask('greeting', 'text', { hint: { en: 'Hello ${inner}' } }),
    ]);
    const problems = checkQuestionnaire(q).map(
      (p) => `${p.code}:${problemJsonPath(q, p.at)}${p.name ? `:${p.name}` : ''}`,
    );
    expect(problems).toEqual([
      'bad-theme:questions[7].records.kind:wish',
      'bad-theme:questions[7].records.theme:safety-first',
      'expression:unreachable-reference:questions[8].hint.en:inner',
      'expression:unreachable-reference:questions[4].constraint:inner',
      'expression:no-current-value:questions[5].calculation:.',
      'group-reference:questions[6].relevant:r',
      'cycle:questions[0].relevant:a',
      'cycle:questions[2].calculation:self',
    ]);
  });

  it('names unknown languages, lists and duplicate choices', () => {
    const q = form([ask('s', 'select_one', { list: 'nope', label: { de: 'Frage' } })], {
      defaultLanguage: 'fr',
      choiceLists: [
        {
          name: 'l',
          choices: [
            { name: 'x', label: { en: 'X' } },
            { name: 'x', label: {} },
          ],
        },
      ],
    });
    expect(checkQuestionnaire(q).map((p) => `${p.code}:${problemJsonPath(q, p.at)}`)).toEqual([
      'unknown-language:defaultLanguage',
      'duplicate-choice:choiceLists[0].choices[1].name',
      'missing-label:choiceLists[0].choices[1].label',
      'unknown-language:questions[0].label.de',
      'unknown-list:questions[0].list',
    ]);
  });

  it('takes its themes and record kinds from seed 000, and the JSON schema accepts them', () => {
    expect(RECORD_KINDS).toEqual(['measure', 'difficulty', 'assistance-need']);
    expect(GUIDELINE_THEMES.every((t) => t.names.ar && t.names.en && t.source.startsWith('seed 000'))).toBe(true);
    expect(QuestionnaireSchema.safeParse(REVIEW).success).toBe(true);
    expect(
      QuestionnaireSchema.safeParse({
        ...REVIEW,
        questions: [{ ...ask('x', 'text'), records: { kind: 'measure', theme: 'nope' } }],
      }).success,
    ).toBe(false);
  });
});
