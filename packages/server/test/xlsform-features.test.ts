/**
 * The XLSForm coverage KoboToolbox users expect (issue 19, item 4): metadata, geopoint, or_other, choice_filter,
 * repeat_count, `${name}` in labels and hints, instance_name, Kobo's own columns ignored with notices, what is still
 * not supported refused naming its sheet, row, column and feature, an .xls file refused with its own code; the
 * pyxform workbooks of shared/data/xlsform (which import now, which are refused and why); and through the API on
 * PGlite and PostgreSQL, a submission's answers (the other text, a geopoint, a repeat of N, a filtered choice)
 * checked on save by the same core code as the browser, with the instance name stored and listed.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type AnswerQuestion, checkQuestionnaire, type GroupNode, type Questionnaire } from '@marsad/core';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotAWorkbookError } from '../src/reviews/xlsform/workbook-sheets.ts';
import { exportXlsForm } from '../src/reviews/xlsform/xlsform-export.ts';
import { importXlsForm, type XlsFormProblem } from '../src/reviews/xlsform/xlsform-import.ts';
import { createTestApp, SHARED, signedIn, type TestApp } from './helpers.ts';
import { workbook } from './questionnaire-fixtures.ts';
import { featuresWorkbook, XLS_BYTES } from './xlsform-features-fixtures.ts';

const XLSFORM = path.join(SHARED, 'data/xlsform');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const where = (p: XlsFormProblem) =>
  `${p.sheet}!${p.column ?? '-'}${p.row ?? '-'} ${p.code}${p.name !== undefined ? ` ${p.name}` : ''}`;

async function imported(bytes: Buffer, fileName?: string) {
  const r = await importXlsForm(bytes, { fileName });
  if (!r.ok) throw new Error(r.problems.map((p) => `${where(p)}: ${p.message}`).join('\n'));
  return r;
}
async function refused(bytes: Buffer, fileName?: string) {
  const r = await importXlsForm(bytes, { fileName });
  if (r.ok) throw new Error('expected the workbook to be refused');
  return r.problems;
}
const byName = (q: Questionnaire, name: string) => {
  const walk = (nodes: Questionnaire['questions']): Questionnaire['questions'][number] | undefined => {
    for (const n of nodes) {
      if (n.name === name) return n;
      if (n.type === 'group' || n.type === 'repeat') {
        const f = walk(n.children);
        if (f) return f;
      }
    }
    return undefined;
  };
  return walk(q.questions);
};

describe('reading the features of a KoboToolbox workbook', () => {
  it('reads metadata, cascading selects, or_other, geopoint, repeat_count, texts with answers and instance_name', async () => {
    const { questionnaire: q, notices } = await imported(await featuresWorkbook(), 'features.xlsx');
    expect(checkQuestionnaire(q)).toEqual([]);
    expect(q.questions.slice(0, 9).map((n) => (n.type === 'metadata' ? n.metadata : n.type))).toEqual([
      'start',
      'end',
      'today',
      'deviceid',
      'username',
      'phonenumber',
      'audit',
      'simserial',
      'subscriberid',
    ]);
    expect(byName(q, 'city')).toMatchObject({
      type: 'select_one',
      list: 'cities',
      choiceFilter: 'country = ${country}',
      label: { en: 'A city of ${country}', ar: 'مدينة في ${country}' },
    });
    expect(byName(q, 'partner')).toMatchObject({ type: 'select_one', list: 'partners', orOther: true });
    expect(byName(q, 'others')).toMatchObject({ type: 'select_multiple', orOther: true });
    expect(byName(q, 'site')).toMatchObject({ type: 'geopoint' });
    expect(byName(q, 'measure') as GroupNode).toMatchObject({ type: 'repeat', repeatCount: '${measures_count}' });
    expect(q.instanceName).toBe("concat(${city}, ' – ', ${today})");
    expect(q.choiceLists.find((l) => l.name === 'cities')?.choices[0]).toEqual({
      name: 'agadir',
      label: { en: 'Agadir', ar: 'أكادير' },
      properties: { country: 'ma' },
    });
    // Kobo's own columns and sheet are ignored, and said so; so are the metadata a browser cannot give.
    expect(notices.map(where)).toEqual([
      'survey!L1 ignored-column kobo--score-choices',
      'survey!M1 ignored-column kobo--rank-items',
      'survey!N1 ignored-column $kuid',
      'survey!A7 metadata-left-empty phonenumber',
      'survey!A8 metadata-left-empty audit',
      'survey!A9 metadata-left-empty simserial',
      'survey!A10 metadata-left-empty subscriberid',
      'choices!F1 ignored-column $kuid',
      'settings!F1 ignored-column kobo--locking-profile',
      'kobo--locking-profiles!-- ignored-sheet kobo--locking-profiles',
    ]);
    expect(notices[0]!.message).toBe(
      'The column "kobo--score-choices" is KoboToolbox\'s own (its form builder and locking of forms): ignored.',
    );
    // The export writes them back, and reads as the same questionnaire.
    expect((await imported(await exportXlsForm(q))).questionnaire).toEqual(q);
  });

  it('reads `or specify other`, and refuses what is still not supported naming sheet, row, column and feature', async () => {
    const problems = await refused(
      await workbook({
        survey: [
          ['type', 'name', 'label', 'choice_filter', 'parameters', 'repeat_count'],
          ['select all that apply from colours or specify other', 'colours', 'Colours', null, null, null],
          ['range', 'level', 'Level', null, 'start=0 end=10', null],
          ['select_one colours', 'shade', 'Shade', 'hue = ${colours}', null, null],
          ['begin group', 'g', 'G', null, null, '3'],
          ['text', 'x', 'In ${colours}', null, null, null],
          ['end group', null, null, null, null, null],
          ['integer', 'n', 'N', "name = 'x'", null, null],
        ],
        choices: [
          ['list_name', 'name', 'label', 'image', 'media::audio'],
          ['colours', 'red', 'Red', null, null],
          ['colours', 'other', 'Other ${x}', 'red.png', null],
        ],
        settings: [
          ['form_id', 'instance_name', 'allow_choice_duplicates'],
          ['colours', 'concat(${x}, .)', 'maybe'],
        ],
      }),
    );
    expect(problems.map(where)).toEqual([
      'survey!E1 unsupported-column parameters',
      'survey!A3 unsupported-type range',
      'survey!D4 expression:unknown-column hue',
      'survey!F5 field-not-allowed repeat_count',
      'survey!D8 field-not-allowed choice_filter',
      'choices!D1 unsupported-column image',
      'choices!C3 text-reference ${x}',
      'settings!B2 expression:no-current-value .',
      'settings!C2 bad-setting maybe',
    ]);
    const range = problems.find((p) => p.code === 'unsupported-type')!;
    expect(range).toMatchObject({ sheet: 'survey', row: 3, column: 'A', header: 'type', name: 'range' });
    expect(range.message).toMatch(/^survey row 3, column type: "range" is not supported/);
    expect(problems[0]!.message).toMatch(/^survey row 1, column parameters: "parameters" is not supported/);
  });

  it('refuses an .xls workbook (Excel 97–2003) with its own code and message', async () => {
    const err = await importXlsForm(XLS_BYTES, { fileName: 'old.xls' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotAWorkbookError);
    expect(err).toMatchObject({
      code: 'xls-file',
      message: 'This is an .xls file (Excel 97–2003): save it as .xlsx and upload it again.',
    });
    await expect(importXlsForm(Buffer.from('type,name\n'))).rejects.toMatchObject({ code: 'not-a-workbook' });
  });
});

describe.skipIf(!existsSync(XLSFORM))('the pyxform workbooks of shared/data/xlsform', () => {
  const read = (f: string) => readFile(path.join(XLSFORM, f));

  it('imports the cascading selects of choice_filter_test.xlsx (allow_choice_duplicates) and filters them', async () => {
    const { questionnaire: q, notices } = await imported(await read('choice_filter_test.xlsx'), 'choice_filter_test');
    expect(notices).toEqual([]);
    expect(q.allowChoiceDuplicates).toBe(true);
    expect((byName(q, 'city') as AnswerQuestion).choiceFilter).toBe('${county}=cf');
    const { evaluateForm } = await import('@marsad/core');
    const s = evaluateForm(q, { state: 'texas', county: 'king' }, { today: '2026-01-01', language: 'en' });
    expect(s.choices).toEqual({ county: ['king', 'cameron'], city: ['dumont', 'finney', 'seattle', 'redmond'] });
  });

  it('names what still keeps the others out, and no longer refuses what is now read', async () => {
    const codes = async (f: string) => (await refused(await read(f), f)).map(where);
    // loop.xlsx: its "or specify other" is read; a loop is not.
    expect(await codes('loop.xlsx')).toEqual(['survey!A3 unsupported-type begin loop over toilet_type']);
    expect(await codes('group.xlsx')).toEqual(['survey!A4 unsupported-type phone number']);
    expect(await codes('case_insensitivity.xlsx')).toEqual([
      'SURVEY!A3 unsupported-type select_one_external c1',
      'SURVEY!A4 unsupported-type osm c1',
      'EXTERNAL_CHOICES!-- unsupported-sheet EXTERNAL_CHOICES',
      'ENTITIES!-- unsupported-sheet ENTITIES',
      'OSM!-- unsupported-sheet OSM',
    ]);

    const spec = await refused(await read('xlsform_spec_test.xlsx'), 'xlsform_spec_test.xlsx');
    const specWhere = spec.map(where);
    for (const s of [
      'survey!A30 unsupported-type acknowledge',
      'survey!A32 unsupported-type time',
      'survey!A33 unsupported-type datetime',
      'survey!A35 unsupported-type barcode',
      'survey!A36 unsupported-type image',
      'survey!A50 unsupported-type uri:deviceid',
      'survey!S1 unsupported-column image',
      'survey!L24 bad-appearance table-list',
      'columns!-- unsupported-sheet columns',
    ])
      expect(specWhere, s).toContain(s);
    // Now read: the geopoint (row 34), start/end/today/deviceid/phonenumber (42–52), repeat_count (D), the answers
    // shown in notes (`${my_name}`, `${start}`, …) and in a constraint message, instance_name.
    for (const row of [5, 15, 18, 34, 41, 42, 43, 44, 45, 46, 47, 48, 49, 52, 53])
      expect(spec.filter((p) => p.sheet === 'survey' && p.row === row).map(where), `row ${row}`).toEqual([]);
    expect(
      spec.filter((p) => p.code === 'text-reference' || /repeat_count|instance_name/.test(p.header ?? '')),
    ).toEqual([]);
    expect(spec.find((p) => p.code === 'unsupported-type' && p.name === 'time')!.message).toMatch(
      /^survey row 32, column type: "time" is not supported/,
    );

    const ucl = await refused(await read('UCL_Biomass_Plot_Form.xlsx'), 'UCL_Biomass_Plot_Form.xlsx');
    const uclWhere = ucl.map(where);
    for (const s of [
      'survey!P1 unsupported-column parameters',
      'survey!A16 unsupported-type select_one_from_file UCL_regions.csv',
      'survey!N26 expression:unsupported-function round',
      'survey!H32 expression:syntax ‘',
    ])
      expect(uclWhere, s).toContain(s);
    // Its geopoint (22), its repeat_count and the label showing ${tag} (43), the note showing ${slope_radius} (28).
    for (const row of [22, 28, 43]) expect(ucl.filter((p) => p.row === row).map(where), `row ${row}`).toEqual([]);
  });
});

describe.each(testStoreKinds())('the features through the API on %s', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let focal: Record<string, string>;
  let submission = 0;
  beforeAll(async () => {
    t = await createTestApp(kind);
    focal = await signedIn(t, 'focal@features.example', [{ role: 'city-focal-point', place: 'MAAGA' }]);
    admin = await signedIn(t, 'admin@features.example', [{ role: 'administrator' }]);
  });
  afterAll(async () => {
    await t?.close();
  });
  const upload = (body: Buffer, fileName = 'features.xlsx') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/questionnaires/import?fileName=${fileName}`,
      payload: body,
      headers: { 'content-type': XLSX, ...admin },
    });
  const save = (answers: unknown) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/v1/review-submissions/${submission}/answers?lang=en`,
      payload: JSON.stringify({ answers }),
      headers: { ...focal, 'content-type': 'application/json' },
    });

  it('imports the workbook with its notices, and refuses an .xls file and an unsupported feature by name', async () => {
    const xls = await upload(XLS_BYTES, 'old.xls');
    expect(xls.statusCode).toBe(400);
    expect(xls.json()).toMatchObject({
      message: 'This is an .xls file (Excel 97–2003): save it as .xlsx and upload it again.',
      details: { code: 'xls-file' },
    });
    const range = await upload(
      await workbook({
        survey: [
          ['type', 'name', 'label'],
          ['text', 'a', 'A'],
          ['range', 'level', 'Level'],
        ],
        settings: [['form_id'], ['ranges']],
      }),
    );
    expect(range.statusCode).toBe(400);
    expect(range.json().message).toMatch(/survey row 3 column A \(type\): survey row 3, column type: "range"/);
    expect(range.json().details.problems).toMatchObject([
      { sheet: 'survey', row: 3, column: 'A', header: 'type', code: 'unsupported-type', name: 'range' },
    ]);

    const r = await upload(await featuresWorkbook());
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json();
    expect(body.notices.map((n: XlsFormProblem) => n.code)).toEqual([
      'ignored-column',
      'ignored-column',
      'ignored-column',
      'metadata-left-empty',
      'metadata-left-empty',
      'metadata-left-empty',
      'metadata-left-empty',
      'ignored-column',
      'ignored-column',
      'ignored-sheet',
    ]);
    const cycle = await t.app.inject({
      method: 'POST',
      url: '/api/v1/review-cycles',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: JSON.stringify({
        kind: 'national-nua-report',
        titles: { en: 'Features' },
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        questionnaireVersionId: body.version.id,
        participants: ['MAAGA'],
      }),
    });
    expect(cycle.statusCode, cycle.body).toBe(201);
    submission = cycle.json().participants[0].submission.id;
  });

  it('keeps the features of a questionnaire built in the app (JSON): choice columns, filter, count, metadata', async () => {
    const definition = {
      formId: 'built',
      title: 'Built',
      languages: [{ code: 'en', name: null }],
      instanceName: 'concat(${c}, ${n})',
      allowChoiceDuplicates: true,
      questions: [
        { type: 'metadata', name: 'start', metadata: 'start' },
        { type: 'select_one', name: 'c', label: { en: 'C' }, list: 'l', orOther: true, choiceFilter: "k = 'x'" },
        { type: 'integer', name: 'n', label: { en: 'N' } },
        {
          type: 'repeat',
          name: 'r',
          label: { en: 'R' },
          repeatCount: '${n}',
          children: [{ type: 'geopoint', name: 'p', label: { en: 'P in ${c}' } }],
        },
      ],
      choiceLists: [{ name: 'l', choices: [{ name: 'a', label: { en: 'A' }, properties: { k: 'x' } }] }],
    };
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/questionnaires/check',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: JSON.stringify({ definition }),
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().definition).toMatchObject(definition);
  });

  const GOOD = {
    start: '2026-03-01T09:00:00.000+01:00',
    end: '2026-03-01T09:20:00.000+01:00',
    today: '2026-03-01',
    deviceid: 'marsad:0123456789abcdef',
    username: 'focal@features.example',
    country: 'ma',
    city: 'agadir',
    partner: 'other',
    partner_other: 'Chambre de commerce',
    others: ['police', 'other'],
    others_other: 'جمعية الحي',
    site: '30.4202 -9.5982 31 8',
    measures_count: 2,
    measure: [{ measure_name: 'Street lighting' }, { measure_name: 'إنارة الأزقة' }],
  };

  it('saves answers with the other texts, a geopoint, a repeat of N and a filtered choice, and names the submission', async () => {
    const r = await save(GOOD);
    expect(r.statusCode, r.body).toBe(200);
    const view = r.json();
    expect(view.instanceName).toBe('agadir – 2026-03-01');
    expect(view.form).toMatchObject({
      complete: true,
      instanceName: 'agadir – 2026-03-01',
      choices: { city: ['agadir', 'rabat'] },
      repeatCounts: { measure: 2 },
      textValues: { city: { country: 'ma' }, site: { city: 'agadir' } },
    });
    expect(view.answers).toMatchObject({ partner_other: 'Chambre de commerce', others_other: 'جمعية الحي' });
    // Read back, and listed by its name.
    const again = await t.app.inject({ url: `/api/v1/review-submissions/${submission}?lang=en`, headers: focal });
    expect(again.json()).toMatchObject({ instanceName: 'agadir – 2026-03-01', answers: GOOD });
    const list = await t.app.inject({ url: '/api/v1/review-submissions', headers: focal });
    expect(list.json().items).toMatchObject([{ id: submission, instanceName: 'agadir – 2026-03-01' }]);
    const stored = await t.db.store.exclusive((c) =>
      c.query<{ instance_name: string }>('SELECT instance_name FROM review_submissions WHERE id = $1', [submission]),
    );
    expect(stored.rows[0]!.instance_name).toBe('agadir – 2026-03-01');
  });

  it('refuses on save a choice the filter does not offer, more instances than the count, a point off the globe', async () => {
    const refusedWith = async (answers: unknown) => {
      const r = await save(answers);
      expect(r.statusCode, r.body).toBe(400);
      return r.json();
    };
    const filtered = await refusedWith({ ...GOOD, country: 'kz' });
    expect(filtered.message).toBe('The answers were refused: city: filtered-choice (agadir)');
    expect(filtered.details.invalid).toMatchObject([
      { code: 'filtered-choice', path: 'city', name: 'city', value: 'agadir' },
    ]);
    const tooMany = await refusedWith({ ...GOOD, measures_count: 1 });
    expect(tooMany.details.invalid).toMatchObject([{ code: 'repeat-count', path: 'measure', count: 1 }]);
    const offGlobe = await refusedWith({ ...GOOD, site: '95 10' });
    expect(offGlobe.details.invalid).toMatchObject([{ code: 'invalid-value', path: 'site' }]);
    const otherText = await refusedWith({ ...GOOD, partner_other: 12 });
    expect(otherText.details.invalid).toMatchObject([{ code: 'invalid-value', path: 'partner_other' }]);
    // Fewer instances than the count: saved as a draft, the missing ones reported.
    const fewer = await save({ ...GOOD, measures_count: 3 });
    expect(fewer.statusCode, fewer.body).toBe(200);
    expect(fewer.json().form.missing).toMatchObject([{ path: 'measure/2/measure_name' }]);
  });
});
