import type { Questionnaire } from '@marsad/core';
import { dumpDatabase, restoreDatabase } from '@marsad/db';
import { testStoreKinds } from '@marsad/db/testing';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedIn, TEST_PASSWORD, type TestApp } from './helpers.ts';
import { reviewWorkbook, workbook } from './questionnaire-fixtures.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe.each(testStoreKinds())('questionnaires API on %s', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let reader: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(kind, { catalogue: false });
    reader = await signedIn(t, 'reader@review.example', []);
    admin = await signedIn(t, 'admin@review.example', [{ role: 'administrator' }]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const upload = (body: Buffer | string, headers = admin, query = 'fileName=review.xlsx') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/questionnaires/import?${query}`,
      payload: body,
      headers: { 'content-type': XLSX, ...headers },
    });
  const audit = async () =>
    (await t.app.inject({ url: '/api/v1/audit?entityType=questionnaire&limit=100', headers: admin })).json().items as {
      action: string;
      entity_id: string;
      summary: string;
      after: Record<string, unknown>;
    }[];

  let questionnaireId = 0;
  let firstVersion = 0;
  let definition: Questionnaire;

  it('imports an XLSForm workbook as version 1, audited', async () => {
    const r = await upload(await reviewWorkbook());
    expect(r.statusCode, r.body).toBe(201);
    const body = r.json();
    expect(body).toMatchObject({
      created: true,
      newQuestionnaire: true,
      version: {
        number: 1,
        formId: 'safer_cities_review',
        source: 'xlsform',
        fileName: 'review.xlsx',
        formVersion: '2026-1',
      },
    });
    questionnaireId = body.version.questionnaireId;
    firstVersion = body.version.id;
    const [entry] = await audit();
    expect(entry).toMatchObject({
      action: 'import',
      entity_id: 'safer_cities_review',
      after: { versionId: firstVersion, number: 1 },
    });
    expect(entry!.summary).toMatch(/version 1 .*review\.xlsx/);
  });

  it('adds nothing when the same workbook is imported again', async () => {
    const r = await upload(await reviewWorkbook());
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ created: false, version: { id: firstVersion, number: 1 } });
    expect(await audit()).toHaveLength(1);
  });

  it('lets signed-in users read the list, a questionnaire and a version; the public gets 401', async () => {
    const list = await t.app.inject({ url: '/api/v1/questionnaires', headers: reader });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toMatchObject({
      total: 1,
      items: [
        {
          id: questionnaireId,
          formId: 'safer_cities_review',
          versions: 1,
          latest: { id: firstVersion, title: 'استبيان المدن الأكثر أمانا' },
        },
      ],
    });
    const one = await t.app.inject({ url: `/api/v1/questionnaires/${questionnaireId}`, headers: reader });
    expect(one.json()).toMatchObject({
      formId: 'safer_cities_review',
      versions: [{ number: 1 }],
      latest: { definition: { formId: 'safer_cities_review' } },
    });
    const v = await t.app.inject({ url: `/api/v1/questionnaire-versions/${firstVersion}`, headers: reader });
    expect(v.statusCode).toBe(200);
    definition = v.json().definition;
    expect(definition.languages).toEqual([
      { code: 'ar', name: 'Arabic (ar)' },
      { code: 'en', name: 'English (en)' },
    ]);
    for (const url of [
      '/api/v1/questionnaires',
      `/api/v1/questionnaires/${questionnaireId}`,
      `/api/v1/questionnaire-versions/${firstVersion}`,
      `/api/v1/questionnaire-versions/${firstVersion}/xlsform`,
    ]) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(401);
    }
    expect((await t.app.inject({ url: '/api/v1/questionnaire-versions/999999', headers: reader })).statusCode).toBe(
      404,
    );
  });

  it('exports a version as an XLSForm workbook that imports to the same definition', async () => {
    const r = await t.app.inject({ url: `/api/v1/questionnaire-versions/${firstVersion}/xlsform`, headers: reader });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe(XLSX);
    expect(r.headers['content-disposition']).toContain('safer_cities_review-v1.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.getWorksheet('settings')!.getRow(2).getCell(2).value).toBe('safer_cities_review');
    const check = await upload(r.rawPayload, admin, 'dryRun=true');
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json().definition).toEqual(definition);
  });

  it('saves an edit as a new version and never changes the old one', async () => {
    const edited: Questionnaire = { ...definition, title: 'Safer cities review, second round' };
    const r = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/questionnaires/${questionnaireId}`,
      headers: admin,
      payload: { definition: edited },
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().version).toMatchObject({ number: 2, source: 'app', title: 'Safer cities review, second round' });
    const same = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/questionnaires/${questionnaireId}`,
      headers: admin,
      payload: { definition: edited },
    });
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ created: false, version: { number: 2 } });
    const old = await t.app.inject({ url: `/api/v1/questionnaire-versions/${firstVersion}`, headers: reader });
    expect(old.json()).toMatchObject({
      number: 1,
      title: 'استبيان المدن الأكثر أمانا',
      definition: { title: 'استبيان المدن الأكثر أمانا' },
    });
    expect((await audit()).map((e) => e.action)).toEqual(['update', 'import']);
    // The database itself refuses to change or delete a version.
    for (const sql of ['UPDATE questionnaire_versions SET title = $$x$$', 'DELETE FROM questionnaire_versions']) {
      await expect(
        t.db.store.exclusive((c) => c.query(sql)),
        sql,
      ).rejects.toThrow(/never changed/);
    }
    const other = { ...edited, formId: 'another_form' };
    const wrong = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/questionnaires/${questionnaireId}`,
      headers: admin,
      payload: { definition: other },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toMatch(/^definition\.formId/);
  });

  it('creates a questionnaire built in the app, checked as an import is', async () => {
    const built: Questionnaire = {
      formId: 'vlr_2026',
      title: 'Voluntary Local Review',
      version: '',
      languages: [
        { code: 'ar', name: null },
        { code: 'en', name: null },
      ],
      questions: [
        {
          type: 'text',
          name: 'measure',
          label: { ar: 'التدبير', en: 'Measure' },
          hint: {},
          required: true,
          requiredMessage: {},
          constraintMessage: {},
          records: { kind: 'measure', theme: 'inclusion' },
        },
        {
          type: 'select_one',
          name: 'level',
          label: { en: 'Level' },
          hint: {},
          required: false,
          requiredMessage: {},
          constraintMessage: {},
          list: 'levels',
        },
      ],
      choiceLists: [{ name: 'levels', choices: [{ name: 'city', label: { en: 'City' } }] }],
    };
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/questionnaires',
      headers: admin,
      payload: { definition: built },
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({
      created: true,
      newQuestionnaire: true,
      version: { number: 1, source: 'app', formId: 'vlr_2026' },
    });
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/questionnaires',
      headers: admin,
      payload: { definition: built },
    });
    expect(again.statusCode).toBe(409);

    const bad = {
      ...built,
      formId: 'bad_form',
      questions: [
        { ...built.questions[0]!, relevant: 'sqrt(${measure}) > 1' },
        { ...built.questions[1]!, name: 'measure', list: 'colours' },
      ],
    };
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/questionnaires/check',
      headers: admin,
      payload: { definition: bad },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details.problems).toEqual([
      { path: 'definition.questions[1].name', code: 'duplicate-name', name: 'measure', message: expect.any(String) },
      { path: 'definition.questions[1].list', code: 'unknown-list', name: 'colours', message: expect.any(String) },
      {
        path: 'definition.questions[0].relevant',
        code: 'expression:unsupported-function',
        name: 'sqrt',
        position: 0,
        message: expect.any(String),
      },
    ]);
    const shape = await t.app.inject({
      method: 'POST',
      url: '/api/v1/questionnaires',
      headers: admin,
      payload: { definition: { ...built, questions: [{ type: 'range', name: 'x' }] } },
    });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().message).toMatch(/questions/);
  });

  it('refuses a workbook with every problem listed by sheet, row and column (400), and what is not a workbook', async () => {
    const r = await upload(
      await workbook({
        survey: [
          ['type', 'name', 'label', 'relevant'],
          ['text', 'a', 'A', null],
          ['text', 'a', 'B', 'pulldata(1)'],
          ['select_one nowhere', 'c', 'C', null],
        ],
        settings: [['form_id'], ['broken']],
      }),
    );
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(
      /^The workbook was refused: 3 problem\(s\)\. First: survey row 3 column B \(name\)/,
    );
    expect(
      r
        .json()
        .details.problems.map(
          (p: { sheet: string; row: number; column: string; code: string; name?: string }) =>
            `${p.sheet}!${p.column}${p.row} ${p.code} ${p.name}`,
        ),
    ).toEqual([
      'survey!B3 duplicate-name a',
      'survey!D3 expression:unsupported-function pulldata',
      'survey!A4 unknown-list nowhere',
    ]);
    const csv = await upload('type,name\ntext,a\n');
    expect(csv.statusCode).toBe(400);
    expect(csv.json().message).toMatch(/not an \.xlsx workbook/);
    expect((await upload('')).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/questionnaires', headers: admin })).json().total).toBe(2);
  });

  it('is written by administrators only', async () => {
    expect((await upload(await reviewWorkbook(), reader)).statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/questionnaires', headers: reader, payload: { definition } }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: `/api/v1/questionnaires/${questionnaireId}`,
          headers: reader,
          payload: { definition },
        })
      ).statusCode,
    ).toBe(403);
    expect((await upload(await reviewWorkbook(), {})).statusCode).toBe(401);
  });

  it('keeps questionnaires and their versions through a backup and restore', async () => {
    const chunks: string[] = [];
    for await (const c of dumpDatabase(t.db.store)) chunks.push(c);
    const counts = await restoreDatabase(
      t.db.store,
      (async function* () {
        yield* chunks;
      })(),
    );
    expect(counts).toMatchObject({ questionnaires: 2, questionnaire_versions: 3 });
    // Sessions are not kept by a backup: sign in again.
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'reader@review.example', password: TEST_PASSWORD },
    });
    expect(login.statusCode, login.body).toBe(200);
    const v = await t.app.inject({
      url: `/api/v1/questionnaire-versions/${firstVersion}`,
      headers: { cookie: String(login.headers['set-cookie']).split(';')[0]! },
    });
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json().definition).toEqual(definition);
    const row = await t.db.store.db
      .selectFrom('questionnaire_versions')
      .select(['id', 'number', 'checksum'])
      .where('id', '=', firstVersion)
      .executeTakeFirstOrThrow();
    expect(row.number).toBe(1);
    await expect(
      t.db.store.exclusive((c) => c.query('UPDATE questionnaire_versions SET title = $$x$$')),
    ).rejects.toThrow(/never changed/);
    // New versions take ids after the restored ones.
    const next = await t.db.store.exclusive((c) =>
      c.query<{ id: number }>("SELECT nextval('questionnaire_versions_id_seq') AS id"),
    );
    expect(Number(next.rows[0]!.id)).toBeGreaterThan(firstVersion + 1);
  });

  it('appears in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    for (const p of [
      '/api/v1/questionnaires',
      '/api/v1/questionnaires/import',
      '/api/v1/questionnaires/{id}',
      '/api/v1/questionnaire-versions/{id}',
      '/api/v1/questionnaire-versions/{id}/xlsform',
    ]) {
      expect(doc.paths[p], p).toBeTruthy();
    }
  });
});
