import type { IncomingHttpHeaders } from 'node:http';
import type { BrowserContext } from 'playwright-core';

/**
 * A city's self-assessment against the Urban Safety Monitor is private (issue 20, item 2): the city profile shows its
 * latest profile only to those who may read it (the place's focal points, administrators, reviewers of a review cycle
 * of the place). So that the city profile's PDF holds it for them and for nobody else, the page is printed as the
 * reader who asked for the PDF: their session cookie (or API token) is given to Chromium for this server's own
 * address only (every other address is refused by renderPdf). The public's PDF is printed without any.
 */
export interface PdfReader {
  /** The reader's session cookie and the readable "signed in" mark (the app asks who is signed in only with it). */
  cookies: { name: string; value: string }[];
  /** An API token sent as `Authorization: Bearer …`. */
  authorization: string | null;
}

const FORWARDED_COOKIES = new Set(['marsad_session', 'marsad_signed_in']);
const CITY_PROFILE = /^\/places\/[A-Za-z0-9_.-]{1,60}$/;

/** The reader of a PDF request, for a city profile only (null for the public and for every other page). */
export function pdfReaderFor(path: string, headers: IncomingHttpHeaders): PdfReader | null {
  if (!CITY_PROFILE.test(path)) return null;
  const cookies = String(headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter(Boolean)
    .map((c) => {
      const at = c.indexOf('=');
      return at < 0 ? { name: c, value: '' } : { name: c.slice(0, at), value: c.slice(at + 1) };
    })
    .filter((c) => FORWARDED_COOKIES.has(c.name) && c.value !== '');
  const auth =
    typeof headers.authorization === 'string' && /^Bearer \S+$/.test(headers.authorization)
      ? headers.authorization
      : null;
  if (!cookies.some((c) => c.name === 'marsad_session') && !auth) return null;
  return { cookies, authorization: auth };
}

/** Makes the PDF's browser context act as the reader, on the server's own origin only. */
export async function actAsPdfReader(
  context: BrowserContext,
  origin: string,
  reader: PdfReader | null | undefined,
): Promise<void> {
  if (!reader) return;
  const cookies = [...reader.cookies];
  // With a token, the app still needs the readable mark to ask who is signed in.
  if (reader.authorization && !cookies.some((c) => c.name === 'marsad_signed_in'))
    cookies.push({ name: 'marsad_signed_in', value: '1' });
  if (cookies.length) await context.addCookies(cookies.map((c) => ({ ...c, url: origin })));
  if (reader.authorization) await context.setExtraHTTPHeaders({ authorization: reader.authorization });
}
