/**
 * Limits on what an uploaded file may unpack to (docs/operations.md, "Upload limits"). A workbook
 * (.xlsx) is a zip: a small upload can hold gigabytes of XML. Its entries are unpacked one by one
 * against these limits before anything parses them, and unpacking stops at the limit. A PDF's
 * streams are compressed too: its text is read in a worker that is stopped past a memory limit.
 */
export interface UploadLimits {
  /** Bytes the entries of an uploaded workbook may unpack to, together (MARSAD_UPLOAD_MAX_UNPACKED_BYTES). */
  maxUnpackedBytes: number;
  /** Rows a workbook's sheets may hold, together (MARSAD_UPLOAD_MAX_ROWS). */
  maxRows: number;
  /** Entries (files) in a workbook's zip. */
  maxEntries: number;
  /**
   * Memory that reading the text of one PDF attachment may take (MARSAD_UPLOAD_MAX_PDF_MEMORY):
   * the growth of the process's resident memory while pdf.js reads it (knowledge/pdf-text.ts).
   * Past it the reading is stopped; the file is kept, its text not indexed.
   */
  maxPdfMemory: number;
  /**
   * Bytes the files an Open SDG repository zip holds may unpack to, together
   * (MARSAD_UPLOAD_MAX_REPOSITORY_BYTES; `POST /api/v1/imports/repository`). A repository is
   * larger than one file (the UK's unpacks to about 25 MB): it has its own limit. The zip as
   * sent may be at most this and 1 MB.
   */
  maxRepositoryBytes: number;
  /** Entries (files and folders) in a repository zip (MARSAD_UPLOAD_MAX_REPOSITORY_ENTRIES). */
  maxRepositoryEntries: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxUnpackedBytes: 20 * 1024 * 1024,
  maxRows: 20_000,
  maxEntries: 1_000,
  maxPdfMemory: 512 * 1024 * 1024,
  maxRepositoryBytes: 200 * 1024 * 1024,
  maxRepositoryEntries: 5_000,
};

const VARIABLES: [keyof UploadLimits, string][] = [
  ['maxUnpackedBytes', 'MARSAD_UPLOAD_MAX_UNPACKED_BYTES'],
  ['maxRows', 'MARSAD_UPLOAD_MAX_ROWS'],
  ['maxPdfMemory', 'MARSAD_UPLOAD_MAX_PDF_MEMORY'],
  ['maxRepositoryBytes', 'MARSAD_UPLOAD_MAX_REPOSITORY_BYTES'],
  ['maxRepositoryEntries', 'MARSAD_UPLOAD_MAX_REPOSITORY_ENTRIES'],
];
/** Limits that count things, not bytes. */
const COUNTS = new Set<keyof UploadLimits>(['maxRows', 'maxRepositoryEntries']);

/**
 * Reads the limits set in the environment: a whole number, with an optional unit for bytes
 * (`30MB`, `512KB`, `1GB`: powers of 1024). Throws with a message naming the variable.
 */
export function readUploadLimits(env: NodeJS.ProcessEnv): Partial<UploadLimits> {
  const out: Partial<UploadLimits> = {};
  for (const [key, name] of VARIABLES) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    const bytes = !COUNTS.has(key);
    const m = /^(\d+)\s*(KB|MB|GB)?$/i.exec(raw);
    const unit = m?.[2] ? 1024 ** (['KB', 'MB', 'GB'].indexOf(m[2].toUpperCase()) + 1) : 1;
    const value = m ? Number(m[1]) * unit : Number.NaN;
    if (!m || (m[2] && !bytes) || !Number.isSafeInteger(value) || value < 1)
      throw new Error(
        `${name} must be a whole number greater than 0${bytes ? ' of bytes, optionally with KB, MB or GB (such as 30MB)' : ''}, not "${raw}".`,
      );
    out[key] = value;
  }
  return out;
}

export function uploadLimits(given: Partial<UploadLimits> = {}): UploadLimits {
  return { ...DEFAULT_UPLOAD_LIMITS, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
}

/** A size for messages: 20 MB, 512 KB, 900 bytes. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}
