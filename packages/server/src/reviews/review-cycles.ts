/**
 * Review cycles and their participants (administrators write; every change audited). A
 * participant (a country or a city) gets its submission, in draft, when it is invited.
 */
import type { SqlConn, Store } from '@marsad/db';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import { HttpError } from '../http/errors.ts';
import { type CycleKind, fromJson, iso } from './review-records.ts';

export interface CycleInput {
  kind: CycleKind;
  titles: Record<string, string>;
  descriptions?: Record<string, string>;
  startsOn: string;
  endsOn?: string;
  questionnaireVersionId: number;
  participants?: string[];
}

export interface ParticipantView {
  place: { code: string; level: string; names: Record<string, string>; countryCode: string };
  invitedAt: string;
  submission: { id: number; state: string; round: number; submittedAt: string | null; publishedAt: string | null };
}

export interface CycleView {
  id: number;
  kind: CycleKind;
  titles: Record<string, string>;
  descriptions: Record<string, string>;
  startsOn: string;
  endsOn: string;
  demo: boolean;
  questionnaire: { versionId: number; questionnaireId: number; formId: string; number: number; title: string };
  participants: ParticipantView[];
  createdAt: string;
  updatedAt: string;
}

/**
 * The default end of a cycle: a safer-cities peer review lasts four years (seed 000 §2: from one
 * session of the Assembly to the next), so the day before the same date four years later.
 */
export function defaultEndsOn(kind: CycleKind, startsOn: string): string | null {
  if (kind !== 'safer-cities-peer-review') return null;
  const [y, m, d] = startsOn.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y + 4, m - 1, d));
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

interface RawCycle {
  id: number;
  kind: CycleKind;
  titles: unknown;
  descriptions: unknown;
  starts_on: string;
  ends_on: string;
  demo: boolean;
  questionnaire_version_id: number;
  questionnaire_id: number;
  form_id: string;
  number: number;
  title: string;
  created_at: Date | string;
  updated_at: Date | string;
}

const CYCLE_SELECT = `SELECT c.id, c.kind, c.titles, c.descriptions, c.starts_on::text AS starts_on, c.ends_on::text AS ends_on, c.demo,
    c.questionnaire_version_id, v.questionnaire_id, q.form_id, v.number, v.title, c.created_at, c.updated_at
  FROM review_cycles c JOIN questionnaire_versions v ON v.id = c.questionnaire_version_id JOIN questionnaires q ON q.id = v.questionnaire_id`;

async function participantsOf(conn: SqlConn, cycleIds: number[]): Promise<Map<number, ParticipantView[]>> {
  const rows = (
    await conn.query<{
      cycle_id: number;
      code: string;
      level: string;
      names: unknown;
      country_code: string;
      invited_at: Date | string;
      id: number;
      state: string;
      round: number;
      submitted_at: Date | string | null;
      published_at: Date | string | null;
    }>(
      `SELECT rp.cycle_id, p.code, p.level, p.names, cp.code AS country_code, rp.invited_at, s.id, s.state, s.round, s.submitted_at, s.published_at
        FROM review_participants rp JOIN places p ON p.id = rp.place_id JOIN places cp ON cp.id = split_part(p.path, '/', 2)::int
        JOIN review_submissions s ON s.cycle_id = rp.cycle_id AND s.place_id = rp.place_id
       WHERE rp.cycle_id = ANY($1::int[]) ORDER BY p.code`,
      [cycleIds],
    )
  ).rows;
  const out = new Map<number, ParticipantView[]>();
  for (const r of rows) {
    const list = out.get(r.cycle_id) ?? [];
    list.push({
      place: { code: r.code, level: r.level, names: fromJson(r.names), countryCode: r.country_code },
      invitedAt: iso(r.invited_at)!,
      submission: {
        id: r.id,
        state: r.state,
        round: r.round,
        submittedAt: iso(r.submitted_at),
        publishedAt: iso(r.published_at),
      },
    });
    out.set(r.cycle_id, list);
  }
  return out;
}

function cycleView(r: RawCycle, participants: ParticipantView[]): CycleView {
  return {
    id: r.id,
    kind: r.kind,
    titles: fromJson(r.titles),
    descriptions: fromJson(r.descriptions),
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    demo: r.demo,
    questionnaire: {
      versionId: r.questionnaire_version_id,
      questionnaireId: r.questionnaire_id,
      formId: r.form_id,
      number: r.number,
      title: r.title,
    },
    participants,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

export async function getCycle(conn: SqlConn, id: number): Promise<CycleView> {
  const r = (await conn.query<RawCycle>(`${CYCLE_SELECT} WHERE c.id = $1`, [id])).rows[0];
  if (!r) throw new HttpError(404, 'not_found', `No review cycle ${id}.`);
  return cycleView(r, (await participantsOf(conn, [id])).get(id) ?? []);
}

export async function listCycles(
  store: Store,
  limit: number,
  offset: number,
): Promise<{ total: number; items: CycleView[] }> {
  return store.exclusive(async (conn) => {
    const total = (await conn.query<{ n: number }>('SELECT count(*)::int AS n FROM review_cycles')).rows[0]!.n;
    const rows = (
      await conn.query<RawCycle>(`${CYCLE_SELECT} ORDER BY c.starts_on DESC, c.id DESC LIMIT $1 OFFSET $2`, [
        limit,
        offset,
      ])
    ).rows;
    const parts = await participantsOf(
      conn,
      rows.map((r) => r.id),
    );
    return { total, items: rows.map((r) => cycleView(r, parts.get(r.id) ?? [])) };
  });
}

async function requireVersion(conn: SqlConn, versionId: number): Promise<void> {
  const v = (await conn.query('SELECT id FROM questionnaire_versions WHERE id = $1', [versionId])).rows[0];
  if (!v) throw new HttpError(400, 'bad_request', `questionnaireVersionId: no questionnaire version ${versionId}.`);
}

function checkDates(startsOn: string, endsOn: string): void {
  if (endsOn <= startsOn)
    throw new HttpError(400, 'bad_request', `endsOn: the cycle must end after it starts (${startsOn}).`);
}

/** Adds participants (countries or cities) with their draft submissions; codes already invited are left as they are. */
export async function addParticipants(
  conn: SqlConn,
  actor: AuditActor,
  cycleId: number,
  codes: string[],
): Promise<string[]> {
  const unique = [...new Set(codes)];
  const places = (
    await conn.query<{ id: number; code: string; level: string }>(
      'SELECT id, code, level FROM places WHERE code = ANY($1::text[])',
      [unique],
    )
  ).rows;
  const missing = unique.filter((c) => !places.some((p) => p.code === c));
  if (missing.length) throw new HttpError(400, 'bad_request', `participants: no place ${missing.join(', ')}.`);
  const wrong = places.filter((p) => p.level !== 'country' && p.level !== 'city');
  if (wrong.length)
    throw new HttpError(
      400,
      'bad_request',
      `participants: a cycle invites countries or cities; ${wrong.map((p) => `${p.code} is a ${p.level}`).join(', ')}.`,
    );
  const added: string[] = [];
  for (const p of places.sort((a, b) => a.code.localeCompare(b.code))) {
    const ins = (
      await conn.query(
        'INSERT INTO review_participants (cycle_id, place_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING place_id',
        [cycleId, p.id],
      )
    ).rows[0];
    if (!ins) continue;
    const sub = (
      await conn.query<{ id: number }>(
        'INSERT INTO review_submissions (cycle_id, place_id) VALUES ($1, $2) RETURNING id',
        [cycleId, p.id],
      )
    ).rows[0]!;
    await conn.query(
      `INSERT INTO review_events (submission_id, kind, to_state, actor_user_id, actor_role) VALUES ($1, 'invited', 'draft', $2, 'administrator')`,
      [sub.id, actor.userId],
    );
    added.push(p.code);
  }
  if (added.length) {
    await appendAudit(conn, actor, {
      action: 'create',
      entityType: 'review-participant',
      entityId: cycleId,
      summary: `Invited to review cycle ${cycleId}: ${added.join(', ')}`,
      after: { cycleId, places: added },
    });
  }
  return added;
}

export async function createCycle(
  store: Store,
  actor: AuditActor,
  input: CycleInput,
  options: { demo?: boolean } = {},
): Promise<CycleView> {
  const endsOn = input.endsOn ?? defaultEndsOn(input.kind, input.startsOn);
  if (!endsOn)
    throw new HttpError(
      400,
      'bad_request',
      'endsOn: give the end date (only a safer-cities peer review has a default: four years).',
    );
  checkDates(input.startsOn, endsOn);
  return store.exclusive(async (conn) => {
    await requireVersion(conn, input.questionnaireVersionId);
    const row = (
      await conn.query<{ id: number }>(
        `INSERT INTO review_cycles (kind, titles, descriptions, starts_on, ends_on, questionnaire_version_id, demo, created_by)
       VALUES ($1, $2::jsonb, $3::jsonb, $4, $5, $6, $7, $8) RETURNING id`,
        [
          input.kind,
          JSON.stringify(input.titles),
          JSON.stringify(input.descriptions ?? {}),
          input.startsOn,
          endsOn,
          input.questionnaireVersionId,
          options.demo ?? false,
          actor.userId,
        ],
      )
    ).rows[0]!;
    await appendAudit(conn, actor, {
      action: 'create',
      entityType: 'review-cycle',
      entityId: row.id,
      summary: `Review cycle ${row.id} (${input.kind}, ${input.startsOn} to ${endsOn})`,
      after: { ...input, endsOn, participants: undefined, demo: options.demo ?? false },
    });
    if (input.participants?.length) await addParticipants(conn, actor, row.id, input.participants);
    return getCycle(conn, row.id);
  });
}

export interface CyclePatch {
  titles?: Record<string, string>;
  descriptions?: Record<string, string>;
  startsOn?: string;
  endsOn?: string;
  questionnaireVersionId?: number;
}

export async function updateCycle(store: Store, actor: AuditActor, id: number, patch: CyclePatch): Promise<CycleView> {
  return store.exclusive(async (conn) => {
    const before = await getCycle(conn, id);
    const startsOn = patch.startsOn ?? before.startsOn;
    const endsOn = patch.endsOn ?? before.endsOn;
    checkDates(startsOn, endsOn);
    if (patch.questionnaireVersionId !== undefined && patch.questionnaireVersionId !== before.questionnaire.versionId) {
      await requireVersion(conn, patch.questionnaireVersionId);
      const answered = (
        await conn.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM review_submissions WHERE cycle_id = $1 AND (round > 0 OR answers <> '{}'::jsonb)`,
          [id],
        )
      ).rows[0]!.n;
      if (answered)
        throw new HttpError(
          409,
          'conflict',
          `questionnaireVersionId: ${answered} submission(s) of this cycle already hold answers to version ${before.questionnaire.versionId}; the questionnaire can no longer change.`,
        );
    }
    await conn.query(
      `UPDATE review_cycles SET titles = $2::jsonb, descriptions = $3::jsonb, starts_on = $4, ends_on = $5, questionnaire_version_id = $6, updated_at = now() WHERE id = $1`,
      [
        id,
        JSON.stringify(patch.titles ?? before.titles),
        JSON.stringify(patch.descriptions ?? before.descriptions),
        startsOn,
        endsOn,
        patch.questionnaireVersionId ?? before.questionnaire.versionId,
      ],
    );
    const after = await getCycle(conn, id);
    await appendAudit(conn, actor, {
      action: 'update',
      entityType: 'review-cycle',
      entityId: id,
      summary: `Review cycle ${id} changed`,
      before: {
        titles: before.titles,
        descriptions: before.descriptions,
        startsOn: before.startsOn,
        endsOn: before.endsOn,
        questionnaireVersionId: before.questionnaire.versionId,
      },
      after: {
        titles: after.titles,
        descriptions: after.descriptions,
        startsOn: after.startsOn,
        endsOn: after.endsOn,
        questionnaireVersionId: after.questionnaire.versionId,
      },
    });
    return after;
  });
}

/** Deletes a cycle that nobody has submitted to yet. */
export async function deleteCycle(store: Store, actor: AuditActor, id: number): Promise<void> {
  await store.exclusive(async (conn) => {
    const before = await getCycle(conn, id);
    const submitted = before.participants.filter((p) => p.submission.round > 0);
    if (submitted.length)
      throw new HttpError(
        409,
        'conflict',
        `Review cycle ${id} cannot be deleted: ${submitted.map((p) => p.place.code).join(', ')} submitted to it.`,
      );
    await conn.query('DELETE FROM review_cycles WHERE id = $1', [id]);
    await appendAudit(conn, actor, {
      action: 'delete',
      entityType: 'review-cycle',
      entityId: id,
      summary: `Review cycle ${id} deleted`,
      before,
    });
  });
}

/** Removes a participant whose submission was never submitted (its draft goes with it). */
export async function removeParticipant(store: Store, actor: AuditActor, cycleId: number, code: string): Promise<void> {
  await store.exclusive(async (conn) => {
    const r = (
      await conn.query<{ place_id: number; round: number; answers: unknown }>(
        `SELECT rp.place_id, s.round, s.answers FROM review_participants rp JOIN places p ON p.id = rp.place_id
         JOIN review_submissions s ON s.cycle_id = rp.cycle_id AND s.place_id = rp.place_id WHERE rp.cycle_id = $1 AND p.code = $2`,
        [cycleId, code],
      )
    ).rows[0];
    if (!r) throw new HttpError(404, 'not_found', `${code} is not a participant of review cycle ${cycleId}.`);
    if (r.round > 0)
      throw new HttpError(409, 'conflict', `${code} has submitted to review cycle ${cycleId}; its submission stays.`);
    await conn.query('DELETE FROM review_participants WHERE cycle_id = $1 AND place_id = $2', [cycleId, r.place_id]);
    await appendAudit(conn, actor, {
      action: 'delete',
      entityType: 'review-participant',
      entityId: cycleId,
      summary: `${code} removed from review cycle ${cycleId}`,
      before: { place: code, answers: fromJson(r.answers) },
    });
  });
}
