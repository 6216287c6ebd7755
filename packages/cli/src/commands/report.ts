import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isReportPage, pdfFileName, REPORT_LANGS, REPORT_PAGES } from '@marsad/server';
import type { RuntimeConfig } from '../config.ts';
import { progressBar } from '../progress.ts';
import { findRemote, type Remote, remoteFetch } from '../remote.ts';
import { withLocalApp } from './local-store.ts';

export interface ReportCliOptions {
  lang: string;
  out?: string;
  outDir?: string;
  cities?: boolean;
  pilot?: boolean;
}

const WEB_INDEX = new URL('../../../web/dist/index.html', import.meta.url);

/**
 * A server to print from: the one running on the embedded database (through its API), or one
 * started here for the time of the command (on the embedded database or DATABASE_URL), listening
 * on 127.0.0.1 only.
 */
async function withServer<T>(config: RuntimeConfig, fn: (remote: Remote) => Promise<T>): Promise<T> {
  const running = await findRemote(config.dataDir, config.databaseUrl);
  if (running) return fn(running);
  if (!existsSync(WEB_INDEX))
    throw new Error('The web app is not built (packages/web/dist): run `npm run build` first, then try again.');
  return withLocalApp(config, 'report', async (app) => {
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    return fn({ baseUrl, token: null });
  });
}

async function fetchPdf(remote: Remote, page: string, lang: string): Promise<Buffer> {
  // The PDF is of a public page: no token is sent.
  const res = await remoteFetch(
    { ...remote, token: null },
    `/api/v1/reports/pdf?${new URLSearchParams({ page, lang })}`,
  );
  if (!res.ok) {
    let message = res.statusText;
    try {
      message = ((await res.json()) as { message?: string }).message ?? message;
    } catch {
      /* not JSON */
    }
    throw new Error(`${page}: the server answered ${res.status}: ${message}`);
  }
  return Buffer.from(await res.arrayBuffer());
}

/** The codes of the cities (or pilot cities), from the public places API. */
async function cityCodes(remote: Remote, pilot: boolean): Promise<string[]> {
  const codes: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const q = new URLSearchParams({
      level: 'city',
      limit: '500',
      offset: String(offset),
      ...(pilot ? { pilot: 'true' } : {}),
    });
    const res = await remoteFetch(remote, `/api/v1/places?${q}`);
    if (!res.ok) throw new Error(`The server answered ${res.status} for the list of cities.`);
    const body = (await res.json()) as { items: { code: string }[]; total: number };
    codes.push(...body.items.map((p) => p.code));
    if (body.items.length < 500 || codes.length >= body.total) return codes;
  }
}

/**
 * `marsad report <page> --lang ar --out file.pdf`, or `marsad report --cities [--pilot] --lang ar
 * --out-dir dir` (a city profile per city, with a progress bar): the same PDFs as the pages' PDF
 * button, made by Chromium on the server.
 */
export async function reportCommand(
  config: RuntimeConfig,
  page: string | undefined,
  o: ReportCliOptions,
): Promise<number> {
  if (!(REPORT_LANGS as readonly string[]).includes(o.lang))
    throw new Error(`--lang must be one of ${REPORT_LANGS.join(', ')}`);
  if (o.cities) {
    if (page) throw new Error('Give either a page or --cities, not both.');
    if (!o.outDir) throw new Error('--cities needs --out-dir <dir>.');
    const outDir = o.outDir;
    await mkdir(outDir, { recursive: true });
    return withServer(config, async (remote) => {
      const codes = await cityCodes(remote, !!o.pilot);
      if (!codes.length) throw new Error('No city to print.');
      const bar = progressBar('City profiles', codes.length, 'PDF');
      const failed: string[] = [];
      let done = 0;
      for (const code of codes) {
        const p = `/places/${code}`;
        try {
          await writeFile(path.join(outDir, pdfFileName(p, o.lang)), await fetchPdf(remote, p, o.lang));
        } catch (e) {
          // A server without Chromium fails every page alike: stop at once with its message.
          if (/answered 503/.test((e as Error).message)) {
            bar.stop();
            throw e;
          }
          failed.push(`${code}: ${(e as Error).message}`);
        }
        bar.update(++done);
      }
      bar.stop();
      console.error(`${codes.length - failed.length} of ${codes.length} city profiles written to ${outDir}`);
      for (const f of failed) console.error(`  ${f}`);
      return failed.length ? 1 : 0;
    });
  }
  if (!page) throw new Error('Give the page to print (e.g. /programmes/SAFER-CITIES or /places/MAAGA), or --cities.');
  const p = page.startsWith('/') ? page : `/${page}`;
  if (!isReportPage(p))
    throw new Error(`Not a report page: ${page}. Pages: ${REPORT_PAGES.map((x) => x.pattern.source).join(', ')}`);
  const out = o.out ?? pdfFileName(p, o.lang);
  await withServer(config, async (remote) => writeFile(out, await fetchPdf(remote, p, o.lang)));
  console.error(`Written: ${out}`);
  return 0;
}
