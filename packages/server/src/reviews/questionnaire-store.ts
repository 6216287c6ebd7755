/**
 * Saving and reading questionnaires and their versions (migration 008). A version is never
 * changed: saving a questionnaire whose definition differs from its latest version adds a
 * version; saving the same definition again adds nothing. Each new version is one entry of the
 * audit log, in the same transaction.
 */
import { createHash } from 'node:crypto';
import { type Questionnaire, QuestionnaireSchema } from '@marsad/core';
import type { Store } from '@marsad/db';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import { HttpError } from '../http/errors.ts';

export interface VersionSummary {
  id: number;
  questionnaireId: number;
  formId: string;
  number: number;
  title: string;
  formVersion: string;
  checksum: string;
  source: 'xlsform' | 'app';
  fileName: string | null;
  createdAt: string;
}
export interface VersionRecord extends VersionSummary {
  definition: Questionnaire;
}

/** JSON with object keys sorted, so that equal questionnaires have equal checksums whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function definitionChecksum(q: Questionnaire): string {
  return createHash('sha256').update(canonicalJson(q)).digest('hex');
}

/** The one shape stored: the questionnaire as the JSON schema gives it (defaults filled, key order fixed). */
export function normaliseDefinition(q: Questionnaire): Questionnaire {
  return QuestionnaireSchema.parse(JSON.parse(JSON.stringify(q)));
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

interface VersionRow {
  id: number;
  questionnaire_id: number;
  form_id: string;
  number: number;
  title: string;
  form_version: string;
  checksum: string;
  source: 'xlsform' | 'app';
  file_name: string | null;
  created_at: Date | string;
  definition?: Questionnaire | string;
}

function summary(r: VersionRow): VersionSummary {
  return {
    id: r.id,
    questionnaireId: r.questionnaire_id,
    formId: r.form_id,
    number: r.number,
    title: r.title,
    formVersion: r.form_version,
    checksum: r.checksum,
    source: r.source,
    fileName: r.file_name,
    createdAt: iso(r.created_at),
  };
}

function record(r: VersionRow): VersionRecord {
  const def =
    typeof r.definition === 'string' ? (JSON.parse(r.definition) as Questionnaire) : (r.definition as Questionnaire);
  return { ...summary(r), definition: def };
}

const VERSION_COLUMNS = `v.id, v.questionnaire_id, q.form_id, v.number, v.title, v.form_version, v.checksum, v.source, v.file_name, v.created_at`;

export interface SaveResult {
  created: boolean;
  newQuestionnaire: boolean;
  version: VersionSummary;
}

/**
 * Saves a checked questionnaire as a new version of the questionnaire of its form_id.
 * `mode`: 'create' refuses an existing form_id (409); 'update' needs the questionnaire `id`
 * and the same form_id; 'import' creates or adds a version, whichever applies.
 */
export async function saveQuestionnaire(
  store: Store,
  actor: AuditActor,
  definition: Questionnaire,
  options: {
    mode: 'create' | 'import' | 'update';
    questionnaireId?: number;
    source: 'xlsform' | 'app';
    fileName?: string | null;
  },
): Promise<SaveResult> {
  const def = normaliseDefinition(definition);
  const checksum = definitionChecksum(def);
  return store.exclusive(async (conn) => {
    let id: number;
    let newQuestionnaire = false;
    if (options.mode === 'update') {
      const row = (
        await conn.query<{ id: number; form_id: string }>(
          'SELECT id, form_id FROM questionnaires WHERE id = $1 FOR UPDATE',
          [options.questionnaireId],
        )
      ).rows[0];
      if (!row) throw new HttpError(404, 'not_found', `No questionnaire ${options.questionnaireId}.`);
      if (row.form_id !== def.formId)
        throw new HttpError(
          400,
          'bad_request',
          `definition.formId: this questionnaire's form_id is "${row.form_id}", not "${def.formId}" (a new form_id is a new questionnaire).`,
        );
      id = row.id;
    } else {
      const inserted = (
        await conn.query<{ id: number }>(
          'INSERT INTO questionnaires (form_id) VALUES ($1) ON CONFLICT (form_id) DO NOTHING RETURNING id',
          [def.formId],
        )
      ).rows[0];
      if (inserted) {
        id = inserted.id;
        newQuestionnaire = true;
      } else {
        if (options.mode === 'create')
          throw new HttpError(
            409,
            'conflict',
            `definition.formId: a questionnaire with form_id "${def.formId}" exists; change it with PUT /api/v1/questionnaires/:id.`,
          );
        id = (
          await conn.query<{ id: number }>('SELECT id FROM questionnaires WHERE form_id = $1 FOR UPDATE', [def.formId])
        ).rows[0]!.id;
      }
    }
    const latest = (
      await conn.query<VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM questionnaire_versions v JOIN questionnaires q ON q.id = v.questionnaire_id WHERE v.questionnaire_id = $1 ORDER BY v.number DESC LIMIT 1`,
        [id],
      )
    ).rows[0];
    if (latest && latest.checksum === checksum)
      return { created: false, newQuestionnaire: false, version: summary(latest) };
    const number = (latest?.number ?? 0) + 1;
    const row = (
      await conn.query<VersionRow>(
        `INSERT INTO questionnaire_versions (questionnaire_id, number, title, form_version, definition, checksum, source, file_name)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)
       RETURNING id, questionnaire_id, $9::text AS form_id, number, title, form_version, checksum, source, file_name, created_at`,
        [
          id,
          number,
          def.title,
          def.version,
          JSON.stringify(def),
          checksum,
          options.source,
          options.fileName ?? null,
          def.formId,
        ],
      )
    ).rows[0]!;
    await conn.query('UPDATE questionnaires SET updated_at = now() WHERE id = $1', [id]);
    const questions = countQuestions(def);
    await appendAudit(conn, actor, {
      action: options.source === 'xlsform' ? 'import' : newQuestionnaire ? 'create' : 'update',
      entityType: 'questionnaire',
      entityId: def.formId,
      summary: `Questionnaire "${def.formId}" version ${number} (${questions} questions${options.fileName ? `, from ${options.fileName}` : ''})`,
      after: {
        questionnaireId: id,
        versionId: row.id,
        number,
        title: def.title,
        formVersion: def.version,
        checksum,
        source: options.source,
        fileName: options.fileName ?? null,
      },
    });
    return { created: true, newQuestionnaire, version: summary(row) };
  });
}

function countQuestions(q: Questionnaire): number {
  let n = 0;
  const walk = (nodes: Questionnaire['questions']) => {
    for (const x of nodes) {
      n++;
      if ('children' in x) walk(x.children);
    }
  };
  walk(q.questions);
  return n;
}

export async function getVersion(store: Store, versionId: number): Promise<VersionRecord | null> {
  const r = await store.exclusive((conn) =>
    conn.query<VersionRow>(
      `SELECT ${VERSION_COLUMNS}, v.definition FROM questionnaire_versions v JOIN questionnaires q ON q.id = v.questionnaire_id WHERE v.id = $1`,
      [versionId],
    ),
  );
  return r.rows[0] ? record(r.rows[0]) : null;
}

export async function listVersions(store: Store, questionnaireId: number): Promise<VersionSummary[]> {
  const r = await store.exclusive((conn) =>
    conn.query<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM questionnaire_versions v JOIN questionnaires q ON q.id = v.questionnaire_id WHERE v.questionnaire_id = $1 ORDER BY v.number`,
      [questionnaireId],
    ),
  );
  return r.rows.map(summary);
}

export interface QuestionnaireSummary {
  id: number;
  formId: string;
  createdAt: string;
  updatedAt: string;
  versions: number;
  latest: VersionSummary;
}

export async function listQuestionnaires(
  store: Store,
  limit: number,
  offset: number,
): Promise<{ total: number; items: QuestionnaireSummary[] }> {
  return store.exclusive(async (conn) => {
    const total = Number(
      (await conn.query<{ n: string | number }>('SELECT count(*) AS n FROM questionnaires')).rows[0]?.n ?? 0,
    );
    const rows = (
      await conn.query<
        VersionRow & { q_created_at: Date | string; q_updated_at: Date | string; versions: string | number }
      >(
        `SELECT ${VERSION_COLUMNS}, q.created_at AS q_created_at, q.updated_at AS q_updated_at,
              (SELECT count(*) FROM questionnaire_versions c WHERE c.questionnaire_id = q.id) AS versions
       FROM questionnaires q
       JOIN LATERAL (SELECT * FROM questionnaire_versions x WHERE x.questionnaire_id = q.id ORDER BY x.number DESC LIMIT 1) v ON true
       ORDER BY q.form_id LIMIT $1 OFFSET $2`,
        [limit, offset],
      )
    ).rows;
    return {
      total,
      items: rows.map((r) => ({
        id: r.questionnaire_id,
        formId: r.form_id,
        createdAt: iso(r.q_created_at),
        updatedAt: iso(r.q_updated_at),
        versions: Number(r.versions),
        latest: summary(r),
      })),
    };
  });
}

export async function getQuestionnaire(
  store: Store,
  id: number,
): Promise<{
  id: number;
  formId: string;
  createdAt: string;
  updatedAt: string;
  versions: VersionSummary[];
  latest: VersionRecord;
} | null> {
  const q = await store.db.selectFrom('questionnaires').selectAll().where('id', '=', id).executeTakeFirst();
  if (!q) return null;
  const versions = await listVersions(store, id);
  const latest = await getVersion(store, versions[versions.length - 1]!.id);
  return {
    id: q.id,
    formId: q.form_id,
    createdAt: iso(q.created_at),
    updatedAt: iso(q.updated_at),
    versions,
    latest: latest!,
  };
}
