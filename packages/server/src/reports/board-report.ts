/**
 * The report of a review cycle to the Executive Board (issue 6 item 6; seed 000 §3 (b), (c),
 * (e) and §8): one module that reads the records and computes every figure, each with the list
 * behind it, as JSON and as CSV. Participation and the measures, difficulties and
 * technical-assistance needs are counted by core (`buildBoardReport`); the success indicators
 * of seed 000 §8 that the records support are read here from the knowledge repository and the
 * network (migration 007). The results framework (issue 7) extends this module (the financial
 * resources of §8 (d)) rather than counting twice. Definitions: docs/methods/reviews.md.
 */
import type { SqlConn, Store } from '@marsad/db';
import { buildBoardReport, figure, type AnswerSet, type BoardParticipant, type BoardReport, type Figure, type ReviewState } from '@marsad/core';
import { HttpError } from '../http/errors.ts';
import { fromJson, iso, loadQuestionnaire, todayIso, type CycleKind } from '../reviews/review-records.ts';
import { M49_SOURCE, m49RegionOf } from './m49-regions.ts';

export interface SuccessItem { id: number; names: Record<string, string>; date: string | null; place?: string | null; detail?: string }

export interface SuccessIndicator {
  /** The letter of seed 000 §8 and what is counted. */
  code: string;
  seedReference: string;
  /** The seed's Arabic words; the English is Marsad's translation. */
  names: { ar: string; en: string };
  available: boolean;
  /** When not available: why (never a typed number instead). */
  reason?: string;
  definition?: string;
  /** Records dated within the cycle (null where the records carry no date). */
  duringCycle?: Figure<SuccessItem> | null;
  /** Records up to the cycle's end. */
  atCycleEnd?: Figure<SuccessItem>;
}

export interface BoardReportAnswer extends BoardReport {
  cycle: { id: number; kind: CycleKind; titles: Record<string, string>; startsOn: string; endsOn: string; demo: boolean; questionnaireVersionId: number };
  generatedAt: string;
  regionSource: string;
  successIndicators: SuccessIndicator[];
}

const S8 = {
  a: { ar: 'عدد الأدوات المشتركة التي يجري تبادلها', en: 'Number of joint tools being shared' },
  b: { ar: 'عدد الأدوات المشتركة التي يجري تجريبها', en: 'Number of joint tools being piloted' },
  c: { ar: 'عدد البلدان الرائدة ومراكز التنسيق المعينة للمدن الأكثر أمانا', en: 'Number of pilot countries and designated safer-cities coordination centres' },
  d: { ar: 'مقدار الموارد المالية المخصصة لتنفيذ قضايا المدن الأكثر أمانا', en: 'Financial resources allocated to implementing safer-cities issues' },
  e: { ar: 'تحسين الوعي والفهم لقضايا المدن الأكثر أمانا داخل المجلس التنفيذي وبالتالي الدول الأعضاء', en: 'Better awareness and understanding of safer-cities issues within the Executive Board and so the member states' },
  f: { ar: 'عدد الشركاء الفنيين الذين ينضمون إلى الشبكة العالمية للمدن الأكثر أمانا والهيئات المكونة لها لدعم عملية استعراض النظراء', en: 'Number of technical partners joining the Global Network on Safer Cities and its bodies to support the peer review' },
};

async function tableExists(conn: SqlConn, name: string): Promise<boolean> {
  return !!(await conn.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name])).rows[0]?.t;
}

const dateText = (d: unknown): string | null => (d === null || d === undefined ? null : typeof d === 'string' ? d.slice(0, 10) : new Date(d as Date).toISOString().slice(0, 10));

async function successIndicators(conn: SqlConn, startsOn: string, endsOn: string): Promise<SuccessIndicator[]> {
  const within = (d: string | null) => d !== null && d >= startsOn && d <= endsOn;
  const upTo = (d: string | null) => d !== null && d <= endsOn;
  const network = await tableExists(conn, 'knowledge_items') && await tableExists(conn, 'tool_pilots')
    && await tableExists(conn, 'partner_organisations') && await tableExists(conn, 'coordination_centres');
  const missing = 'The knowledge repository and network (migration 007) are not in this database: the figure is left out rather than typed.';
  const out: SuccessIndicator[] = [];

  if (network) {
    const tools = (await conn.query<{ id: number; published_at: Date | string | null; titles: unknown }>(
      `SELECT k.id, k.published_at, (SELECT jsonb_object_agg(t.lang, t.title) FROM knowledge_item_texts t WHERE t.item_id = k.id) AS titles
         FROM knowledge_items k WHERE k.type = 'tool' AND k.status = 'published' ORDER BY k.published_at, k.id`)).rows
      .map((r): SuccessItem => ({ id: r.id, names: fromJson(r.titles) ?? {}, date: r.published_at ? iso(r.published_at)!.slice(0, 10) : null }));
    out.push({
      code: 'a-tools-shared', seedReference: 'seed 000 §8 (a)', names: S8.a, available: true,
      definition: 'Tools of the knowledge repository that are published (shared with all); dated by their publication.',
      duringCycle: figure(tools.filter((t) => within(t.date))), atCycleEnd: figure(tools.filter((t) => upTo(t.date))),
    });

    const pilots = (await conn.query<{ item_id: number; titles: unknown; code: string; started_on: unknown; stage: string }>(
      `SELECT tp.item_id, (SELECT jsonb_object_agg(t.lang, t.title) FROM knowledge_item_texts t WHERE t.item_id = tp.item_id) AS titles,
              p.code, tp.started_on, tp.stage
         FROM tool_pilots tp JOIN knowledge_items k ON k.id = tp.item_id JOIN places p ON p.id = tp.place_id
        WHERE k.type = 'tool' AND tp.stage <> 'planned' ORDER BY tp.started_on, tp.item_id, p.code`)).rows
      .map((r) => ({ id: r.item_id, names: fromJson<Record<string, string>>(r.titles) ?? {}, date: dateText(r.started_on), place: r.code, detail: r.stage }));
    /** A tool counts once, at its first pilot in the period; the items list every pilot. */
    const toolsOf = (list: SuccessItem[]): Figure<SuccessItem> => ({ count: new Set(list.map((p) => p.id)).size, items: list });
    out.push({
      code: 'b-tools-piloted', seedReference: 'seed 000 §8 (b)', names: S8.b, available: true,
      definition: 'Tools of the knowledge repository with a pilot by a place that has started (under way, completed or stopped; planned pilots are not counted). The count is of tools; the list is of pilots, dated by their start.',
      duringCycle: toolsOf(pilots.filter((p) => within(p.date))), atCycleEnd: toolsOf(pilots.filter((p) => upTo(p.date))),
    });
  } else {
    out.push({ code: 'a-tools-shared', seedReference: 'seed 000 §8 (a)', names: S8.a, available: false, reason: missing });
    out.push({ code: 'b-tools-piloted', seedReference: 'seed 000 §8 (b)', names: S8.b, available: false, reason: missing });
  }

  const pilotCountries = (await conn.query<{ id: number; code: string; names: unknown }>(
    `SELECT id, code, names FROM places WHERE level = 'country' AND pilot ORDER BY code`)).rows
    .map((r): SuccessItem => ({ id: r.id, names: fromJson(r.names), date: null, place: r.code }));
  out.push({
    code: 'c-pilot-countries', seedReference: 'seed 000 §8 (c)', names: S8.c, available: true,
    definition: 'Countries marked as pilot countries in the places of Marsad (the catalogue marks the countries of the seed 003 project; administrators can change the mark). The mark carries no date: counted at the cycle\'s end only.',
    duringCycle: null, atCycleEnd: figure(pilotCountries),
  });
  if (network) {
    const centres = (await conn.query<{ id: number; names: unknown; code: string; designated_on: unknown }>(
      `SELECT c.id, c.names, p.code, c.designated_on FROM coordination_centres c JOIN places p ON p.id = c.place_id ORDER BY c.designated_on NULLS LAST, c.id`)).rows
      .map((r): SuccessItem => ({ id: r.id, names: fromJson(r.names), date: dateText(r.designated_on), place: r.code }));
    out.push({
      code: 'c-coordination-centres', seedReference: 'seed 000 §8 (c)', names: S8.c, available: true,
      definition: 'Designated safer-cities coordination centres of the network, dated by their designation (a centre without a date counts at the cycle\'s end, not within it).',
      duringCycle: figure(centres.filter((c) => within(c.date))), atCycleEnd: figure(centres.filter((c) => c.date === null || upTo(c.date))),
    });
  } else {
    out.push({ code: 'c-coordination-centres', seedReference: 'seed 000 §8 (c)', names: S8.c, available: false, reason: missing });
  }
  out.push({
    code: 'd-financial-resources', seedReference: 'seed 000 §8 (d)', names: S8.d, available: false,
    reason: 'Budgets are recorded per programme in the results framework (issue 7), which adds this figure to this module; the review records carry no amounts.',
  });
  out.push({
    code: 'e-awareness', seedReference: 'seed 000 §8 (e)', names: S8.e, available: false,
    reason: 'No record that Marsad keeps measures awareness or understanding within the Executive Board.',
  });
  if (network) {
    const partners = (await conn.query<{ id: number; names: unknown; joined_on: unknown; left_on: unknown; type: string }>(
      `SELECT id, names, joined_on, left_on, type FROM partner_organisations ORDER BY joined_on NULLS LAST, id`)).rows
      .map((r) => ({ id: r.id, names: fromJson<Record<string, string>>(r.names), date: dateText(r.joined_on), left: dateText(r.left_on), detail: r.type }));
    const item = (p: (typeof partners)[number]): SuccessItem => ({ id: p.id, names: p.names, date: p.date, detail: p.detail });
    out.push({
      code: 'f-partners-joined', seedReference: 'seed 000 §8 (f)', names: S8.f, available: true,
      definition: 'Partner organisations of the Global Network on Safer Cities by the date they joined: those who joined within the cycle, and those members at its end (joined by then and not left).',
      duringCycle: figure(partners.filter((p) => within(p.date)).map(item)),
      atCycleEnd: figure(partners.filter((p) => upTo(p.date) && (p.left === null || p.left > endsOn)).map(item)),
    });
  } else {
    out.push({ code: 'f-partners-joined', seedReference: 'seed 000 §8 (f)', names: S8.f, available: false, reason: missing });
  }
  return out;
}

/** The whole report of a cycle. */
export async function boardReport(store: Store, cycleId: number): Promise<BoardReportAnswer> {
  return store.exclusive(async (conn) => {
    const c = (await conn.query<{ id: number; kind: CycleKind; titles: unknown; starts_on: string; ends_on: string; demo: boolean; questionnaire_version_id: number }>(
      'SELECT id, kind, titles, starts_on::text AS starts_on, ends_on::text AS ends_on, demo, questionnaire_version_id FROM review_cycles WHERE id = $1', [cycleId])).rows[0];
    if (!c) throw new HttpError(404, 'not_found', `No review cycle ${cycleId}.`);
    const q = await loadQuestionnaire(conn, c.questionnaire_version_id);
    const rows = (await conn.query<{ id: number; state: ReviewState; round: number; code: string; level: string; names: unknown; country_code: string; answers: unknown }>(
      `SELECT s.id, s.state, s.round, p.code, p.level, p.names, cp.code AS country_code, r.answers
         FROM review_submissions s JOIN places p ON p.id = s.place_id JOIN places cp ON cp.id = split_part(p.path, '/', 2)::int
         LEFT JOIN review_submission_rounds r ON r.submission_id = s.id AND r.round = s.round
        WHERE s.cycle_id = $1`, [cycleId])).rows;
    const participants: BoardParticipant[] = rows.map((r) => ({
      place: { code: r.code, names: fromJson(r.names), level: r.level, countryCode: r.country_code, region: m49RegionOf(r.country_code) },
      submission: { id: r.id, state: r.state, round: r.round, submittedAnswers: r.answers === null ? null : fromJson<AnswerSet>(r.answers) },
    }));
    const report = buildBoardReport(q, participants, todayIso());
    return {
      cycle: { id: c.id, kind: c.kind, titles: fromJson(c.titles), startsOn: c.starts_on, endsOn: c.ends_on, demo: c.demo, questionnaireVersionId: c.questionnaire_version_id },
      generatedAt: new Date().toISOString(),
      regionSource: M49_SOURCE,
      ...report,
      successIndicators: await successIndicators(conn, c.starts_on, c.ends_on),
    };
  });
}

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join('; ') : String(v);
  return /[",\n\r]/.test(s) || /^[=+\-@\t]/.test(s) ? `"${(/^[=+\-@\t]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s;
};

export const BOARD_CSV_HEADER = ['section', 'figure', 'group', 'count', 'place', 'country', 'region', 'submission', 'question', 'value'] as const;

/**
 * The report as CSV: one row per figure (`count` filled), each followed by the rows of its list
 * (`count` empty). Cells that a spreadsheet would read as a formula are quoted with a leading '.
 */
export function boardReportCsv(r: BoardReportAnswer): string {
  const rows: unknown[][] = [[...BOARD_CSV_HEADER]];
  const fig = (section: string, name: string, group: string, f: Figure<unknown>) => rows.push([section, name, group, f.count]);
  for (const key of ['invited', 'submitted', 'reviewed', 'published'] as const) {
    const f = r.participation[key];
    fig('participation', key, '', f);
    for (const p of f.items) rows.push(['participation', key, '', '', p.place, p.countryCode, p.region, p.submissionId, '', p.state]);
  }
  for (const g of r.participation.byRegion) {
    for (const key of ['invited', 'submitted', 'reviewed', 'published'] as const) rows.push(['participation-by-region', key, g.region?.name ?? '(no region)', g[key]]);
  }
  const records = (section: string, name: string, group: string, f: BoardReport['records']['byKind'][number]['figure']) => {
    fig(section, name, group, f);
    for (const i of f.items) rows.push([section, name, group, '', i.place, i.countryCode, i.region, i.submissionId, i.path, i.value]);
  };
  for (const k of r.records.byKind) records('records', k.kind, '', k.figure);
  for (const k of r.records.byTheme) records('records-by-theme', k.kind, k.theme, k.figure);
  for (const k of r.records.byRegion) records('records-by-region', k.kind, k.region?.name ?? '(no region)', k.figure);
  for (const s of r.successIndicators) {
    if (!s.available) { rows.push(['success-indicators', s.code, 'not available', '', '', '', '', '', '', s.reason]); continue; }
    for (const [group, f] of [['during cycle', s.duringCycle], ['at cycle end', s.atCycleEnd]] as const) {
      if (!f) continue;
      rows.push(['success-indicators', s.code, group, f.count]);
      for (const i of f.items) rows.push(['success-indicators', s.code, group, '', i.place ?? '', '', '', '', i.detail ?? '', `${i.id} ${i.names.en ?? i.names.ar ?? Object.values(i.names)[0] ?? ''}${i.date ? ` (${i.date})` : ''}`]);
    }
  }
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
