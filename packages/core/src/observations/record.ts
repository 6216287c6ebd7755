/**
 * The format-neutral shapes that every reader produces and every writer consumes.
 * Readers (packages/server/src/formats/<format>/read.ts) turn a file into ReadItems;
 * the import pipeline resolves codes to ids and validates; writers turn ExportRecords
 * back into a file.
 */

export const OBSERVATION_STATUSES = ['provisional', 'validated', 'approved'] as const;
export type ObservationStatus = (typeof OBSERVATION_STATUSES)[number];

/** Where in the input a row came from: a 1-based line/row number for text formats, a JSON path for JSON formats. */
export type Location = number | string;

/**
 * Disaggregation as it appears in the file: column or dimension id → cell value.
 * Keys are raw (a CSV header such as "Victim Gender", or an SDMX dimension id such as "SEX");
 * the import pipeline maps them onto Marsad dimensions. A blank value means "total" and is
 * left out by the readers.
 */
export type RawDims = Record<string, string>;

export interface ObservationRecord {
  /** Indicator code, e.g. "11.1.1", or a UN series code when `seriesIsCode` is set by SDMX readers. */
  indicator?: string;
  /** Series code (e.g. "EN_ATM_PM25") or a free label from an Open SDG `Units`/`Series` column. */
  series?: string;
  /**
   * The place: a code (ISO alpha-3, UN/LOCODE, Marsad code), an external code (GeoCode, REF_AREA) or a name in any
   * language (when the row names its place by a label alone: then `place` equals `placeName`).
   */
  place?: string;
  /**
   * The place's name as the file gives it beside its code (Open SDG's Region, Country, Local authority columns next
   * to GeoCode): the name of a place the import creates when it may (createPlaces).
   */
  placeName?: string;
  /** The column `placeName` came from ("Local authority"): for messages and the level of a created place. */
  placeColumn?: string;
  /** The period exactly as written in the file ("2017-18", "2024Q1", "1990-1999"). */
  period: string;
  /** null: the file says "no data" for this key (reported as skipped, never an error). */
  value: number | null;
  unit?: string;
  /**
   * The unit multiplier the file states for the value (SDMX `UNIT_MULT`: a power of ten such as
   * "3"; Open SDG "Unit multiplier": "Units", "Thousands" …): the import scales the value by it
   * into the unit of its series (core/observations/units.ts).
   */
  unitMultiplier?: string;
  status?: string;
  source?: string;
  note?: string;
  dims: RawDims;
}

export type ReadItem =
  | { kind: 'row'; at: Location; record: ObservationRecord }
  | {
      kind: 'error';
      at: Location;
      column?: string;
      message: string;
      /** A stable code (IMPORT_PROBLEM_CODES in the server) and its parameters, for a message in the user's language. */
      code?: string;
      params?: Record<string, string | number>;
    }
  | { kind: 'skip'; at: Location; reason: string }
  | { kind: 'notice'; message: string };

export interface ReaderOptions {
  /** Indicator for files that do not name one (Open SDG when the file name does not say). */
  indicator?: string;
  /** Place for rows that do not name one (Open SDG without GeoCode). */
  place?: string;
  /** The file name, used by Open SDG to find the indicator (indicator_11-1-1.csv → 11.1.1). */
  fileName?: string;
}

/** One observation as stored, with every code the writers need. */
export interface ExportRecord {
  indicator: string;
  indicatorName?: string;
  series: string;
  seriesName?: string;
  place: string;
  placeName?: string;
  /** The place's external code (e.g. a statistics code used as GeoCode), if any. */
  placeExternal?: string;
  /** Canonical period code (see core/observations/period.ts). */
  period: string;
  /**
   * null only for a value withheld from this reader by its indicator's suppression rule
   * (`suppressedBelow` is then set); writers leave the value empty and mark it confidential.
   */
  value: number | null;
  /**
   * The rule's minimum count when the value rests on fewer (docs/methods/suppression.md): with
   * `value` null the reader sees "fewer than N"; with a value, the reader may see it but the
   * public may not.
   */
  suppressedBelow?: number;
  unit?: string;
  status: ObservationStatus;
  source?: string;
  note?: string;
  /** Marsad dimension code → code-list value code; totals are left out. */
  dims: Record<string, string>;
}
