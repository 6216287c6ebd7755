/** Uploads for /import: the file is the request body (streamed by the browser), with progress. */

export interface UploadAnswer {
  status: number;
  body: unknown;
}

/**
 * POSTs `file` as the body of `url` (from apiUrl) with the session's CSRF token; XMLHttpRequest
 * because fetch reports no upload progress. Resolves with any HTTP status; rejects only when
 * the request could not be made (network down).
 */
export function uploadFile(
  url: string,
  file: Blob,
  csrf: string | undefined,
  onProgress: (sent: number, total: number) => void,
): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { message: xhr.statusText };
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
}

export const FORMATS = ['csv', 'open-sdg', 'sdmx-csv', 'sdmx-json', 'sdmx-ml', 'dhis2'] as const;
export type Format = (typeof FORMATS)[number];

/**
 * What a file's name suggests: its format and, for an Open SDG file (indicator_11-1-1.csv), the
 * indicator (11.1.1). Nothing when the name says nothing.
 */
export function guessFromName(name: string): { format?: Format; indicator?: string } {
  const lower = name.toLowerCase();
  const sdg = /^indicator_(\d+(?:-[0-9a-z]+)+)\.csv$/i.exec(name);
  if (sdg?.[1]) return { format: 'open-sdg', indicator: sdg[1].replace(/-/g, '.') };
  if (lower.endsWith('.json')) {
    if (/dhis|datavalue/.test(lower)) return { format: 'dhis2' };
    return { format: 'sdmx-json' };
  }
  if (lower.endsWith('.csv')) return { format: /sdmx/.test(lower) ? 'sdmx-csv' : 'csv' };
  if (lower.endsWith('.xml')) return { format: 'sdmx-ml' };
  return {};
}

/**
 * What the first bytes of a file say of its format, where its name says nothing or may mislead: an SDMX-ML data
 * message by its root element and namespace (as the server's reader tells its flavours), SDMX-JSON and DHIS2 by their
 * top-level fields. Nothing when the start says nothing.
 */
export function guessFromContent(head: string): Format | undefined {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) {
    const sdmx =
      /<([A-Za-z_][\w.-]*:)?(Generic|StructureSpecific)(TimeSeries)?Data[\s>]/.test(text) &&
      /sdmx\.org\/resources\/sdmxml\/schemas\/v[23]_/i.test(text);
    return sdmx ? 'sdmx-ml' : undefined;
  }
  if (text.startsWith('{')) {
    if (/"dataValues"\s*:/.test(text)) return 'dhis2';
    if (/"(dataSets|structure|data|meta)"\s*:/.test(text)) return 'sdmx-json';
  }
  return undefined;
}
