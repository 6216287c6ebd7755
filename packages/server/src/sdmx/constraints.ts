/**
 * Content constraints of the global SDG data structure as the IAEG-SDGs publish them
 * (`sdmx_global_content_constraints.csv`): one row per series, a column per component (UNIT_MEASURE, UNIT_MULT, SEX,
 * AGE, …) giving the codes the series allows, separated by ";", or `ALL` for any code of the component's list.
 * Read all first (every problem named by line and column), then written in one transaction, replacing the structure's
 * constraints, audited.
 */
import type { Store } from '@marsad/db';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import { readCsvRows } from '../formats/common/csv-rows.ts';
import { InputFormatError } from '../formats/common/text.ts';

export interface SeriesConstraint {
  series: string;
  /** Component id → allowed codes; null = any code of the component's list. */
  components: Map<string, string[] | null>;
}

export interface ConstraintProblem {
  line: number;
  column?: string;
  message: string;
}

export class ConstraintsError extends Error {
  constructor(readonly problems: ConstraintProblem[]) {
    super(
      `the constraints file has ${problems.length} problem(s): ${problems
        .slice(0, 5)
        .map((p) => `line ${p.line}${p.column ? `, ${p.column}` : ''}: ${p.message}`)
        .join('; ')}`,
    );
  }
}

const CODE = /^[A-Za-z0-9_@$\-.]+$/;
const MAX_ROWS = 100_000;

/** Reads a constraints CSV (header SERIES, then component columns; a Name column is ignored). */
export async function readConstraintsCsv(input: AsyncIterable<Uint8Array | string>): Promise<SeriesConstraint[]> {
  const problems: ConstraintProblem[] = [];
  const out: SeriesConstraint[] = [];
  const seen = new Set<string>();
  let header: string[] | undefined;
  try {
    for await (const rows of readCsvRows(input)) {
      for (const row of rows) {
        if (row.kind === 'error') {
          problems.push({ line: row.line, message: row.message });
          continue;
        }
        if (!header) {
          header = row.cells.map((c) => c.trim());
          if (header[0]?.toUpperCase() !== 'SERIES')
            throw new ConstraintsError([
              { line: row.line, message: `the first column must be SERIES, not "${(header[0] ?? '').slice(0, 50)}"` },
            ]);
          continue;
        }
        if (row.cells.every((c) => c.trim() === '')) continue;
        if (out.length >= MAX_ROWS)
          throw new ConstraintsError([{ line: row.line, message: `more than ${MAX_ROWS} rows` }]);
        const series = (row.cells[0] ?? '').trim();
        if (!CODE.test(series)) {
          problems.push({ line: row.line, column: 'SERIES', message: `"${series.slice(0, 50)}" is not a series code` });
          continue;
        }
        if (seen.has(series)) {
          problems.push({ line: row.line, column: 'SERIES', message: `series ${series} is given twice` });
          continue;
        }
        seen.add(series);
        const components = new Map<string, string[] | null>();
        header.forEach((col, i) => {
          if (i === 0 || !col || /^name$/i.test(col)) return;
          const cell = (row.cells[i] ?? '').trim();
          if (cell === '') return;
          if (cell.toUpperCase() === 'ALL') {
            components.set(col, null);
            return;
          }
          const codes = cell
            .split(';')
            .map((c) => c.trim())
            .filter(Boolean);
          const bad = codes.find((c) => !CODE.test(c));
          if (bad) problems.push({ line: row.line, column: col, message: `"${bad.slice(0, 50)}" is not a code` });
          else components.set(col, [...new Set(codes)]);
        });
        out.push({ series, components });
      }
    }
  } catch (err) {
    if (err instanceof InputFormatError) throw new ConstraintsError([{ line: 0, message: err.message }]);
    throw err;
  }
  if (!header) throw new ConstraintsError([{ line: 1, message: 'the file is empty' }]);
  if (problems.length) throw new ConstraintsError(problems);
  if (!out.length) throw new ConstraintsError([{ line: 2, message: 'the file has no series' }]);
  return out;
}

/** The id of a loaded structure `AGENCY:ID(VERSION)`, or of the latest version of AGENCY:ID when no version is given. */
export async function findStructure(
  store: Store,
  ref: string,
): Promise<{ id: number; agency: string; code: string; version: string } | undefined> {
  const m = /^([^:()]+):([^:()]+)(?:\(([^()]+)\))?$/.exec(ref.trim());
  if (!m) return undefined;
  const rows = await store.db
    .selectFrom('sdmx_structures')
    .select(['id', 'agency', 'code', 'version', 'loaded_at'])
    .where('agency', '=', m[1] as string)
    .where('code', '=', m[2] as string)
    .execute();
  const wanted = m[3];
  if (wanted) return rows.find((r) => r.version === wanted);
  const byVersion = (v: string) => v.split('.').map((n) => Number(n) || 0);
  return rows.sort((a, b) => {
    const x = byVersion(a.version);
    const y = byVersion(b.version);
    for (let i = 0; i < Math.max(x.length, y.length); i++)
      if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0);
    return 0;
  })[0];
}

export interface ConstraintsLoadReport {
  structure: string;
  series: number;
  rules: number;
  /** Columns that are not components of the structure (kept, but not checked). */
  unknownComponents: string[];
}

/** Replaces the constraints of a structure. */
export async function loadConstraints(
  store: Store,
  structure: { id: number; agency: string; code: string; version: string },
  constraints: SeriesConstraint[],
  actor: AuditActor,
  source: string,
): Promise<ConstraintsLoadReport> {
  const ref = `${structure.agency}:${structure.code}(${structure.version})`;
  const components = new Set(
    (
      await store.db
        .selectFrom('sdmx_components')
        .select('component')
        .where('structure_id', '=', structure.id)
        .execute()
    ).map((c) => c.component),
  );
  const unknown = new Set<string>();
  const rows = constraints.flatMap((c) =>
    [...c.components].map(([component, codes]) => {
      if (!components.has(component)) unknown.add(component);
      return { series: c.series, component, codes };
    }),
  );
  return store.exclusive(async (conn) => {
    await conn.query('DELETE FROM sdmx_constraints WHERE structure_id = $1', [structure.id]);
    for (let i = 0; i < rows.length; i += 2_000)
      await conn.query(
        `INSERT INTO sdmx_constraints (structure_id, series, component, codes)
         SELECT $1, x.series, x.component, x.codes FROM jsonb_to_recordset($2::jsonb) AS x(series text, component text, codes jsonb)`,
        [structure.id, JSON.stringify(rows.slice(i, i + 2_000))],
      );
    const report = { structure: ref, series: constraints.length, rules: rows.length, unknownComponents: [...unknown] };
    await appendAudit(conn, actor, {
      action: 'load',
      entityType: 'sdmx_constraints',
      entityId: ref,
      summary: `Content constraints of ${ref} from ${source}: ${constraints.length} series`,
      after: report,
    });
    return report;
  });
}
