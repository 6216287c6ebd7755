/**
 * The report of a review cycle to the Executive Board (seed 000 §3 (b), (c), (e); §8): pure
 * counting over the records given, so that every number comes with the list it counts.
 * The server reads the cycle, its participants and their submitted answers (and the knowledge
 * and network tables for the success indicators) and calls `buildBoardReport`; the results
 * framework (issue 7) extends the same module rather than counting twice.
 * Definitions: docs/methods/reviews.md, "The report to the Executive Board".
 */
import { type AnswerSet, type AnswerValue, answerIn, evaluateForm } from './evaluate-form.ts';
import { GUIDELINE_THEME_CODES, type GuidelineThemeCode, RECORD_KINDS, type RecordKind } from './guideline-themes.ts';
import { flattenQuestions, isAnswerQuestion, type Questionnaire } from './questionnaire.ts';
import type { ReviewState } from './review-states.ts';

/** A count and the list it counts: the two always travel together. */
export interface Figure<T> {
  count: number;
  items: T[];
}

export function figure<T>(items: T[]): Figure<T> {
  return { count: items.length, items };
}

export interface BoardRegion {
  code: string;
  name: string;
}

export interface BoardPlace {
  code: string;
  names: Record<string, string>;
  level: string;
  /** The country the place is in (itself for a country). */
  countryCode: string;
  /** The UN M49 region of the country; null when the country has none (e.g. Antarctica). */
  region: BoardRegion | null;
}

export interface BoardParticipant {
  place: BoardPlace;
  submission: {
    id: number;
    state: ReviewState;
    /** How many times it was submitted (0: never). */
    round: number;
    /** The answers of the latest submitted round; null if never submitted. */
    submittedAnswers: AnswerSet | null;
  };
}

/** One answer that records a measure, a difficulty or a technical-assistance need. */
export interface RecordItem {
  kind: RecordKind;
  theme: GuidelineThemeCode;
  submissionId: number;
  place: string;
  countryCode: string;
  region: string | null;
  /** The question's name and the answer's path (`measures/0/measure`). */
  question: string;
  path: string;
  value: string | number | string[];
}

export interface ParticipantItem {
  submissionId: number;
  place: string;
  countryCode: string;
  region: string | null;
  state: ReviewState;
}

export interface BoardReport {
  participation: {
    invited: Figure<ParticipantItem>;
    submitted: Figure<ParticipantItem>;
    reviewed: Figure<ParticipantItem>;
    published: Figure<ParticipantItem>;
    byRegion: { region: BoardRegion | null; invited: number; submitted: number; reviewed: number; published: number }[];
  };
  records: {
    byKind: { kind: RecordKind; figure: Figure<RecordItem> }[];
    byTheme: { kind: RecordKind; theme: GuidelineThemeCode; figure: Figure<RecordItem> }[];
    byRegion: { kind: RecordKind; region: BoardRegion | null; figure: Figure<RecordItem> }[];
  };
}

const isEmpty = (v: AnswerValue | undefined) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * The answers of a submission that record a kind and theme (questions marked `records`), only
 * where the question is relevant (an answer left behind by a question no longer shown is not
 * counted, as ODK clears it). Each instance of a repeat is one item.
 */
export function extractRecords(
  q: Questionnaire,
  answers: AnswerSet,
  today: string,
): Omit<RecordItem, 'submissionId' | 'place' | 'countryCode' | 'region'>[] {
  const state = evaluateForm(q, answers, { today, language: 'en' });
  const located = flattenQuestions(q.questions);
  const out: Omit<RecordItem, 'submissionId' | 'place' | 'countryCode' | 'region'>[] = [];
  const walk = (set: AnswerSet, prefix: string, repeatName: string | null) => {
    for (const loc of located) {
      const inRepeat = loc.repeats[loc.repeats.length - 1] ?? null;
      if (inRepeat !== repeatName) continue;
      const node = loc.node;
      if (node.type === 'repeat') {
        const instances = answerIn(set, node.name);
        if (Array.isArray(instances)) {
          (instances as AnswerSet[]).forEach((inst, i) => {
            if (inst && typeof inst === 'object' && !Array.isArray(inst))
              walk(inst, `${prefix}${node.name}/${i}/`, node.name);
          });
        }
        continue;
      }
      if (!isAnswerQuestion(node) || !node.records) continue;
      const path = prefix + node.name;
      const v = answerIn(set, node.name);
      if (isEmpty(v) || state.relevant[path] !== true) continue;
      if (
        typeof v !== 'string' &&
        typeof v !== 'number' &&
        !(Array.isArray(v) && v.every((x) => typeof x === 'string'))
      )
        continue;
      out.push({
        kind: node.records.kind,
        theme: node.records.theme,
        question: node.name,
        path,
        value: v as string | number | string[],
      });
    }
  };
  walk(answers, '', null);
  return out;
}

/** Records counted by kind, and by kind and theme (every theme listed, zeros included). */
export function recordsByKindAndTheme<T extends { kind: RecordKind; theme: GuidelineThemeCode }>(
  records: readonly T[],
): {
  byKind: { kind: RecordKind; figure: Figure<T> }[];
  byTheme: { kind: RecordKind; theme: GuidelineThemeCode; figure: Figure<T> }[];
} {
  return {
    byKind: RECORD_KINDS.map((kind) => ({ kind, figure: figure(records.filter((r) => r.kind === kind)) })),
    byTheme: RECORD_KINDS.flatMap((kind) =>
      GUIDELINE_THEME_CODES.map((theme) => ({
        kind,
        theme,
        figure: figure(records.filter((r) => r.kind === kind && r.theme === theme)),
      })),
    ),
  };
}

const REVIEWED: readonly ReviewState[] = ['accepted', 'published'];

/**
 * Counts a cycle: participation (invited: every participant; submitted: submitted at least
 * once; reviewed: the review concluded, accepted or published; published), and the measures,
 * difficulties and technical-assistance needs recorded in the submitted answers (the latest
 * submitted round of every submission submitted at least once; drafts never count), by kind,
 * by kind and theme (every theme listed, zeros included) and by kind and region.
 */
export function buildBoardReport(q: Questionnaire, participants: BoardParticipant[], today: string): BoardReport {
  const sorted = [...participants].sort((a, b) => a.place.code.localeCompare(b.place.code));
  const item = (p: BoardParticipant): ParticipantItem => ({
    submissionId: p.submission.id,
    place: p.place.code,
    countryCode: p.place.countryCode,
    region: p.place.region?.code ?? null,
    state: p.submission.state,
  });
  const submitted = sorted.filter((p) => p.submission.round > 0);
  const reviewed = sorted.filter((p) => REVIEWED.includes(p.submission.state));
  const published = sorted.filter((p) => p.submission.state === 'published');

  const regions = new Map<string, BoardRegion | null>();
  for (const p of sorted) regions.set(p.place.region?.code ?? '', p.place.region);
  const regionList = [...regions.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
    .map(([, r]) => r);
  const inRegion = (r: BoardRegion | null) => (p: BoardParticipant) =>
    (p.place.region?.code ?? null) === (r?.code ?? null);

  const records: RecordItem[] = [];
  for (const p of submitted) {
    if (!p.submission.submittedAnswers) continue;
    for (const r of extractRecords(q, p.submission.submittedAnswers, today)) {
      records.push({
        ...r,
        submissionId: p.submission.id,
        place: p.place.code,
        countryCode: p.place.countryCode,
        region: p.place.region?.code ?? null,
      });
    }
  }

  return {
    participation: {
      invited: figure(sorted.map(item)),
      submitted: figure(submitted.map(item)),
      reviewed: figure(reviewed.map(item)),
      published: figure(published.map(item)),
      byRegion: regionList.map((region) => ({
        region,
        invited: sorted.filter(inRegion(region)).length,
        submitted: submitted.filter(inRegion(region)).length,
        reviewed: reviewed.filter(inRegion(region)).length,
        published: published.filter(inRegion(region)).length,
      })),
    },
    records: {
      ...recordsByKindAndTheme(records),
      byRegion: RECORD_KINDS.flatMap((kind) =>
        regionList.map((region) => ({
          kind,
          region,
          figure: figure(records.filter((r) => r.kind === kind && r.region === (region?.code ?? null))),
        })),
      ),
    },
  };
}
