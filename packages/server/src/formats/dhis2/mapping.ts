import { z } from 'zod';
import { withoutPrototype } from '../common/null-prototype.ts';

/** DHIS2's default category option combo (and attribute option combo): "no disaggregation". */
export const DHIS2_DEFAULT_COMBO = 'HllvX50cXC0';

const DimsSchema = z.record(z.string().min(1), z.string().min(1));

/** DHIS2's value types whose values are numbers; the others (BOOLEAN, TRUE_ONLY, TEXT, DATE …) are skipped on import. */
export const DHIS2_NUMERIC_VALUE_TYPES: ReadonlySet<string> = new Set([
  'NUMBER',
  'INTEGER',
  'INTEGER_POSITIVE',
  'INTEGER_NEGATIVE',
  'INTEGER_ZERO_OR_POSITIVE',
  'PERCENTAGE',
  'UNIT_INTERVAL',
]);

/**
 * How DHIS2 identifiers map onto Marsad codes. The same file serves import and export.
 *
 * ```json
 * {
 *   "dataElements": { "fbfJHSPpUQD": { "indicator": "3.1.1", "series": "SH_STA_MORT", "valueType": "NUMBER" } },
 *   "orgUnits": { "DiszpKrYNg8": "EGY-CAI" },
 *   "categoryOptionCombos": { "S34ULMcHMca": { "SEX": "F", "AGE": "Y15T24" } },
 *   "attributeOptionCombos": { "bRowv6yZOF2": {} }
 * }
 * ```
 */
export const Dhis2MappingSchema = z
  .object({
    /**
     * Data element UID → Marsad indicator code and, optionally, series code and DHIS2 value type
     * (NUMBER, INTEGER …; a data element of another type is skipped; without one, a value that is
     * not a number is taken for a non-numeric type and skipped).
     */
    dataElements: z.record(
      z.string().min(1),
      z.object({
        indicator: z.string().min(1),
        series: z.string().min(1).optional(),
        valueType: z
          .string()
          .regex(/^[A-Z_]{2,40}$/, 'a DHIS2 value type such as NUMBER, INTEGER, BOOLEAN or TEXT')
          .optional(),
      }),
    ),
    /** Organisation unit UID → Marsad place code. Unmapped org units pass through as place codes. */
    orgUnits: z.record(z.string().min(1), z.string().min(1)).optional(),
    /** Category option combo UID → dimension code → value code. `{}` means the total. */
    categoryOptionCombos: z.record(z.string().min(1), DimsSchema).optional(),
    /** Attribute option combo UID → more dimensions (merged with the category option combo's); `{}` to ignore one. */
    attributeOptionCombos: z.record(z.string().min(1), DimsSchema).optional(),
  })
  // Looked up by identifiers from the file: no prototype to find "constructor" in.
  .transform(withoutPrototype);

export type Dhis2Mapping = z.infer<typeof Dhis2MappingSchema>;

/** Reads and checks a mapping file's JSON text; throws an Error with a plain-English message. */
export function parseDhis2Mapping(text: string): Dhis2Mapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`the DHIS2 mapping file is not valid JSON: ${(err as Error).message}`);
  }
  const result = Dhis2MappingSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'the top level';
    throw new Error(`the DHIS2 mapping file is not right at ${where}: ${issue?.message ?? 'unknown problem'}`);
  }
  return result.data;
}

/** A canonical key for a set of dimensions (order-independent). */
export function dimsKey(dims: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(dims)
      .sort()
      .map((k) => [k, dims[k]]),
  );
}
