/**
 * The codes an import problem carries besides its English `message` (ImportProblem.code), with the parameters each
 * gives, so that a client says it in the user's language (the web app's catalogs: `import.problem.<code>`). The
 * validation rules' codes (core EntryProblemCode: below-min, above-max, …) are the others.
 */
export const IMPORT_PROBLEM_CODES = {
  /** A row with another number of cells than the header has columns (csv, open-sdg, sdmx-csv). */
  'cell-count': ['cells', 'columns'],
  /** A place no code, external code or name matches. */
  'unknown-place': ['value'],
  /** A row without a place, in a file given none. */
  'no-place': [],
  /** A value a closed code list lacks (`known`: the first twelve codes of the list). */
  'not-in-code-list': ['value', 'dimension', 'known'],
  /** A period the grammar does not read (core/observations/period.ts). */
  'bad-period': ['value'],
  /** A value cell that is not a number. */
  'not-a-number': ['value'],
  /** A unit other than the series' (`expected`). */
  'unit-mismatch': ['unit', 'series', 'indicator', 'expected'],
  /** A key given twice in one file, found as it was written (`key`: its codes). */
  'duplicate-key': ['key'],
  /** A key given twice in one file, found after staging: the period and the row that gave it first. */
  'duplicate-row': ['period', 'first'],
} as const satisfies Record<string, readonly string[]>;

export type ImportProblemCode = keyof typeof IMPORT_PROBLEM_CODES;
