import type { SqlConn, Store } from '../connection/store.ts';
import { listMigrations } from '../migrations/migrate.ts';
import {
  BACKUP_FORMAT,
  type BackupEvent,
  BackupFormatError,
  type BackupHeader,
  type BackupSection,
  type BackupTrailer,
  readBackup,
  sha256,
} from './backup-reader.ts';

export * from './backup-file.ts';
export * from './backup-reader.ts';

/**
 * Backups are plain text: a header line, then for each table a line naming the table and its
 * columns, its rows in PostgreSQL's COPY text format (one row a line) and a line `\.`, then a
 * closing line with every table's row count and checksum (backup-reader.ts describes the
 * format). The same file restores into PGlite or a PostgreSQL server of the same schema
 * version; it is written and read as a stream, and checked whole before a restore commits.
 */

/** Tables in an order that satisfies their foreign keys. */
export const BACKUP_TABLES = [
  'settings',
  'sources',
  'import_batches',
  'frameworks',
  'framework_groups',
  'sdg_goals',
  'sdg_targets',
  'places',
  // Levels as each country names them and the shapes of places (migration 018), both referring to places.
  'place_levels',
  'place_boundaries',
  'dimensions',
  'dimension_values',
  'disaggregations',
  'indicators',
  'indicator_frameworks',
  'series',
  // Indicator metadata from Open SDG repositories (migration 017).
  'indicator_metadata',
  'targets',
  'observations',
  'observation_history',
  // The steps of the approval workflow, with who and why (migration 030).
  'observation_events',
  'audit_log',
  // Accounts (password, link and token hashes only; sessions are not kept: after a restore everyone signs in again).
  'users',
  'user_tokens',
  'api_tokens',
  'role_assignments',
  'record_grants',
  // Questionnaires of reviews and their versions (migration 008).
  'questionnaires',
  'questionnaire_versions',
  // Knowledge repository and network (migration 007): items, their texts, versions and files; pilots of tools;
  // partner organisations, coordination centres, workshops.
  'knowledge_items',
  'knowledge_item_texts',
  'knowledge_item_versions',
  'knowledge_attachments',
  'tool_pilots',
  'partner_organisations',
  'coordination_centres',
  'workshops',
  'workshop_materials',
  // Results frameworks (migration 011). programme_partners refers to partner_organisations (migration 007): keep the
  // network's tables before it in this list.
  'programmes',
  'programme_pillars',
  'programme_places',
  'results',
  'result_places',
  'result_pillars',
  'programme_partners',
  'result_measures',
  'result_measure_places',
  'result_targets',
  'result_actuals',
  'budget_lines',
  'exchange_rates',
  // Review cycles (migration 013): cycles, participants, submissions and their rounds, assignments, recommendations,
  // comments, timeline events (the record grants of assignments are in record_grants above).
  'review_cycles',
  'review_participants',
  'review_submissions',
  'review_submission_rounds',
  'review_assignments',
  'review_recommendations',
  'review_comments',
  'review_events',
  // Saved import mappings (migration 019), referring to places and users.
  'saved_mappings',
  // SDMX data structures, code lists and content constraints loaded by an administrator (migration 029).
  'sdmx_codelists',
  'sdmx_codes',
  'sdmx_structures',
  'sdmx_components',
  'sdmx_constraints',
  // The Urban Safety Monitor's framework versions and cities' self-assessments (migration 032).
  'safety_framework_versions',
  'safety_assessments',
  // The answers kept for the changes devices sent when back online (migration 033), so that a retry after a restore
  // is still answered once.
  'offline_sync_changes',
] as const;

/** Tables whose id comes from a sequence, to move past the restored ids. */
export const BACKUP_SEQUENCES: Record<string, string> = {
  sources: 'sources_id_seq',
  sdmx_codelists: 'sdmx_codelists_id_seq',
  sdmx_structures: 'sdmx_structures_id_seq',
  import_batches: 'import_batches_id_seq',
  frameworks: 'frameworks_id_seq',
  framework_groups: 'framework_groups_id_seq',
  places: 'places_id_seq',
  dimensions: 'dimensions_id_seq',
  dimension_values: 'dimension_values_id_seq',
  disaggregations: 'disaggregations_id_seq',
  indicators: 'indicators_id_seq',
  series: 'series_id_seq',
  indicator_metadata: 'indicator_metadata_id_seq',
  targets: 'targets_id_seq',
  observation_events: 'observation_events_id_seq',
  audit_log: 'audit_log_id_seq',
  users: 'users_id_seq',
  user_tokens: 'user_tokens_id_seq',
  api_tokens: 'api_tokens_id_seq',
  role_assignments: 'role_assignments_id_seq',
  record_grants: 'record_grants_id_seq',
  questionnaires: 'questionnaires_id_seq',
  questionnaire_versions: 'questionnaire_versions_id_seq',
  programmes: 'programmes_id_seq',
  programme_pillars: 'programme_pillars_id_seq',
  results: 'results_id_seq',
  knowledge_items: 'knowledge_items_id_seq',
  knowledge_attachments: 'knowledge_attachments_id_seq',
  tool_pilots: 'tool_pilots_id_seq',
  partner_organisations: 'partner_organisations_id_seq',
  coordination_centres: 'coordination_centres_id_seq',
  workshops: 'workshops_id_seq',
  programme_partners: 'programme_partners_id_seq',
  result_measures: 'result_measures_id_seq',
  budget_lines: 'budget_lines_id_seq',
  review_cycles: 'review_cycles_id_seq',
  review_submissions: 'review_submissions_id_seq',
  review_assignments: 'review_assignments_id_seq',
  review_comments: 'review_comments_id_seq',
  review_events: 'review_events_id_seq',
  saved_mappings: 'saved_mappings_id_seq',
  safety_framework_versions: 'safety_framework_versions_id_seq',
  safety_assessments: 'safety_assessments_id_seq',
};

/** The schema version of this Marsad: the number of its last migration. */
async function schemaVersion(): Promise<number> {
  const m = await listMigrations();
  return m[m.length - 1]?.version ?? 0;
}

async function countTables(conn: SqlConn): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of BACKUP_TABLES) {
    counts[t] = (await conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n;
  }
  return counts;
}

export function tableCounts(store: Store): Promise<Record<string, number>> {
  return store.exclusive(countTables);
}

async function columnsOf(conn: SqlConn, table: string): Promise<string[]> {
  const r = await conn.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1
     ORDER BY ordinal_position`,
    [table],
  );
  return r.rows.map((c) => c.column_name);
}

const SECTION_END = Symbol('section end');
type DumpItem = { table: string; columns: string[] } | string | typeof SECTION_END;

/**
 * A bounded queue from the transaction that reads the tables to the generator that yields them (a generator cannot
 * yield from inside the transaction's callback). Once the reader is gone (`cancel`), items are dropped, so that a COPY
 * under way still runs to its end before the transaction is rolled back.
 */
class DumpQueue {
  private items: DumpItem[] = [];
  private wakeTaker: (() => void) | undefined;
  private wakePutter: (() => void) | undefined;
  private done = false;
  private failure: unknown;
  cancelled = false;

  constructor(private readonly limit: number) {}

  async put(item: DumpItem): Promise<void> {
    while (this.items.length >= this.limit && !this.cancelled) {
      await new Promise<void>((resolve) => {
        this.wakePutter = resolve;
      });
    }
    if (this.cancelled) return;
    this.items.push(item);
    this.wakeTaker?.();
  }

  /** No more items; `failure` if the transaction failed. */
  end(failure?: unknown): void {
    this.done = true;
    this.failure = failure;
    this.wakeTaker?.();
  }

  cancel(): void {
    this.cancelled = true;
    this.items = [];
    this.wakePutter?.();
  }

  async take(): Promise<DumpItem | undefined> {
    for (;;) {
      if (this.items.length) {
        const item = this.items.shift();
        this.wakePutter?.();
        return item;
      }
      if (this.done) {
        if (this.failure) throw this.failure;
        return undefined;
      }
      await new Promise<void>((resolve) => {
        this.wakeTaker = resolve;
      });
    }
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export interface DumpOptions {
  /** Called as the reader of the dump asks for what follows a table's section (a file has it written by then). */
  onSection?: (table: string, rows: number) => void;
}

/**
 * Streams a backup of the whole database. Every table is read in one transaction (on PostgreSQL REPEATABLE READ, so
 * all tables come from one snapshot even while a server writes), and at most a few chunks wait in memory for the
 * reader (on PGlite a COPY hands over a whole table at once).
 */
export async function* dumpDatabase(store: Store, options: DumpOptions = {}): AsyncGenerator<string> {
  const queue = new DumpQueue(16);
  const reading = store
    .exclusive(async (conn) => {
      if (store.kind === 'postgres') await conn.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      for (const table of BACKUP_TABLES) {
        const columns = await columnsOf(conn, table);
        await queue.put({ table, columns });
        for await (const chunk of conn.copyOut(`COPY ${table} (${columns.join(', ')}) TO STDOUT`))
          await queue.put(chunk);
        await queue.put(SECTION_END);
        if (queue.cancelled) throw new Error('The backup was abandoned.');
      }
    })
    .then(
      () => queue.end(),
      (err: unknown) => queue.end(err),
    );
  try {
    const header: BackupHeader = {
      marsad: 'backup',
      format: BACKUP_FORMAT,
      schemaVersion: await schemaVersion(),
      createdAt: new Date().toISOString(),
      source: store.kind,
    };
    const headerLine = `${JSON.stringify(header)}\n`;
    yield headerLine;
    const sections: BackupSection[] = [];
    let section = { table: '', rows: 0, hash: sha256() };
    for (let item = await queue.take(); item !== undefined; item = await queue.take()) {
      if (typeof item === 'string') {
        section.hash.update(item);
        section.rows += countLines(item);
        yield item;
      } else if (item === SECTION_END) {
        section.hash.update('\\.\n');
        sections.push({ table: section.table, rows: section.rows, sha256: section.hash.digest('hex') });
        yield '\\.\n';
        options.onSection?.(section.table, section.rows);
      } else {
        const line = `${JSON.stringify(item)}\n`;
        section = { table: item.table, rows: 0, hash: sha256().update(line) };
        yield line;
      }
    }
    const trailer: BackupTrailer = {
      marsad: 'backup-end',
      header: sha256().update(headerLine).digest('hex'),
      sections,
    };
    yield `${JSON.stringify(trailer)}\n`;
  } finally {
    queue.cancel();
    await reading;
  }
}

function expected() {
  return schemaVersion().then((v) => ({ schemaVersion: v, tables: BACKUP_TABLES }));
}

/**
 * Reads a whole backup and checks it (header, schema version, every table's rows and checksum, the closing line)
 * without touching any database; throws BackupFormatError naming what is wrong. Keeps one line in memory at a time.
 */
export async function verifyBackup(
  input: AsyncIterable<string | Uint8Array>,
): Promise<{ header: BackupHeader; trailer: BackupTrailer }> {
  let header: BackupHeader | undefined;
  for await (const e of readBackup(input, await expected())) {
    if (e.kind === 'header') header = e.header;
    else if (e.kind === 'end') return { header: header!, trailer: e.trailer };
  }
  throw new BackupFormatError('The backup ended without its closing line.');
}

/** The rows of the section under way, in chunks of whole lines (PGlite copies each chunk it gathers by itself). */
async function* sectionRows(events: AsyncIterator<BackupEvent>): AsyncGenerator<string> {
  let parts: Buffer[] = [];
  let size = 0;
  for (;;) {
    const e = await events.next();
    if (e.done) throw new BackupFormatError('The backup ends inside a table.');
    if (e.value.kind === 'section-end') break;
    if (e.value.kind !== 'rows') continue;
    parts.push(e.value.data);
    size += e.value.data.length;
    if (size >= 1 << 20) {
      yield Buffer.concat(parts, size).toString('utf8');
      parts = [];
      size = 0;
    }
  }
  if (size) yield Buffer.concat(parts, size).toString('utf8');
}

export interface RestoreOptions {
  /** Runs inside the restore's transaction once everything is loaded and checked (an audit entry, say). */
  onRestored?: (conn: SqlConn, counts: Record<string, number>) => Promise<void>;
}

/**
 * Restores a backup into a database of the same schema version, replacing everything in it, in one transaction:
 * TRUNCATE, then COPY of every table as the backup streams in, checked as it comes (rows and checksum of every table,
 * the closing line) and then against the tables' counts, all before COMMIT. A backup found wrong anywhere rolls the
 * transaction back and leaves the database as it was. Returns the row counts of the backup.
 *
 * A file can be read twice: `verifyBackup` first, to refuse a damaged file before the database is even opened for
 * writing; a stream read once (`copy-to`) is checked by this pass alone, inside the transaction.
 */
export async function restoreDatabase(
  store: Store,
  input: AsyncIterable<string | Uint8Array>,
  options: RestoreOptions = {},
): Promise<Record<string, number>> {
  const events = readBackup(input, await expected())[Symbol.asyncIterator]();
  try {
    // The header first: a file that is no backup of this schema is refused before the transaction begins.
    const first = await events.next();
    if (first.done || first.value.kind !== 'header') throw new BackupFormatError('The backup has no header.');
    return await store.exclusive(async (conn) => {
      // The audit log's triggers allow this one TRUNCATE: a whole backup replaces the database.
      await conn.query("SELECT set_config('marsad.restoring', 'on', true)");
      await conn.exec(`TRUNCATE ${[...BACKUP_TABLES].reverse().join(', ')} CASCADE`);
      await conn.query("SELECT set_config('marsad.restoring', 'off', true)");
      let trailer: BackupTrailer | undefined;
      for (let e = await events.next(); !e.done; e = await events.next()) {
        if (e.value.kind === 'section') {
          const { table, columns } = e.value;
          await conn.copyIn(`COPY ${table} (${columns.join(', ')}) FROM STDIN`, sectionRows(events));
        } else if (e.value.kind === 'end') trailer = e.value.trailer;
      }
      if (!trailer) throw new BackupFormatError('The backup ended without its closing line.');
      const counts = Object.fromEntries(trailer.sections.map((s) => [s.table, s.rows]));
      const actual = await countTables(conn);
      const wrong = BACKUP_TABLES.filter((t) => actual[t] !== counts[t]);
      if (wrong.length) {
        throw new Error(
          `After loading, the tables hold other counts than the backup: ${wrong.map((t) => `${t} ${actual[t]} instead of ${counts[t]}`).join(', ')}.`,
        );
      }
      for (const [table, seq] of Object.entries(BACKUP_SEQUENCES)) {
        // Past the largest id restored; with none above 0 (an empty table; disaggregations holds id 0), back to 1.
        await conn.query(`SELECT setval('${seq}', GREATEST(max(id), 1), coalesce(max(id), 0) >= 1) FROM ${table}`);
      }
      await options.onRestored?.(conn, counts);
      return counts;
    });
  } finally {
    await events.return?.(undefined);
  }
}
