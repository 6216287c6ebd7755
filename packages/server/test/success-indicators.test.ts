import type { SqlConn } from '@marsad/db';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, type TestApp } from './helpers.ts';

/**
 * The success indicators of seed 000 §8 (GET /api/v1/success-indicators, and §8 (d) in the
 * report of a cycle to the Board) against records written here, every answer counted by hand
 * in the comments. The records hold drafts, future dates and unpublished answers that must not
 * be counted nor shown.
 */

const SECRET_TOOL = 'Draft tool sentinel 7f3a';
const SECRET_ANSWER = 'Unpublished answer sentinel 91bc';
const SECRET_CONSOLIDATED = 'Consolidated sentinel 22de';

async function place(c: SqlConn, code: string): Promise<number> {
  return (await c.query<{ id: number }>('SELECT id FROM places WHERE code = $1', [code])).rows[0]!.id;
}

async function item(
  c: SqlConn,
  type: string,
  status: string,
  publishedAt: string | null,
  titles: Record<string, string>,
): Promise<number> {
  const id = (
    await c.query<{ id: number }>(
      'INSERT INTO knowledge_items (type, status, original_language, published_at) VALUES ($1, $2, $3, $4) RETURNING id',
      [type, status, 'en', publishedAt],
    )
  ).rows[0]!.id;
  for (const [lang, title] of Object.entries(titles))
    await c.query('INSERT INTO knowledge_item_texts (item_id, lang, title) VALUES ($1, $2, $3)', [id, lang, title]);
  return id;
}

async function fixture(c: SqlConn) {
  const [MAAGA, JOAMM, MAR, PHL, KZALA] = await Promise.all(
    ['MAAGA', 'JOAMM', 'MAR', 'PHL', 'KZALA'].map((code) => place(c, code)),
  );
  // Tools: two published (shared), one draft, and a published practice (not a tool).
  const t1 = await item(c, 'tool', 'published', '2024-03-01T10:00:00Z', {
    ar: 'أداة التدقيق في السلامة',
    en: 'Safety audit tool',
  });
  const t2 = await item(c, 'tool', 'published', '2025-01-10T10:00:00Z', { en: 'Women safety walk' });
  const t3 = await item(c, 'tool', 'draft', null, { en: SECRET_TOOL });
  await item(c, 'practice', 'published', '2024-02-01T10:00:00Z', { en: 'A practice' });
  // Pilots: t1 twice (counted: one tool, two pilots), t2 planned (not counted), the draft t3 (never shown).
  const pilot = 'INSERT INTO tool_pilots (item_id, place_id, started_on, stage) VALUES ($1, $2, $3, $4)';
  await c.query(pilot, [t1, MAAGA, '2024-05-01', 'under-way']);
  await c.query(pilot, [t1, JOAMM, '2024-06-01', 'completed']);
  await c.query(pilot, [t2, MAAGA, '2025-02-01', 'planned']);
  await c.query(pilot, [t3, JOAMM, '2024-07-01', 'under-way']);
  // Centres: one dated, one without a date (both counted), one designated in the future (not yet).
  const centre = 'INSERT INTO coordination_centres (names, place_id, designated_on) VALUES ($1, $2, $3)';
  await c.query(centre, [JSON.stringify({ en: 'Agadir centre' }), MAAGA, '2023-01-01']);
  await c.query(centre, [JSON.stringify({ en: 'Amman centre' }), JOAMM, null]);
  await c.query(centre, [JSON.stringify({ en: 'Future centre' }), MAAGA, '2999-01-01']);
  // Partners: a member; one who left; one joining in the future; one without a date (members now: 1).
  const partner = 'INSERT INTO partner_organisations (names, type, joined_on, left_on) VALUES ($1, $2, $3, $4)';
  await c.query(partner, [JSON.stringify({ en: 'Member partner' }), 'academia', '2022-01-01', null]);
  await c.query(partner, [JSON.stringify({ en: 'Former partner' }), 'civil-society', '2023-05-05', '2024-01-01']);
  await c.query(partner, [JSON.stringify({ en: 'Future partner' }), 'funder', '2999-01-01', null]);
  await c.query(partner, [JSON.stringify({ en: 'Undated partner' }), 'funder', null, null]);
  // Budgets: USD 100.50 + 200 + 50 = 350.50 over three lines, EUR 300 over one; a rate is entered but never used.
  const prog = 'INSERT INTO programmes (code, names, start_year, end_year) VALUES ($1, $2, 2024, 2027) RETURNING id';
  const p1 = (await c.query<{ id: number }>(prog, ['PRG1', JSON.stringify({ en: 'Programme one' })])).rows[0]!.id;
  const p2 = (await c.query<{ id: number }>(prog, ['PRG2', JSON.stringify({ en: 'Programme two' })])).rows[0]!.id;
  const line =
    'INSERT INTO budget_lines (programme_id, labels, currency, year, end_year, amount) VALUES ($1, $2, $3, $4, $5, $6)';
  await c.query(line, [p1, JSON.stringify({ en: 'Audits' }), 'USD', 2024, null, '100.50']);
  await c.query(line, [p1, JSON.stringify({ en: 'Walks' }), 'USD', 2025, 2026, '200']);
  await c.query(line, [p1, JSON.stringify({ en: 'Training' }), 'EUR', 2024, null, '300']);
  await c.query(line, [p2, JSON.stringify({ en: 'Later' }), 'USD', 2027, null, '50']);
  await c.query('INSERT INTO exchange_rates (from_currency, to_currency, year, rate) VALUES ($1, $2, $3, $4)', [
    'EUR',
    'USD',
    2024,
    1.1,
  ]);
  // Reviews: cycle A (2024–2025) with Agadir (published), Morocco (draft) and Amman (in review, answers
  // unpublished); cycle C (2023) with the Philippines (invited, no submission); cycle B in the future
  // with Almaty (not counted). Member states taking part: MAR, JOR, PHL = 3; that submitted: MAR, JOR = 2.
  const q = (await c.query<{ id: number }>("INSERT INTO questionnaires (form_id) VALUES ('si_test') RETURNING id"))
    .rows[0]!.id;
  const definition = { formId: 'si_test', title: 'Test', version: '1', languages: [], questions: [], choiceLists: [] };
  const v = (
    await c.query<{ id: number }>(
      "INSERT INTO questionnaire_versions (questionnaire_id, number, title, definition, checksum, source) VALUES ($1, 1, 'Test', $2, 'x', 'app') RETURNING id",
      [q, JSON.stringify(definition)],
    )
  ).rows[0]!.id;
  const cycle =
    'INSERT INTO review_cycles (kind, titles, starts_on, ends_on, questionnaire_version_id) VALUES ($1, $2, $3, $4, $5) RETURNING id';
  const cA = (
    await c.query<{ id: number }>(cycle, [
      'voluntary-local-review',
      JSON.stringify({ en: 'Cycle A' }),
      '2024-01-01',
      '2025-12-31',
      v,
    ])
  ).rows[0]!.id;
  const cB = (
    await c.query<{ id: number }>(cycle, [
      'voluntary-local-review',
      JSON.stringify({ en: 'Cycle B' }),
      '2999-01-01',
      '2999-12-31',
      v,
    ])
  ).rows[0]!.id;
  const cC = (
    await c.query<{ id: number }>(cycle, [
      'national-nua-report',
      JSON.stringify({ en: 'Cycle C' }),
      '2023-01-01',
      '2023-12-31',
      v,
    ])
  ).rows[0]!.id;
  const part = 'INSERT INTO review_participants (cycle_id, place_id) VALUES ($1, $2)';
  for (const [cy, p] of [
    [cA, MAAGA],
    [cA, MAR],
    [cA, JOAMM],
    [cB, KZALA],
    [cC, PHL],
  ] as const)
    await c.query(part, [cy, p]);
  const sub =
    'INSERT INTO review_submissions (cycle_id, place_id, state, round, answers, consolidated, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7)';
  await c.query(sub, [
    cA,
    MAAGA,
    'published',
    1,
    '{}',
    JSON.stringify({ en: 'Published observations' }),
    '2025-06-01T00:00:00Z',
  ]);
  await c.query(sub, [cA, MAR, 'draft', 0, JSON.stringify({ note: SECRET_ANSWER }), '{}', null]);
  await c.query(sub, [
    cA,
    JOAMM,
    'in-review',
    1,
    JSON.stringify({ note: SECRET_ANSWER }),
    JSON.stringify({ en: SECRET_CONSOLIDATED }),
    null,
  ]);
  await c.query(sub, [cB, KZALA, 'submitted', 1, '{}', '{}', null]);
  return { t1, cA };
}

interface Item {
  id: number;
  place?: string;
  date: string | null;
  names: Record<string, string>;
  amount?: number;
  currency?: string;
  counts?: { cycles: number; submitted: number; published: number };
}
interface Indicator {
  code: string;
  available: boolean;
  reason?: string;
  definition?: string;
  figure?: { count: number; items: Item[] };
  amounts?: { currency: string; amount: number; lines: number }[];
}

describe.each(testStoreKinds())('success indicators on %s', (kind) => {
  let t: TestApp;
  let f: Awaited<ReturnType<typeof fixture>>;
  beforeAll(async () => {
    t = await createTestApp(kind);
    f = await t.db.store.exclusive(fixture);
  });
  afterAll(async () => t?.close());

  it('counts each figure from the records, with its list, for the public', async () => {
    const res = await t.app.inject({ url: '/api/v1/success-indicators' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { asOf: string; indicators: Indicator[] };
    expect(body.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const si = Object.fromEntries(body.indicators.map((i) => [i.code, i]));
    expect(Object.keys(si)).toEqual([
      'a-tools-shared',
      'b-tools-piloted',
      'c-pilot-countries',
      'c-coordination-centres',
      'd-financial-resources',
      'e-awareness',
      'f-partners-joined',
      'g-member-states-invited',
      'g-member-states-submitted',
    ]);
    const names = (code: string) => si[code]!.figure!.items.map((i) => i.names.en);

    expect(si['a-tools-shared']!.figure!.count).toBe(2);
    expect(names('a-tools-shared')).toEqual(['Safety audit tool', 'Women safety walk']);
    expect(si['b-tools-piloted']!.figure!.count).toBe(1);
    expect(si['b-tools-piloted']!.figure!.items.map((i) => `${i.id} ${i.place} ${i.date}`)).toEqual([
      `${f.t1} MAAGA 2024-05-01`,
      `${f.t1} JOAMM 2024-06-01`,
    ]);
    // The catalogue marks nine pilot countries (seed 003's project), the Philippines among them.
    expect(si['c-pilot-countries']!.figure!.count).toBe(9);
    expect(si['c-coordination-centres']!.figure!.count).toBe(2);
    expect(names('c-coordination-centres')).toEqual(['Agadir centre', 'Amman centre']);
    expect(si['d-financial-resources']!.figure!.count).toBe(4);
    expect(si['d-financial-resources']!.amounts).toEqual([
      { currency: 'EUR', amount: 300, lines: 1 },
      { currency: 'USD', amount: 350.5, lines: 3 },
    ]);
    expect(si['e-awareness']).toMatchObject({ available: false });
    expect(si['e-awareness']!.figure).toBeUndefined();
    expect(si['f-partners-joined']!.figure!.count).toBe(1);
    expect(names('f-partners-joined')).toEqual(['Member partner']);
    const invited = si['g-member-states-invited']!.figure!;
    expect(invited.count).toBe(3);
    expect(invited.items.map((i) => [i.place, i.counts])).toEqual([
      ['JOR', { cycles: 1, submitted: 1, published: 0 }],
      ['MAR', { cycles: 1, submitted: 1, published: 1 }],
      ['PHL', { cycles: 1, submitted: 0, published: 0 }],
    ]);
    expect(si['g-member-states-submitted']!.figure!.items.map((i) => i.place)).toEqual(['JOR', 'MAR']);
    for (const i of body.indicators) if (i.available) expect(i.definition, i.code).toBeTruthy();

    // Nothing unpublished, nothing of a person.
    for (const s of [SECRET_TOOL, SECRET_ANSWER, SECRET_CONSOLIDATED, 'Cycle A', 'KZALA'])
      expect(res.body, s).not.toContain(s);
  });

  it('adds the financial resources to the report of a cycle, within one currency', async () => {
    const res = await t.app.inject({ url: `/api/v1/review-cycles/${f.cA}/board-report`, headers: AUTH });
    expect(res.statusCode, res.body).toBe(200);
    const d = (
      res.json().successIndicators as (Indicator & {
        duringCycle: { count: number };
        atCycleEnd: { count: number };
        amounts: { duringCycle: unknown; atCycleEnd: unknown };
      })[]
    ).find((x) => x.code === 'd-financial-resources')!;
    // Cycle 2024–2025: Audits 2024, Walks 2025–2026, Training 2024 (EUR); Later (2027) is outside.
    expect(d.available).toBe(true);
    expect(d.duringCycle.count).toBe(3);
    expect(d.amounts.duringCycle).toEqual([
      { currency: 'EUR', amount: 300, lines: 1 },
      { currency: 'USD', amount: 300.5, lines: 2 },
    ]);
    expect(d.amounts.atCycleEnd).toEqual(d.amounts.duringCycle);
    const csv = await t.app.inject({ url: `/api/v1/review-cycles/${f.cA}/board-report.csv`, headers: AUTH });
    expect(csv.body).toContain('success-indicators,d-financial-resources,during cycle,3');
  });
});
