/**
 * Writes what a structure message holds (structure-read.ts) in one transaction, audited: its code lists and codes
 * (`sdmx_codelists`, `sdmx_codes`, replaced when loaded again), its data structures with their components in order
 * (`sdmx_structures`, `sdmx_components`), and, for each breakdown dimension of a structure (a component that is not a
 * Marsad field such as REF_AREA or SERIES: formats/common/sdmx.ts), a Marsad dimension of the same code with the
 * codes of its list as values (`dimensions`, `dimension_values`). Labels Marsad already has for a dimension or a
 * value are kept (they are curated in six languages); the languages they lack are taken from the message. The codes
 * meaning "no breakdown" (`_T`, `_Z`) are Marsad's total and are not added as values.
 */
import type { SqlConn, Store } from '@marsad/db';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import { sdmxRole } from '../formats/common/sdmx.ts';
import { SDMX_NO_BREAKDOWN } from '../formats/common/values.ts';
import { refText, type SdmxRef, StructureFormatError, type StructureMessage } from './structure-read.ts';

export interface StructureLoadReport {
  codelists: { ref: string; codes: number }[];
  structures: {
    ref: string;
    dimensions: string[];
    attributes: { id: string; mandatory: boolean; attachment: string | null; codelist: string | null }[];
  }[];
  dimensions: { code: string; created: boolean; valuesAdded: number; valuesKept: number }[];
}

const CHUNK = 2_000;
const key = (r: SdmxRef) => `${r.agency}\u0000${r.id}\u0000${r.version}`;

async function codelistIds(conn: SqlConn): Promise<Map<string, number>> {
  const rows = await conn.query<{ id: number; agency: string; code: string; version: string }>(
    'SELECT id, agency, code, version FROM sdmx_codelists',
  );
  return new Map(rows.rows.map((r) => [key({ agency: r.agency, id: r.code, version: r.version }), r.id]));
}

/** Loads a structure message; a component naming a code list neither in the message nor loaded before is refused. */
export async function loadStructureMessage(
  store: Store,
  msg: StructureMessage,
  actor: AuditActor,
  source: string,
): Promise<StructureLoadReport> {
  return store.exclusive(async (conn) => {
    const report: StructureLoadReport = { codelists: [], structures: [], dimensions: [] };
    const ids = await codelistIds(conn);
    const inMessage = new Set(msg.codelists.map(key));
    for (const s of msg.structures)
      for (const c of s.components)
        if (c.codelist && !inMessage.has(key(c.codelist)) && !ids.has(key(c.codelist)))
          throw new StructureFormatError(
            `the component ${c.id} of ${refText(s)} takes its codes from ${refText(c.codelist)}, which is neither in the message nor loaded before`,
          );

    for (const cl of msg.codelists) {
      const r = await conn.query<{ id: number }>(
        `INSERT INTO sdmx_codelists (agency, code, version, names) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (agency, code, version) DO UPDATE SET names = excluded.names, loaded_at = now() RETURNING id`,
        [cl.agency, cl.id, cl.version, JSON.stringify(cl.names)],
      );
      const id = r.rows[0]?.id as number;
      ids.set(key(cl), id);
      await conn.query('DELETE FROM sdmx_codes WHERE codelist_id = $1', [id]);
      const seen = new Set<string>();
      const codes = cl.codes.filter((c) => !seen.has(c.id) && seen.add(c.id));
      for (let i = 0; i < codes.length; i += CHUNK) {
        const part = codes
          .slice(i, i + CHUNK)
          .map((c, j) => ({ code: c.id, names: c.names, parent: c.parent, position: i + j }));
        await conn.query(
          `INSERT INTO sdmx_codes (codelist_id, code, names, parent, position)
           SELECT $1, x.code, x.names, x.parent, x.position
           FROM jsonb_to_recordset($2::jsonb) AS x(code text, names jsonb, parent text, position int)`,
          [id, JSON.stringify(part)],
        );
      }
      report.codelists.push({ ref: refText(cl), codes: codes.length });
    }

    for (const s of msg.structures) {
      const r = await conn.query<{ id: number }>(
        `INSERT INTO sdmx_structures (agency, code, version, names, final) VALUES ($1, $2, $3, $4::jsonb, $5)
         ON CONFLICT (agency, code, version) DO UPDATE SET names = excluded.names, final = excluded.final, loaded_at = now()
         RETURNING id`,
        [s.agency, s.id, s.version, JSON.stringify(s.names), s.final],
      );
      const sid = r.rows[0]?.id as number;
      await conn.query('DELETE FROM sdmx_components WHERE structure_id = $1', [sid]);
      const rows = s.components.map((c) => ({
        component: c.id,
        kind: c.kind,
        position: c.position,
        concept: c.concept,
        codelist_id: c.codelist ? (ids.get(key(c.codelist)) ?? null) : null,
        mandatory: c.mandatory,
        attachment: c.attachment,
        attachment_dimensions: c.attachmentDimensions,
      }));
      await conn.query(
        `INSERT INTO sdmx_components (structure_id, component, kind, position, concept, codelist_id, mandatory, attachment, attachment_dimensions)
         SELECT $1, x.component, x.kind, x.position, x.concept, x.codelist_id, x.mandatory, x.attachment, x.attachment_dimensions
         FROM jsonb_to_recordset($2::jsonb) AS x(component text, kind text, position int, concept text, codelist_id int,
           mandatory boolean, attachment text, attachment_dimensions jsonb)`,
        [sid, JSON.stringify(rows)],
      );
      report.structures.push({
        ref: refText(s),
        dimensions: s.components
          .filter((c) => c.kind === 'dimension' || c.kind === 'time')
          .sort((a, b) => a.position - b.position)
          .map((c) => c.id),
        attributes: s.components
          .filter((c) => c.kind === 'attribute')
          .map((c) => ({
            id: c.id,
            mandatory: c.mandatory,
            attachment: c.attachment,
            codelist: c.codelist ? refText(c.codelist) : null,
          })),
      });

      // Breakdown dimensions become Marsad dimensions with the codes of their lists.
      for (const c of s.components) {
        if (c.kind !== 'dimension' || !c.codelist || sdmxRole(c.id) !== 'dim') continue;
        if (report.dimensions.some((d) => d.code === c.id)) continue;
        const names = msg.concepts.get(c.concept ?? c.id)?.names ?? {};
        const d = await conn.query<{ id: number; created: boolean }>(
          `INSERT INTO dimensions (code, names, open) VALUES ($1, $2::jsonb, false)
           ON CONFLICT (code) DO UPDATE SET names = excluded.names || dimensions.names
           RETURNING id, (xmax = 0) AS created`,
          [c.id, JSON.stringify(Object.keys(names).length ? names : { en: c.id })],
        );
        const dim = d.rows[0] as { id: number; created: boolean };
        const clId = ids.get(key(c.codelist)) as number;
        const v = await conn.query<{ added: number; kept: number }>(
          `WITH up AS (
             INSERT INTO dimension_values (dimension_id, code, names, position)
             SELECT $1, code, CASE WHEN names = '{}'::jsonb THEN jsonb_build_object('en', code) ELSE names END, position
             FROM sdmx_codes WHERE codelist_id = $2 AND NOT (code = ANY($3::text[]))
             ON CONFLICT (dimension_id, code) DO UPDATE SET names = excluded.names || dimension_values.names
             RETURNING (xmax = 0) AS inserted)
           SELECT count(*) FILTER (WHERE inserted)::int AS added, count(*) FILTER (WHERE NOT inserted)::int AS kept FROM up`,
          [dim.id, clId, [...SDMX_NO_BREAKDOWN]],
        );
        report.dimensions.push({
          code: c.id,
          created: dim.created,
          valuesAdded: v.rows[0]?.added ?? 0,
          valuesKept: v.rows[0]?.kept ?? 0,
        });
      }
    }

    await appendAudit(conn, actor, {
      action: 'load',
      entityType: 'sdmx_structure',
      entityId: report.structures.map((s) => s.ref).join(', ') || null,
      summary: `SDMX structure message from ${source}: ${report.structures.length} data structure(s), ${report.codelists.length} code list(s), ${report.codelists.reduce((n, c) => n + c.codes, 0)} codes`,
      after: {
        structures: report.structures.map((s) => s.ref),
        codelists: report.codelists,
        dimensions: report.dimensions,
      },
    });
    return report;
  });
}
