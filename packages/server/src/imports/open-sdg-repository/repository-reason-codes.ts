/**
 * The codes of the reasons an Open SDG repository import gives besides its English words, so that a client says them
 * in the user's language (the web app's catalogs: `import.reason.<code>`): why a file of the repository was skipped
 * or refused as a whole (RepositoryFileReport `reasonCode`, `reasonParams`), and why an uploaded zip was refused
 * (the 400 and 413 answers of POST /api/v1/imports/repository: `details.code`, `details.params`). Each code lists
 * the parameters its message names; a code may also give `detail`, the English words of a library (the YAML
 * parser's, the zip reader's), which a client shows beside the message as they are.
 */
export const REPOSITORY_REASON_CODES = {
  // Files of the repository, skipped or refused (RepositoryFileReport).
  /** Under translations/ but not translations/<language>/<group>.yml. */
  'not-translation-file': [],
  /** Under data/ but not a CSV directly in it. */
  'not-data-file': [],
  /** A data file whose name gives no indicator (indicator_11-1-1.csv). */
  'no-indicator-in-name': [],
  /** Under meta/ but not meta/11-1-1.md or meta/<language>/11-1-1.md. */
  'not-metadata-file': [],
  /** Under indicator-config/ but not indicator-config/11-1-1.yml. */
  'not-indicator-config': [],
  /** A file of an archived indicator, not imported unless asked for. */
  'archived-indicator': ['indicator'],
  /** YAML that does not parse, where the parser says (line and column from 1); `detail`: the parser's words. */
  'yaml-syntax': ['file', 'line', 'column'],
  /** YAML that cannot be read, the parser giving no place (too many aliases, …); `detail`: its words. */
  'yaml-unreadable': ['file'],
  /** YAML that is a value or a list, not fields (key: value). */
  'yaml-not-fields': ['file'],
  /** Front matter opened with --- and never closed. */
  'front-matter-unclosed': ['file'],
  /** Metadata of an indicator the catalogue lacks, indicators not being created. */
  'unknown-indicator': ['indicator'],
  /** A data file with errors in its rows (the first of them in `errors`): `rows`, all the rows it has. */
  'rows-refused': ['errors', 'rows'],
  /** Boundaries not asked for. */
  'boundaries-not-imported': [],
  /** A boundaries file that is not GeoJSON or TopoJSON that can be read; `detail`: why. */
  'boundaries-unreadable': [],
  /** A boundaries file without areas. */
  'no-areas': [],
  /** A boundaries file no property of whose features matches a place (`tried`: the properties, comma-separated). */
  'no-matching-property': ['features', 'tried'],

  // The zip (the answers of the upload, 400 and 413; an entry's also in the report of the file being read).
  /** No body. */
  'empty-body': [],
  /** Not a zip that can be read; `detail`: the zip reader's words. */
  'not-a-zip': [],
  /** A zip without data/ holding a CSV. */
  'no-data-folder': [],
  /** A zip holding a file twice. */
  'duplicate-entry': ['path'],
  /** An entry that cannot be unpacked; `detail`: the zip reader's words. */
  'entry-unreadable': ['path'],
  /** An entry that unpacks to more bytes than it declares. */
  'entry-larger-than-declared': ['path', 'bytes'],
  /** A zip larger than can be sent (413). */
  'zip-too-large': ['maxBytes', 'maxUnpackedBytes'],
  /** A zip of more entries than are read (413). */
  'too-many-entries': ['entries', 'max'],
  /** The files read declare more bytes than are read (413). */
  'unpacked-too-large': ['bytes', 'maxBytes'],
  /** The files read unpack to more bytes than are read, found while unpacking `path` (413). */
  'inflated-too-large': ['path', 'maxBytes'],
  /** No place has the code given as the repository's place (400). */
  'unknown-place': ['place'],
} as const satisfies Record<string, readonly string[]>;

export type RepositoryReasonCode = keyof typeof REPOSITORY_REASON_CODES;

/** The values a reason names: numbers (line, column, counts, bytes) as numbers. */
export type ReasonParams = Record<string, string | number>;

/** An error whose words are also said by a code and its parameters (REPOSITORY_REASON_CODES). */
export class CodedError extends Error {
  constructor(
    readonly reasonCode: RepositoryReasonCode,
    message: string,
    readonly reasonParams: ReasonParams = {},
  ) {
    super(message);
  }
}

/** The code and parameters of an error that has them (CodedError, the zip's errors), else nothing. */
export function reasonOf(
  err: unknown,
  more: ReasonParams = {},
): { reasonCode: RepositoryReasonCode; reasonParams: ReasonParams } | Record<string, never> {
  const e = err as { reasonCode?: unknown; reasonParams?: ReasonParams } | null;
  if (!e || typeof e.reasonCode !== 'string' || !Object.hasOwn(REPOSITORY_REASON_CODES, e.reasonCode)) return {};
  return { reasonCode: e.reasonCode as RepositoryReasonCode, reasonParams: { ...e.reasonParams, ...more } };
}
