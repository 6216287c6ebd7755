/**
 * Errors of the SDMX web service as the standard gives them: an SDMX-ML 2.1 error message (`mes:Error`, one
 * `mes:ErrorMessage code="…"` with its `com:Text`), with the HTTP status of the SDMX REST guidelines. The codes are
 * those of SDMX 2.1's web service guidelines (section 5): 100 no results found (404), 110 unauthorised (401),
 * 130 response too large due to client request / 510 response size exceeds service limit (413), 140 syntax error
 * (400), 150 semantic error, 500 internal error, 501 not implemented, 503 service unavailable.
 */
import { xmlAttr } from '../formats/sdmx-ml/write.ts';

const NS_MESSAGE = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message';
const NS_COMMON = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common';

export const ERROR_CONTENT_TYPE = 'application/xml; charset=utf-8';

/** An answer other than 200, as an SDMX error message. */
export class SdmxError extends Error {
  override name = 'SdmxError';
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** 404, code 100. */
export const noResults = (why = 'No results found') => new SdmxError(404, 100, why);
/** 400, code 140. */
export const syntaxError = (why: string) => new SdmxError(400, 140, why);
/** 501, code 501. */
export const notImplemented = (why: string) => new SdmxError(501, 501, why);
/** 406 (no SDMX code of its own: 150, a request the service cannot answer as asked). */
export const notAcceptable = (why: string) => new SdmxError(406, 150, why);
/** 413, code 510: the answer would be larger than the service sends. */
export const tooLarge = (why: string) => new SdmxError(413, 510, why);

/** The SDMX code of an HTTP status, for errors raised outside this service (a check before the handler). */
export function codeOfStatus(status: number): number {
  if (status === 404) return 100;
  if (status === 401 || status === 403) return 110;
  if (status === 413) return 510;
  if (status === 501) return 501;
  if (status === 503) return 503;
  if (status >= 500) return 500;
  return 140;
}

/** The SDMX-ML 2.1 error message. */
export function errorMessageXml(code: number, text: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<mes:Error xmlns:mes="${NS_MESSAGE}" xmlns:com="${NS_COMMON}">\n` +
    `  <mes:ErrorMessage code="${code}">\n` +
    `    <com:Text xml:lang="en">${xmlAttr(text)}</com:Text>\n` +
    '  </mes:ErrorMessage>\n' +
    '</mes:Error>\n'
  );
}
