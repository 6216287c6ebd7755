/**
 * The progress report to the Executive Board for a period (issue 7 item 5; seed 000 §3 (b) and
 * (e)): the measures member states took in implementing the guidelines and the difficulties they
 * met (§3 (b)), their successes and good practices (§3 (e)), the success indicators of §8, and
 * the results toward 2030 of the programmes. Every figure is computed from records already in
 * Marsad, each with the list it counts; nothing is typed into the report.
 *
 * It is public, so it reads only what the public may read: the answers of reviews published
 * within the period (drafts and reviews still in progress stay with their participants; the
 * report of one cycle, for administrators, counts those), published good practices of the
 * knowledge repository, results of the programmes completed within the period, and the programme
 * views that the programme pages show (approved, unsuppressed values only).
 * Definitions: docs/methods/results.md, "The progress report to the Executive Board".
 */

import {
  type AnswerSet,
  extractRecords,
  type Figure,
  type Figures2030,
  figure,
  type GuidelineThemeCode,
  type Questionnaire,
  type RecordKind,
  recordsByKindAndTheme,
} from '@marsad/core';
import type { Store } from '@marsad/db';
import { pick } from '../http/pagination.ts';
import { programmeView, type ResultView } from '../results/programme-view.ts';
import { fromJson, iso, loadQuestionnaire, todayIso } from '../reviews/review-records.ts';
import { dateText, loadSuccessRecords, type PeriodSuccessIndicator, successIndicatorsFor } from './board-report.ts';
import { M49_SOURCE, m49RegionOf } from './m49-regions.ts';

type Names = Record<string, string>;

/** A review published within the period. */
export interface ProgressReview {
  id: number;
  publishedAt: string;
  demo: boolean;
  place: { code: string; names: Names; countryCode: string; region: string | null };
  cycle: { id: number; titles: Names };
}

/** A measure, difficulty or technical-assistance need recorded in a published review. */
export interface ProgressRecord {
  kind: RecordKind;
  theme: GuidelineThemeCode;
  reviewId: number;
  place: string;
  countryCode: string;
  region: string | null;
  question: string;
  path: string;
  value: string | number | string[];
  demo: boolean;
}

/** A good practice of the knowledge repository published within the period. */
export interface ProgressPractice {
  id: number;
  titles: Names;
  publishedAt: string;
  places: string[];
}

/** A result of a programme completed within the period (its end date in it, its status completed). */
export interface ProgressResult {
  id: number;
  programme: string;
  code: string | null;
  level: string;
  titles: Names;
  endDate: string;
  demo: boolean;
}

/** A programme's standing toward 2030: its top results with their progress and the 2030 figures. */
export interface ProgressProgramme {
  code: string;
  name: string | null;
  names: Names;
  startYear: number;
  endYear: number;
  status: string;
  demo: boolean;
  progress: number | null;
  coverage: number;
  results: {
    id: number;
    code: string | null;
    level: string;
    title: string | null;
    titles: Names;
    status: string;
    progress: number | null;
    coverage: number;
    measures: number;
  }[];
  targets2030: Figures2030 | null;
}

export interface BoardProgressReport {
  period: { from: string; to: string };
  generatedAt: string;
  /** Some of what is counted is demonstration data (each item says which). */
  demo: boolean;
  reviews: Figure<ProgressReview>;
  records: {
    byKind: { kind: RecordKind; figure: Figure<ProgressRecord> }[];
    byTheme: { kind: RecordKind; theme: GuidelineThemeCode; figure: Figure<ProgressRecord> }[];
  };
  practices: Figure<ProgressPractice>;
  resultsCompleted: Figure<ProgressResult>;
  successIndicators: PeriodSuccessIndicator[];
  programmes: ProgressProgramme[];
  regionSource: string;
}

/** The default period: from the first of January of this year to today. */
export function defaultPeriod(today = todayIso()): { from: string; to: string } {
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

function countResults(results: ResultView[]): number {
  return results.reduce((n, r) => n + r.measures.length + countResults(r.children), 0);
}

export async function boardProgressReport(
  store: Store,
  period: { from: string; to: string },
  lang?: string,
): Promise<BoardProgressReport> {
  const { from, to } = period;
  const today = todayIso();
  const read = await store.exclusive(async (conn) => {
    // Reviews published within the period, with the answers of the round that was published.
    const reviewRows = (
      await conn.query<{
        id: number;
        published_at: Date | string;
        demo: boolean;
        code: string;
        names: unknown;
        country_code: string;
        cycle_id: number;
        titles: unknown;
        version_id: number;
        answers: unknown;
      }>(
        `SELECT s.id, s.published_at, c.demo, p.code, p.names, cp.code AS country_code, c.id AS cycle_id, c.titles,
              c.questionnaire_version_id AS version_id, r.answers
         FROM review_submissions s JOIN review_cycles c ON c.id = s.cycle_id JOIN places p ON p.id = s.place_id
         JOIN places cp ON cp.id = split_part(p.path, '/', 2)::int
         JOIN review_submission_rounds r ON r.submission_id = s.id AND r.round = s.round
        WHERE s.state = 'published' AND (s.published_at AT TIME ZONE 'UTC')::date BETWEEN $1::date AND $2::date
        ORDER BY s.published_at, p.code, s.id`,
        [from, to],
      )
    ).rows;
    const questionnaires = new Map<number, Questionnaire>();
    const reviews: ProgressReview[] = [];
    const records: ProgressRecord[] = [];
    for (const r of reviewRows) {
      let q = questionnaires.get(r.version_id);
      if (!q) {
        q = await loadQuestionnaire(conn, r.version_id);
        questionnaires.set(r.version_id, q);
      }
      const region = m49RegionOf(r.country_code)?.code ?? null;
      reviews.push({
        id: r.id,
        publishedAt: iso(r.published_at)!,
        demo: r.demo,
        place: { code: r.code, names: fromJson(r.names), countryCode: r.country_code, region },
        cycle: { id: r.cycle_id, titles: fromJson(r.titles) },
      });
      for (const x of extractRecords(q, fromJson<AnswerSet>(r.answers), today)) {
        records.push({ ...x, reviewId: r.id, place: r.code, countryCode: r.country_code, region, demo: r.demo });
      }
    }
    const practices = (
      await conn.query<{ id: number; published_at: Date | string; titles: unknown; places: string[] | null }>(
        `SELECT k.id, k.published_at,
              (SELECT jsonb_object_agg(t.lang, t.title) FROM knowledge_item_texts t WHERE t.item_id = k.id) AS titles,
              (SELECT array_agg(p.code ORDER BY p.code) FROM places p WHERE p.id = ANY(k.place_ids)) AS places
         FROM knowledge_items k
        WHERE k.type = 'practice' AND k.status = 'published' AND (k.published_at AT TIME ZONE 'UTC')::date BETWEEN $1::date AND $2::date
        ORDER BY k.published_at, k.id`,
        [from, to],
      )
    ).rows.map(
      (r): ProgressPractice => ({
        id: r.id,
        titles: fromJson<Names>(r.titles) ?? {},
        publishedAt: iso(r.published_at)!,
        places: r.places ?? [],
      }),
    );
    const completed = (
      await conn.query<{
        id: number;
        programme: string;
        code: string | null;
        level: string;
        titles: unknown;
        end_date: unknown;
        demo: boolean;
      }>(
        `SELECT r.id, p.code AS programme, r.code, r.level, r.titles, r.end_date, p.demo
         FROM results r JOIN programmes p ON p.id = r.programme_id
        WHERE r.status = 'completed' AND r.end_date BETWEEN $1::date AND $2::date
        ORDER BY r.end_date, p.code, r.id`,
        [from, to],
      )
    ).rows.map(
      (r): ProgressResult => ({
        id: r.id,
        programme: r.programme,
        code: r.code,
        level: r.level,
        titles: fromJson(r.titles),
        endDate: dateText(r.end_date)!,
        demo: r.demo,
      }),
    );
    const programmeCodes = (await conn.query<{ code: string }>('SELECT code FROM programmes ORDER BY code')).rows.map(
      (r) => r.code,
    );
    const success = await loadSuccessRecords(conn);
    return { reviews, records, practices, completed, programmeCodes, success };
  });

  const programmes: ProgressProgramme[] = [];
  for (const code of read.programmeCodes) {
    const v = await programmeView(store.db, code, lang);
    programmes.push({
      code: v.code,
      name: v.name,
      names: v.names,
      startYear: v.startYear,
      endYear: v.endYear,
      status: v.status,
      demo: v.demonstration,
      progress: v.progress,
      coverage: v.coverage,
      results: v.results.map((r) => ({
        id: r.id,
        code: r.code,
        level: r.level,
        title: r.title ?? pick(r.titles, lang),
        titles: r.titles,
        status: r.status,
        progress: r.progress,
        coverage: r.coverage,
        measures: r.measures.length + countResults(r.children),
      })),
      targets2030: v.targets2030,
    });
  }

  return {
    period: { from, to },
    generatedAt: new Date().toISOString(),
    demo: read.reviews.some((r) => r.demo) || read.completed.some((r) => r.demo) || programmes.some((p) => p.demo),
    reviews: figure(read.reviews),
    records: recordsByKindAndTheme(read.records),
    practices: figure(read.practices),
    resultsCompleted: figure(read.completed),
    successIndicators: successIndicatorsFor(read.success, from, to),
    programmes,
    regionSource: M49_SOURCE,
  };
}
