import { z } from 'zod';
import { type Dhis2Mapping, Dhis2MappingSchema } from '../formats/dhis2/mapping.ts';
import { HttpError } from '../http/errors.ts';
import { type ColumnMap, ColumnMapSchema } from '../observations/column-map.ts';

/**
 * What a saved mapping holds, checked by the very schemas the imports use: a column mapping
 * (`--map`, `map`) or a DHIS2 mapping (`--dhis2-mapping`, `dhis2Mapping`).
 */
export const MAPPING_KINDS = ['columns', 'dhis2'] as const;
export type MappingKind = (typeof MAPPING_KINDS)[number];
export interface MappingBodies {
  columns: ColumnMap;
  dhis2: Dhis2Mapping;
}

const SCHEMAS = { columns: ColumnMapSchema, dhis2: Dhis2MappingSchema } as const;

/** The body checked for its kind (objects without prototype, as the imports use them); a 400 naming `field` and the place in it. */
export function parseMappingBody<K extends MappingKind>(kind: K, body: unknown, field: string): MappingBodies[K] {
  const parsed = SCHEMAS[kind].safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = [field, ...(issue?.path ?? []).map(String)].join('.');
    throw new HttpError(
      400,
      'bad_request',
      `${at}: not a ${kind === 'columns' ? 'column' : 'DHIS2'} mapping: ${issue?.message ?? 'unknown problem'}`,
    );
  }
  return parsed.data as MappingBodies[K];
}

export const MappingName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .describe('The name, unique within its place whatever its case');

/** A saved mapping as it is sent to be created or replaced. */
export const SavedMappingInput = z.object({
  name: MappingName,
  kind: z.enum(MAPPING_KINDS).describe('columns: a column mapping; dhis2: a DHIS2 mapping'),
  place: z.string().trim().min(1).max(80).describe('Code of the place the mapping belongs to'),
  body: z
    .record(z.string(), z.unknown())
    .describe(
      'The mapping itself, as for an import: {"columns": {...}} for columns; dataElements, orgUnits, categoryOptionCombos for dhis2',
    ),
});
export type SavedMappingInput = z.infer<typeof SavedMappingInput>;
