/**
 * The report of a review cycle to the Executive Board (issue 6 item 6; seed 000 §3 (b), (c),
 * (e) and §8): one module that reads the records and computes every figure, each with the list
 * behind it, as JSON and as CSV. Participation and the measures, difficulties and
 * technical-assistance needs are counted by core (`buildBoardReport`); the success indicators
 * of seed 000 §8 that the records support are read here from the knowledge repository and the
 * network (migration 007) and the budget lines of the results framework (§8 (d), migration 011).
 * `currentSuccessIndicators` gives the same figures as the records stand today, for the public
 * page, with the participation of member states in review cycles (counts only). Definitions:
 * docs/methods/reviews.md and docs/methods/results.md.
 */

import {
  type AnswerSet,
  type BoardParticipant,
  type BoardReport,
  buildBoardReport,
  type Figure,
  figure,
  type ReviewState,
} from '@marsad/core';
import type { SqlConn, Store } from '@marsad/db';
import { type CsvCell, csvLine } from '../formats/common/csv-cell.ts';
import { HttpError } from '../http/errors.ts';
import { type CycleKind, fromJson, iso, loadQuestionnaire, todayIso } from '../reviews/review-records.ts';
import { M49_SOURCE, m49RegionOf } from './m49-regions.ts';

export interface SuccessItem {
  id: number;
  names: Record<string, string>;
  date: string | null;
  place?: string | null;
  detail?: string;
  /** A budget line: its amount in its currency, over its years. */
  amount?: number;
  currency?: string;
  year?: number;
  endYear?: number | null;
  /** A member state's participation in review cycles: cycles, of which submitted, of which published. */
  counts?: { cycles: number; submitted: number; published: number };
  /** Demonstration data. */
  demo?: boolean;
}

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
  /** Financial resources: totals within each currency (never converted) of the two lists. */
  amounts?: { duringCycle: CurrencyTotal[]; atCycleEnd: CurrencyTotal[] };
}

export interface BoardReportAnswer extends BoardReport {
  cycle: {
    id: number;
    kind: CycleKind;
    titles: Record<string, string>;
    startsOn: string;
    endsOn: string;
    demo: boolean;
    questionnaireVersionId: number;
  };
  generatedAt: string;
  regionSource: string;
  successIndicators: SuccessIndicator[];
}

const S8 = {
  a: { ar: 'عدد الأدوات المشتركة التي يجري تبادلها', en: 'Number of joint tools being shared' },
  b: { ar: 'عدد الأدوات المشتركة التي يجري تجريبها', en: 'Number of joint tools being piloted' },
  c: {
    ar: 'عدد البلدان الرائدة ومراكز التنسيق المعينة للمدن الأكثر أمانا',
    en: 'Number of pilot countries and designated safer-cities coordination centres',
  },
  d: {
    ar: 'مقدار الموارد المالية المخصصة لتنفيذ قضايا المدن الأكثر أمانا',
    en: 'Financial resources allocated to implementing safer-cities issues',
  },
  e: {
    ar: 'تحسين الوعي والفهم لقضايا المدن الأكثر أمانا داخل المجلس التنفيذي وبالتالي الدول الأعضاء',
    en: 'Better awareness and understanding of safer-cities issues within the Executive Board and so the member states',
  },
  f: {
    ar: 'عدد الشركاء الفنيين الذين ينضمون إلى الشبكة العالمية للمدن الأكثر أمانا والهيئات المكونة لها لدعم عملية استعراض النظراء',
    en: 'Number of technical partners joining the Global Network on Safer Cities and its bodies to support the peer review',
  },
};

async function tableExists(conn: SqlConn, name: string): Promise<boolean> {
  return !!(await conn.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name])).rows[0]?.t;
}

/** A date (or time stamp) of the database as YYYY-MM-DD; null stays null. */
export const dateText = (d: unknown): string | null =>
  d === null || d === undefined
    ? null
    : typeof d === 'string'
      ? d.slice(0, 10)
      : new Date(d as Date).toISOString().slice(0, 10);

export interface CurrencyTotal {
  currency: string;
  amount: number;
  lines: number;
}

/** The records behind the success indicators, read once (only what the public may read). */
export interface SuccessRecords {
  /** The knowledge and network tables (migration 007) are there. */
  network: boolean;
  tools: SuccessItem[];
  pilots: SuccessItem[];
  pilotCountries: SuccessItem[];
  centres: SuccessItem[];
  partners: (SuccessItem & { left: string | null })[];
  /** Budget lines of the programmes (migration 011): each in its currency, over its years. */
  budget: { item: SuccessItem; year: number; endYear: number; amount: number; currency: string }[] | null;
  /** Participation in review cycles by country (a city's country is the top of its path). */
  reviews:
    | {
        countryId: number;
        names: Record<string, string>;
        code: string;
        cycleId: number;
        startsOn: string;
        endsOn: string;
        submitted: boolean;
        published: boolean;
        demo: boolean;
      }[]
    | null;
}

export async function loadSuccessRecords(conn: SqlConn): Promise<SuccessRecords> {
  const network =
    (await tableExists(conn, 'knowledge_items')) &&
    (await tableExists(conn, 'tool_pilots')) &&
    (await tableExists(conn, 'partner_organisations')) &&
    (await tableExists(conn, 'coordination_centres'));
  const rec: SuccessRecords = {
    network,
    tools: [],
    pilots: [],
    pilotCountries: [],
    centres: [],
    partners: [],
    budget: null,
    reviews: null,
  };
  rec.pilotCountries = (
    await conn.query<{ id: number; code: string; names: unknown }>(
      `SELECT id, code, names FROM places WHERE level = 'country' AND pilot ORDER BY code`,
    )
  ).rows.map((r): SuccessItem => ({ id: r.id, names: fromJson(r.names), date: null, place: r.code }));
  if (network) {
    rec.tools = (
      await conn.query<{ id: number; published_at: Date | string | null; titles: unknown }>(
        `SELECT k.id, k.published_at, (SELECT jsonb_object_agg(t.lang, t.title) FROM knowledge_item_texts t WHERE t.item_id = k.id) AS titles
         FROM knowledge_items k WHERE k.type = 'tool' AND k.status = 'published' ORDER BY k.published_at, k.id`,
      )
    ).rows.map(
      (r): SuccessItem => ({
        id: r.id,
        names: fromJson(r.titles) ?? {},
        date: r.published_at ? iso(r.published_at)!.slice(0, 10) : null,
      }),
    );
    // Pilots of published tools only: a draft tool is neither shared nor named to anyone.
    rec.pilots = (
      await conn.query<{ item_id: number; titles: unknown; code: string; started_on: unknown; stage: string }>(
        `SELECT tp.item_id, (SELECT jsonb_object_agg(t.lang, t.title) FROM knowledge_item_texts t WHERE t.item_id = tp.item_id) AS titles,
              p.code, tp.started_on, tp.stage
         FROM tool_pilots tp JOIN knowledge_items k ON k.id = tp.item_id JOIN places p ON p.id = tp.place_id
        WHERE k.type = 'tool' AND k.status = 'published' AND tp.stage <> 'planned' ORDER BY tp.started_on, tp.item_id, p.code`,
      )
    ).rows.map((r) => ({
      id: r.item_id,
      names: fromJson<Record<string, string>>(r.titles) ?? {},
      date: dateText(r.started_on),
      place: r.code,
      detail: r.stage,
    }));
    rec.centres = (
      await conn.query<{ id: number; names: unknown; code: string; designated_on: unknown }>(
        `SELECT c.id, c.names, p.code, c.designated_on FROM coordination_centres c JOIN places p ON p.id = c.place_id ORDER BY c.designated_on NULLS LAST, c.id`,
      )
    ).rows.map(
      (r): SuccessItem => ({ id: r.id, names: fromJson(r.names), date: dateText(r.designated_on), place: r.code }),
    );
    rec.partners = (
      await conn.query<{ id: number; names: unknown; joined_on: unknown; left_on: unknown; type: string }>(
        `SELECT id, names, joined_on, left_on, type FROM partner_organisations ORDER BY joined_on NULLS LAST, id`,
      )
    ).rows.map((r) => ({
      id: r.id,
      names: fromJson<Record<string, string>>(r.names),
      date: dateText(r.joined_on),
      left: dateText(r.left_on),
      detail: r.type,
    }));
  }
  if (await tableExists(conn, 'budget_lines')) {
    rec.budget = (
      await conn.query<{
        id: number;
        labels: unknown;
        currency: string;
        year: number;
        end_year: number | null;
        amount: number;
        demo: boolean;
        code: string;
        pdemo: boolean;
      }>(
        `SELECT b.id, b.labels, b.currency, b.year, b.end_year, b.amount::float8 AS amount, b.demo, p.code, p.demo AS pdemo
         FROM budget_lines b JOIN programmes p ON p.id = b.programme_id ORDER BY p.code, b.year, b.currency, b.id`,
      )
    ).rows.map((r) => ({
      item: {
        id: r.id,
        names: fromJson<Record<string, string>>(r.labels) ?? {},
        date: null,
        detail: r.code,
        amount: Number(r.amount),
        currency: r.currency,
        year: r.year,
        endYear: r.end_year,
        demo: r.demo || r.pdemo,
      },
      year: r.year,
      endYear: r.end_year ?? r.year,
      amount: Number(r.amount),
      currency: r.currency,
    }));
  }
  if (await tableExists(conn, 'review_participants')) {
    // Counts of participation only: never the answers, the states beyond submitted/published, or people.
    rec.reviews = (
      await conn.query<{
        id: number;
        names: unknown;
        code: string;
        cycle_id: number;
        starts_on: string;
        ends_on: string;
        submitted: boolean;
        published: boolean;
        demo: boolean;
      }>(
        `SELECT cp.id, cp.names, cp.code, c.id AS cycle_id, c.starts_on::text AS starts_on, c.ends_on::text AS ends_on, c.demo,
              bool_or(COALESCE(s.round, 0) >= 1) AS submitted, bool_or(s.state = 'published') AS published
         FROM review_participants rp JOIN review_cycles c ON c.id = rp.cycle_id JOIN places p ON p.id = rp.place_id
         JOIN places cp ON cp.id = split_part(p.path, '/', 2)::int
         LEFT JOIN review_submissions s ON s.cycle_id = rp.cycle_id AND s.place_id = rp.place_id
        GROUP BY cp.id, cp.names, cp.code, c.id, c.starts_on, c.ends_on, c.demo ORDER BY cp.code, c.starts_on, c.id`,
      )
    ).rows.map((r) => ({
      countryId: r.id,
      names: fromJson<Record<string, string>>(r.names),
      code: r.code,
      cycleId: r.cycle_id,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      submitted: !!r.submitted,
      published: !!r.published,
      demo: r.demo,
    }));
  }
  return rec;
}

const cents = (x: number) => Math.round(x * 100) / 100;

/** Totals within each currency; never a sum across currencies. */
export function currencyTotals(lines: { amount: number; currency: string }[]): CurrencyTotal[] {
  return [...new Set(lines.map((l) => l.currency))].sort().map((currency) => {
    const mine = lines.filter((l) => l.currency === currency);
    return { currency, amount: cents(mine.reduce((s, l) => s + l.amount, 0)), lines: mine.length };
  });
}

const MISSING_NETWORK =
  'The knowledge repository and network (migration 007) are not in this database: the figure is left out rather than typed.';
const MISSING_RESULTS =
  'The results framework (migration 011) is not in this database: the figure is left out rather than typed.';
const AWARENESS_REASON = 'No record that Marsad keeps measures awareness or understanding within the Executive Board.';

const DEFINITIONS = {
  a: 'Tools of the knowledge repository that are published (shared with all); dated by their publication.',
  b: 'Published tools of the knowledge repository with a pilot by a place that has started (under way, completed or stopped; planned pilots are not counted). The count is of tools; the list is of pilots, dated by their start.',
  c: 'Countries marked as pilot countries in the places of Marsad (the catalogue marks the countries of the seed 003 project; administrators can change the mark). The mark carries no date.',
  centres: 'Designated safer-cities coordination centres of the network, dated by their designation.',
  d: 'Budget lines of the programmes of the results framework, each in its currency and years; totals within one currency only, never converted. The count is of budget lines.',
  f: 'Partner organisations of the Global Network on Safer Cities by the date they joined (members: joined and not left).',
  gInvited:
    'Member states taking part in review cycles: countries that are, or have a city that is, a participant of a review cycle. The count is of countries; each carries its number of cycles.',
  gSubmitted:
    'Member states that submitted: countries of which a participant submitted its review at least once in a cycle (whatever its state now).',
};

/** One figure per country, the participation in cycles counted (never the answers). */
function byCountry(
  rows: NonNullable<SuccessRecords['reviews']>,
  keep: (r: NonNullable<SuccessRecords['reviews']>[number]) => boolean,
): Figure<SuccessItem> {
  const m = new Map<number, SuccessItem & { counts: NonNullable<SuccessItem['counts']> }>();
  for (const r of rows) {
    let i = m.get(r.countryId);
    if (!i) {
      i = {
        id: r.countryId,
        names: r.names,
        date: null,
        place: r.code,
        counts: { cycles: 0, submitted: 0, published: 0 },
        demo: true,
      };
      m.set(r.countryId, i);
    }
    i.counts.cycles += 1;
    if (r.submitted) i.counts.submitted += 1;
    if (r.published) i.counts.published += 1;
    i.demo = i.demo && r.demo;
    if (i.date === null || r.startsOn < i.date) i.date = r.startsOn;
  }
  return figure([...m.values()].filter((i) => rows.some((r) => r.countryId === i.id && keep(r))));
}

/** The definitions the report of a cycle gives where they say more than the period's. */
const CYCLE_DEFINITIONS: Record<string, string> = {
  'c-pilot-countries': `${DEFINITIONS.c} Counted at the cycle's end only.`,
  'c-coordination-centres': `${DEFINITIONS.centres} A centre without a date counts at the cycle's end, not within it.`,
  'd-financial-resources': `${DEFINITIONS.d} Within the cycle: lines whose years meet the cycle's years; at its end: lines starting in or before the cycle's last year.`,
  'f-partners-joined': `${DEFINITIONS.f} Those who joined within the cycle, and those members at its end.`,
};

/**
 * The success indicators over a cycle: the figures of a period from the cycle's first to its last
 * day (`successIndicatorsFor`), named for the cycle. Participation in review cycles is left out:
 * the report of a cycle counts its own participants.
 */
async function successIndicators(conn: SqlConn, startsOn: string, endsOn: string): Promise<SuccessIndicator[]> {
  return successIndicatorsFor(await loadSuccessRecords(conn), startsOn, endsOn)
    .filter((s) => !s.code.startsWith('g-'))
    .map(
      ({
        figure: atCycleEnd,
        duringPeriod: duringCycle,
        amounts,
        amountsDuringPeriod,
        definition,
        ...s
      }): SuccessIndicator => ({
        ...s,
        ...(s.available ? { definition: CYCLE_DEFINITIONS[s.code] ?? definition, duringCycle, atCycleEnd } : {}),
        ...(amounts ? { amounts: { duringCycle: amountsDuringPeriod ?? [], atCycleEnd: amounts } } : {}),
      }),
    );
}

/** A success indicator as it stands now (the public page): one figure with its list. */
export interface CurrentSuccessIndicator {
  code: string;
  seedReference: string;
  names: { ar: string; en: string };
  available: boolean;
  reason?: string;
  definition?: string;
  figure?: Figure<SuccessItem>;
  /** Financial resources: totals within each currency (never converted). */
  amounts?: CurrencyTotal[];
}

export interface CurrentSuccessIndicators {
  asOf: string;
  generatedAt: string;
  indicators: CurrentSuccessIndicator[];
}

const S8_PARTICIPATION = {
  invited: { ar: 'مشاركة الدول الأعضاء في دورات الاستعراض', en: 'Participation of member states in review cycles' },
  submitted: { ar: 'الدول الأعضاء التي قدمت استعراضها', en: 'Member states that submitted a review' },
};

/**
 * The success indicators of seed 000 §8 as the records stand today, for everyone: the same
 * records as the cycle report (published tools and their pilots, pilot countries, centres,
 * partners, budget lines), plus the participation of member states in review cycles as counts
 * by country (never the answers of a submission, never a person). Dated records count up to
 * today; budget lines are allocations whatever their years.
 */
export async function currentSuccessIndicators(store: Store): Promise<CurrentSuccessIndicators> {
  const asOf = todayIso();
  const rec = await store.exclusive((conn) => loadSuccessRecords(conn));
  return { asOf, generatedAt: new Date().toISOString(), indicators: successIndicatorsFor(rec, null, asOf) };
}

/** A success indicator over a period: the figure at the period's end and the part of it within the period. */
export interface PeriodSuccessIndicator extends CurrentSuccessIndicator {
  /** Records dated within the period (null where the records carry no date). */
  duringPeriod?: Figure<SuccessItem> | null;
  /** Financial resources within the period: totals per currency. */
  amountsDuringPeriod?: CurrencyTotal[];
}

/**
 * The success indicators up to `to` (the figure) and, when `from` is given, the records dated
 * within from–to (`duringPeriod`). Without `from` (the public page, as things stand today) budget
 * lines count whatever their years; with it, lines starting in or before the period's last year,
 * and within the period the lines whose years meet the period's.
 */
export function successIndicatorsFor(rec: SuccessRecords, from: string | null, to: string): PeriodSuccessIndicator[] {
  const upTo = (d: string | null) => d !== null && d <= to;
  const within = (d: string | null) => from !== null && d !== null && d >= from && d <= to;
  const during = <T>(f: Figure<T>): { duringPeriod?: Figure<T> } => (from === null ? {} : { duringPeriod: f });
  const out: PeriodSuccessIndicator[] = [];
  const na = (code: string, seedReference: string, names: { ar: string; en: string }, reason: string) =>
    out.push({ code, seedReference, names, available: false, reason });
  const toolsOf = (list: SuccessItem[]): Figure<SuccessItem> => ({
    count: new Set(list.map((p) => p.id)).size,
    items: list,
  });
  const partnerItem = (p: SuccessRecords['partners'][number]): SuccessItem => ({
    id: p.id,
    names: p.names,
    date: p.date,
    detail: p.detail,
  });
  if (rec.network) {
    out.push({
      code: 'a-tools-shared',
      seedReference: 'seed 000 §8 (a)',
      names: S8.a,
      available: true,
      definition: DEFINITIONS.a,
      figure: figure(rec.tools.filter((t) => upTo(t.date))),
      ...during(figure(rec.tools.filter((t) => within(t.date)))),
    });
    out.push({
      code: 'b-tools-piloted',
      seedReference: 'seed 000 §8 (b)',
      names: S8.b,
      available: true,
      definition: DEFINITIONS.b,
      figure: toolsOf(rec.pilots.filter((p) => upTo(p.date))),
      ...during(toolsOf(rec.pilots.filter((p) => within(p.date)))),
    });
  } else {
    na('a-tools-shared', 'seed 000 §8 (a)', S8.a, MISSING_NETWORK);
    na('b-tools-piloted', 'seed 000 §8 (b)', S8.b, MISSING_NETWORK);
  }
  out.push({
    code: 'c-pilot-countries',
    seedReference: 'seed 000 §8 (c)',
    names: S8.c,
    available: true,
    definition: DEFINITIONS.c,
    figure: figure(rec.pilotCountries),
    ...(from === null ? {} : { duringPeriod: null }),
  });
  if (rec.network) {
    out.push({
      code: 'c-coordination-centres',
      seedReference: 'seed 000 §8 (c)',
      names: S8.c,
      available: true,
      definition: `${DEFINITIONS.centres} A centre with a designation date after the date counted to is not counted yet; one without a date counts at the end, not within a period.`,
      figure: figure(rec.centres.filter((c) => c.date === null || upTo(c.date))),
      ...during(figure(rec.centres.filter((c) => within(c.date)))),
    });
  } else na('c-coordination-centres', 'seed 000 §8 (c)', S8.c, MISSING_NETWORK);
  if (rec.budget) {
    const y1 = Number(to.slice(0, 4));
    const lines = from === null ? rec.budget : rec.budget.filter((b) => b.year <= y1);
    const meet = from === null ? [] : rec.budget.filter((b) => b.year <= y1 && b.endYear >= Number(from.slice(0, 4)));
    out.push({
      code: 'd-financial-resources',
      seedReference: 'seed 000 §8 (d)',
      names: S8.d,
      available: true,
      definition: DEFINITIONS.d,
      figure: figure(lines.map((b) => b.item)),
      amounts: currencyTotals(lines),
      ...(from === null
        ? {}
        : { duringPeriod: figure(meet.map((b) => b.item)), amountsDuringPeriod: currencyTotals(meet) }),
    });
  } else na('d-financial-resources', 'seed 000 §8 (d)', S8.d, MISSING_RESULTS);
  na('e-awareness', 'seed 000 §8 (e)', S8.e, AWARENESS_REASON);
  if (rec.network) {
    out.push({
      code: 'f-partners-joined',
      seedReference: 'seed 000 §8 (f)',
      names: S8.f,
      available: true,
      definition: DEFINITIONS.f,
      figure: figure(rec.partners.filter((p) => upTo(p.date) && (p.left === null || p.left > to)).map(partnerItem)),
      ...during(figure(rec.partners.filter((p) => within(p.date)).map(partnerItem))),
    });
  } else na('f-partners-joined', 'seed 000 §8 (f)', S8.f, MISSING_NETWORK);
  if (rec.reviews) {
    const started = rec.reviews.filter((r) => r.startsOn <= to);
    const meeting = from === null ? [] : started.filter((r) => r.endsOn >= from);
    out.push({
      code: 'g-member-states-invited',
      seedReference: 'seed 000 §3, §8 (e)',
      names: S8_PARTICIPATION.invited,
      available: true,
      definition: DEFINITIONS.gInvited,
      figure: byCountry(started, () => true),
      ...during(byCountry(meeting, () => true)),
    });
    out.push({
      code: 'g-member-states-submitted',
      seedReference: 'seed 000 §3, §8 (e)',
      names: S8_PARTICIPATION.submitted,
      available: true,
      definition: DEFINITIONS.gSubmitted,
      figure: byCountry(started, (r) => r.submitted),
      ...during(byCountry(meeting, (r) => r.submitted)),
    });
  }
  return out;
}

/** The whole report of a cycle. */
export async function boardReport(store: Store, cycleId: number): Promise<BoardReportAnswer> {
  return store.exclusive(async (conn) => {
    const c = (
      await conn.query<{
        id: number;
        kind: CycleKind;
        titles: unknown;
        starts_on: string;
        ends_on: string;
        demo: boolean;
        questionnaire_version_id: number;
      }>(
        'SELECT id, kind, titles, starts_on::text AS starts_on, ends_on::text AS ends_on, demo, questionnaire_version_id FROM review_cycles WHERE id = $1',
        [cycleId],
      )
    ).rows[0];
    if (!c) throw new HttpError(404, 'not_found', `No review cycle ${cycleId}.`);
    const q = await loadQuestionnaire(conn, c.questionnaire_version_id);
    const rows = (
      await conn.query<{
        id: number;
        state: ReviewState;
        round: number;
        code: string;
        level: string;
        names: unknown;
        country_code: string;
        answers: unknown;
      }>(
        `SELECT s.id, s.state, s.round, p.code, p.level, p.names, cp.code AS country_code, r.answers
         FROM review_submissions s JOIN places p ON p.id = s.place_id JOIN places cp ON cp.id = split_part(p.path, '/', 2)::int
         LEFT JOIN review_submission_rounds r ON r.submission_id = s.id AND r.round = s.round
        WHERE s.cycle_id = $1`,
        [cycleId],
      )
    ).rows;
    const participants: BoardParticipant[] = rows.map((r) => ({
      place: {
        code: r.code,
        names: fromJson(r.names),
        level: r.level,
        countryCode: r.country_code,
        region: m49RegionOf(r.country_code),
      },
      submission: {
        id: r.id,
        state: r.state,
        round: r.round,
        submittedAnswers: r.answers === null ? null : fromJson<AnswerSet>(r.answers),
      },
    }));
    const report = buildBoardReport(q, participants, todayIso());
    return {
      cycle: {
        id: c.id,
        kind: c.kind,
        titles: fromJson(c.titles),
        startsOn: c.starts_on,
        endsOn: c.ends_on,
        demo: c.demo,
        questionnaireVersionId: c.questionnaire_version_id,
      },
      generatedAt: new Date().toISOString(),
      regionSource: M49_SOURCE,
      ...report,
      successIndicators: await successIndicators(conn, c.starts_on, c.ends_on),
    };
  });
}

/** Numbers stay numbers; lists become text; text that a spreadsheet would read as a formula is neutralised (csvField). */
const csvCell = (v: unknown): CsvCell =>
  v === null || v === undefined
    ? ''
    : typeof v === 'number' || typeof v === 'boolean'
      ? v
      : Array.isArray(v)
        ? v.join('; ')
        : String(v);

export const BOARD_CSV_HEADER = [
  'section',
  'figure',
  'group',
  'count',
  'place',
  'country',
  'region',
  'submission',
  'question',
  'value',
] as const;

/**
 * The report as CSV: one row per figure (`count` filled), each followed by the rows of its list
 * (`count` empty). Text cells that a spreadsheet would read as a formula are quoted with a leading '
 * (formats/common/csv-cell.ts).
 */
export function boardReportCsv(r: BoardReportAnswer): string {
  const rows: unknown[][] = [[...BOARD_CSV_HEADER]];
  const fig = (section: string, name: string, group: string, f: Figure<unknown>) =>
    rows.push([section, name, group, f.count]);
  for (const key of ['invited', 'submitted', 'reviewed', 'published'] as const) {
    const f = r.participation[key];
    fig('participation', key, '', f);
    for (const p of f.items)
      rows.push(['participation', key, '', '', p.place, p.countryCode, p.region, p.submissionId, '', p.state]);
  }
  for (const g of r.participation.byRegion) {
    for (const key of ['invited', 'submitted', 'reviewed', 'published'] as const)
      rows.push(['participation-by-region', key, g.region?.name ?? '(no region)', g[key]]);
  }
  const records = (
    section: string,
    name: string,
    group: string,
    f: BoardReport['records']['byKind'][number]['figure'],
  ) => {
    fig(section, name, group, f);
    for (const i of f.items)
      rows.push([section, name, group, '', i.place, i.countryCode, i.region, i.submissionId, i.path, i.value]);
  };
  for (const k of r.records.byKind) records('records', k.kind, '', k.figure);
  for (const k of r.records.byTheme) records('records-by-theme', k.kind, k.theme, k.figure);
  for (const k of r.records.byRegion) records('records-by-region', k.kind, k.region?.name ?? '(no region)', k.figure);
  for (const s of r.successIndicators) {
    if (!s.available) {
      rows.push(['success-indicators', s.code, 'not available', '', '', '', '', '', '', s.reason]);
      continue;
    }
    for (const [group, f] of [
      ['during cycle', s.duringCycle],
      ['at cycle end', s.atCycleEnd],
    ] as const) {
      if (!f) continue;
      rows.push(['success-indicators', s.code, group, f.count]);
      for (const i of f.items)
        rows.push([
          'success-indicators',
          s.code,
          group,
          '',
          i.place ?? '',
          '',
          '',
          '',
          i.detail ?? '',
          `${i.id} ${i.names.en ?? i.names.ar ?? Object.values(i.names)[0] ?? ''}${i.date ? ` (${i.date})` : ''}`,
        ]);
    }
  }
  return rows.map((row) => csvLine(row.map(csvCell), '\r\n')).join('');
}
