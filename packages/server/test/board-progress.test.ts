import type { SqlConn } from '@marsad/db';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.ts';

/**
 * The progress report to the Executive Board for a period (GET /api/v1/reports/board-progress;
 * seed 000 §3 (b), (e)) against records written here for the period 2025-01-01 – 2025-12-31,
 * every answer counted by hand in the comments. Unpublished answers, drafts and records outside
 * the period are there to be left out.
 */

const SECRET = 'Answer under review sentinel 4c1d';

async function place(c: SqlConn, code: string): Promise<number> {
  return (await c.query<{ id: number }>('SELECT id FROM places WHERE code = $1', [code])).rows[0]!.id;
}

async function item(
  c: SqlConn,
  type: string,
  status: string,
  publishedAt: string | null,
  title: string,
  placeIds: number[] = [],
): Promise<number> {
  const id = (
    await c.query<{ id: number }>(
      'INSERT INTO knowledge_items (type, status, original_language, published_at, place_ids) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [type, status, 'en', publishedAt, placeIds],
    )
  ).rows[0]!.id;
  await c.query('INSERT INTO knowledge_item_texts (item_id, lang, title) VALUES ($1, $2, $3)', [id, 'en', title]);
  return id;
}

const ask = (name: string, records?: { kind: string; theme: string }) => ({
  type: 'text',
  name,
  label: { en: name },
  hint: {},
  required: false,
  requiredMessage: {},
  constraintMessage: {},
  ...(records ? { records } : {}),
});

async function fixture(c: SqlConn) {
  const [MAAGA, JOAMM, ECUIO, MAR] = await Promise.all([
    place(c, 'MAAGA'),
    place(c, 'JOAMM'),
    place(c, 'ECUIO'),
    place(c, 'MAR'),
  ]);
  const definition = {
    formId: 'bp_test',
    title: 'Test',
    version: '1',
    languages: ['en'],
    choiceLists: [],
    questions: [
      ask('measure', { kind: 'measure', theme: 'inclusion' }),
      ask('measure2', { kind: 'measure', theme: 'co-production' }),
      ask('difficulty', { kind: 'difficulty', theme: 'evidence-monitoring' }),
      ask('need', { kind: 'assistance-need', theme: 'capacity-building' }),
      ask('note'),
    ],
  };
  const q = (await c.query<{ id: number }>("INSERT INTO questionnaires (form_id) VALUES ('bp_test') RETURNING id"))
    .rows[0]!.id;
  const v = (
    await c.query<{ id: number }>(
      "INSERT INTO questionnaire_versions (questionnaire_id, number, title, definition, checksum, source) VALUES ($1, 1, 'Test', $2, 'x', 'app') RETURNING id",
      [q, JSON.stringify(definition)],
    )
  ).rows[0]!.id;
  const cycle = (
    await c.query<{ id: number }>(
      'INSERT INTO review_cycles (kind, titles, starts_on, ends_on, questionnaire_version_id) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      ['safer-cities-peer-review', JSON.stringify({ en: 'Cycle 2024-2027' }), '2024-01-01', '2027-12-31', v],
    )
  ).rows[0]!.id;
  for (const p of [MAAGA, JOAMM, ECUIO, MAR])
    await c.query('INSERT INTO review_participants (cycle_id, place_id) VALUES ($1, $2)', [cycle, p]);
  const sub = async (p: number, state: string, round: number, answers: object, publishedAt: string | null) => {
    const id = (
      await c.query<{ id: number }>(
        'INSERT INTO review_submissions (cycle_id, place_id, state, round, answers, published_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [cycle, p, state, round, JSON.stringify(answers), publishedAt],
      )
    ).rows[0]!.id;
    if (round > 0)
      await c.query('INSERT INTO review_submission_rounds (submission_id, round, answers) VALUES ($1, $2, $3)', [
        id,
        round,
        JSON.stringify(answers),
      ]);
    return id;
  };
  // Agadir: published in the period. Records: 2 measures (inclusion, co-production), 1 difficulty; the need is empty;
  // the note records nothing.
  const aga = await sub(
    MAAGA,
    'published',
    1,
    {
      measure: 'Street lighting in the old medina',
      measure2: 'Neighbourhood safety committees',
      difficulty: 'No victimisation survey since 2019',
      need: '',
      note: 'not a record',
    },
    '2025-06-01T12:00:00Z',
  );
  // Quito: published in the period (on its last day, late in the evening UTC). Records: 1 measure (inclusion), 1 need.
  const uio = await sub(
    ECUIO,
    'published',
    1,
    { measure: 'Safe routes to school', need: 'Training of municipal analysts' },
    '2025-12-31T23:30:00Z',
  );
  // Amman: in review (not published): never counted nor shown.
  await sub(JOAMM, 'in-review', 1, { measure: SECRET, difficulty: SECRET }, null);
  // Morocco: published before the period (2024-12-31 23:59 UTC): not counted.
  await sub(MAR, 'published', 1, { measure: 'Published in 2024' }, '2024-12-31T23:59:00Z');

  // Practices: one published in the period (about Agadir), one before it, one draft; a tool is not a practice.
  const practice = await item(c, 'practice', 'published', '2025-04-01T10:00:00Z', 'Women safety audits in Agadir', [
    MAAGA,
  ]);
  await item(c, 'practice', 'published', '2024-11-01T10:00:00Z', 'Earlier practice');
  await item(c, 'practice', 'draft', null, 'Draft practice');
  // Tools (success indicator a): one published in 2023, one in the period: 2 at the period's end, 1 within it.
  await item(c, 'tool', 'published', '2023-01-01T10:00:00Z', 'Old tool');
  await item(c, 'tool', 'published', '2025-03-01T10:00:00Z', 'New tool');

  // A programme: results completed in the period (1: R1), completed after it (R2), under way (R3).
  const prog = (
    await c.query<{ id: number }>(
      "INSERT INTO programmes (code, names, start_year, end_year) VALUES ('BPP', $1, 2024, 2030) RETURNING id",
      [JSON.stringify({ en: 'Board programme', ar: 'برنامج المجلس' })],
    )
  ).rows[0]!.id;
  const result =
    'INSERT INTO results (programme_id, level, code, titles, status, end_date) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id';
  const r1 = (
    await c.query<{ id: number }>(result, [
      prog,
      'impact',
      'R1',
      JSON.stringify({ en: 'Safer streets' }),
      'completed',
      '2025-09-30',
    ])
  ).rows[0]!.id;
  await c.query(result, [prog, 'outcome', 'R2', JSON.stringify({ en: 'Later result' }), 'completed', '2026-01-05']);
  await c.query(result, [prog, 'outcome', 'R3', JSON.stringify({ en: 'Ongoing result' }), 'under-way', '2025-05-01']);
  // Budget: USD 100 (2024), USD 200 (2025–2026), EUR 300 (2027). At the end of 2025: USD 300 over 2 lines; within 2025:
  // USD 200 over 1.
  const line =
    'INSERT INTO budget_lines (programme_id, labels, currency, year, end_year, amount) VALUES ($1, $2, $3, $4, $5, $6)';
  await c.query(line, [prog, JSON.stringify({ en: 'A' }), 'USD', 2024, null, '100']);
  await c.query(line, [prog, JSON.stringify({ en: 'B' }), 'USD', 2025, 2026, '200']);
  await c.query(line, [prog, JSON.stringify({ en: 'C' }), 'EUR', 2027, null, '300']);
  return { aga, uio, practice, r1 };
}

interface Figure<T> {
  count: number;
  items: T[];
}
interface Report {
  period: { from: string; to: string };
  reviews: Figure<{ id: number; place: { code: string } }>;
  records: {
    byKind: { kind: string; figure: Figure<{ place: string; value: string; reviewId: number; theme: string }> }[];
    byTheme: { kind: string; theme: string; figure: Figure<unknown> }[];
  };
  practices: Figure<{ id: number; titles: Record<string, string>; places: string[] }>;
  resultsCompleted: Figure<{ id: number; code: string; programme: string }>;
  successIndicators: {
    code: string;
    figure?: Figure<unknown>;
    duringPeriod?: Figure<unknown> | null;
    amounts?: unknown;
    amountsDuringPeriod?: unknown;
  }[];
  programmes: { code: string; name: string; results: { code: string; status: string }[] }[];
}

describe.each(testStoreKinds())('progress report to the Executive Board on %s', (kind) => {
  let t: TestApp;
  let f: Awaited<ReturnType<typeof fixture>>;
  beforeAll(async () => {
    t = await createTestApp(kind);
    f = await t.db.store.exclusive(fixture);
  });
  afterAll(async () => t?.close());

  it('counts measures, difficulties, practices, results and success indicators within the period, each with its list', async () => {
    const res = await t.app.inject({ url: '/api/v1/reports/board-progress?from=2025-01-01&to=2025-12-31&lang=ar' });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as Report;
    expect(r.period).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(r.reviews.count).toBe(2);
    expect(r.reviews.items.map((x) => x.place.code)).toEqual(['MAAGA', 'ECUIO']);
    const kinds = Object.fromEntries(r.records.byKind.map((k) => [k.kind, k.figure]));
    expect(kinds.measure!.count).toBe(3);
    expect(kinds.measure!.items.map((i) => `${i.place}: ${i.value}`)).toEqual([
      'MAAGA: Street lighting in the old medina',
      'MAAGA: Neighbourhood safety committees',
      'ECUIO: Safe routes to school',
    ]);
    expect(kinds.difficulty!.count).toBe(1);
    expect(kinds.difficulty!.items[0]).toMatchObject({
      place: 'MAAGA',
      reviewId: f.aga,
      value: 'No victimisation survey since 2019',
    });
    expect(kinds['assistance-need']!.count).toBe(1);
    expect(kinds['assistance-need']!.items[0]).toMatchObject({ place: 'ECUIO', reviewId: f.uio });
    const theme = (k: string, th: string) =>
      r.records.byTheme.find((x) => x.kind === k && x.theme === th)!.figure.count;
    expect(theme('measure', 'inclusion')).toBe(2);
    expect(theme('measure', 'co-production')).toBe(1);
    expect(theme('difficulty', 'evidence-monitoring')).toBe(1);
    expect(theme('difficulty', 'inclusion')).toBe(0);

    expect(r.practices.count).toBe(1);
    expect(r.practices.items[0]).toMatchObject({
      id: f.practice,
      places: ['MAAGA'],
      titles: { en: 'Women safety audits in Agadir' },
    });
    expect(r.resultsCompleted.count).toBe(1);
    expect(r.resultsCompleted.items[0]).toMatchObject({ id: f.r1, code: 'R1', programme: 'BPP' });

    const si = Object.fromEntries(r.successIndicators.map((s) => [s.code, s]));
    expect(si['a-tools-shared']!.figure!.count).toBe(2);
    expect(si['a-tools-shared']!.duringPeriod!.count).toBe(1);
    expect(si['c-pilot-countries']!.duringPeriod).toBeNull();
    expect(si['d-financial-resources']!.amounts).toEqual([{ currency: 'USD', amount: 300, lines: 2 }]);
    expect(si['d-financial-resources']!.amountsDuringPeriod).toEqual([{ currency: 'USD', amount: 200, lines: 1 }]);
    // The cycle 2024–2027 meets the period: 4 participants in 3 countries (MAR with Agadir, JOR, ECU); submitted at
    // least once: all 3.
    expect(si['g-member-states-invited']!.duringPeriod!.count).toBe(3);

    const bpp = r.programmes.find((p) => p.code === 'BPP')!;
    expect(bpp.name).toBe('برنامج المجلس');
    expect(bpp.results.map((x) => `${x.code} ${x.status}`)).toEqual(['R1 completed', 'R2 completed', 'R3 under-way']);

    for (const s of [SECRET, 'Published in 2024', 'Earlier practice', 'Draft practice', 'not a record'])
      expect(res.body, s).not.toContain(s);
  });

  it('refuses a period that ends before it starts or a date that is not one, naming the field', async () => {
    const back = await t.app.inject({ url: '/api/v1/reports/board-progress?from=2025-12-31&to=2025-01-01' });
    expect(back.statusCode).toBe(400);
    expect(back.body).toMatch(/to/);
    expect(back.body).toMatch(/before its start/);
    const bad = await t.app.inject({ url: '/api/v1/reports/board-progress?from=2025-02-30' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/from/);
  });

  it('defaults to this year up to today', async () => {
    const r = (await t.app.inject({ url: '/api/v1/reports/board-progress' })).json() as Report;
    const today = new Date().toISOString().slice(0, 10);
    expect(r.period).toEqual({ from: `${today.slice(0, 4)}-01-01`, to: today });
  });
});
