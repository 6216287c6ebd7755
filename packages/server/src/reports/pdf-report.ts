/**
 * A report page of this site printed to PDF by Chromium (issue 7 item 5): the page is loaded from
 * this same server (127.0.0.1 and its own port; only the paths of a fixed allow-list, so no other
 * address can be reached), in the asked language (its address under the language: `/fr/programmes/SCP`),
 * with print media, once its data has arrived; then `page.pdf()`. Chromium is Debian's (or
 * MARSAD_CHROMIUM), never downloaded; without it the caller gets a 503 that says what to install.
 * Text stays text (selectable, Arabic shaped right to left by Chromium with the fonts installed:
 * Debian's fonts-noto-core holds Noto Sans Arabic and Noto Sans, fonts-noto-cjk Noto Sans CJK SC, which the
 * app's CSS names; `report-fonts.ts`). Chromium embeds only the glyphs used: the CJK font (an OpenType
 * collection of 19 MB) as Type 3 subsets, a few hundred kilobytes for a city profile.
 */
import { existsSync } from 'node:fs';
import { HttpError } from '../http/errors.ts';
import { actAsPdfReader, type PdfReader } from './pdf-safety-assessment.ts';
import { requireReportFonts } from './report-fonts.ts';

export const REPORT_LANGS = ['ar', 'en', 'es', 'fr', 'ru', 'zh'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

/** The report pages that can be printed, as path patterns of this site (no query, no other host). */
export const REPORT_PAGES: { pattern: RegExp; name: string }[] = [
  { pattern: /^\/programmes\/[A-Za-z0-9_.-]{1,60}$/, name: 'programme results report' },
  { pattern: /^\/places\/[A-Za-z0-9_.-]{1,60}$/, name: 'city (place) profile' },
  { pattern: /^\/places\/[A-Za-z0-9_.-]{1,60}\/report$/, name: 'country report' },
  { pattern: /^\/results\/success-indicators$/, name: 'success indicators' },
  {
    pattern: /^\/results\/board-progress\/\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2}$/,
    name: 'progress report to the Executive Board',
  },
  { pattern: /^\/reviews\/published\/\d{1,9}$/, name: 'review report' },
];

export function isReportPage(path: string): boolean {
  return REPORT_PAGES.some((p) => p.pattern.test(path));
}

/**
 * Chromium's features that Playwright turns off (its own `--disable-features`, which a second one would replace,
 * so they are repeated here), and the browser-window omnibox popup that Chromium 150 and later draws as a web
 * page of its own, started for every new window even when headless: each context then costs another renderer
 * loading some hundred scripts (~0.35 s of CPU, and memory). Without it a PDF, and a browser test, starts faster.
 */
const DISABLED_FEATURES = [
  'AimEnabled',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsFirstBalancedModeAutoEnable',
  'HttpsUpgrades',
  'LensOverlay',
  'MediaRouter',
  'NetworkTimeServiceQuerying',
  'OptimizationHints',
  'PaintHolding',
  'PreconnectToSearch',
  'ThirdPartyStoragePartitioning',
  'WebUIOmniboxPopup',
  'WebUIOmniboxFullPopup',
  'WebUIOmniboxAimPopup',
];

/** How Marsad starts headless Chromium (the PDF reports here; the browser tests and benchmarks too). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  `--disable-features=${DISABLED_FEATURES.join(',')}`,
];

export const INSTALL_HINT =
  "PDF reports need Chromium on the server: install Debian's packages with `apt-get install chromium fonts-noto-core fonts-noto-cjk` " +
  "(or set MARSAD_CHROMIUM to a Chromium executable), then try again. The page's print layout (the browser's Print, or Save as PDF) works without it.";

/** The Chromium to use, or null when none is installed. */
export function chromiumPath(): string | null {
  const p = process.env.MARSAD_CHROMIUM || '/usr/bin/chromium';
  return existsSync(p) ? p : null;
}

/** A file name for the PDF of a page: marsad-programmes-SCP-ar.pdf. */
export function pdfFileName(path: string, lang: string): string {
  return `marsad-${path.replace(/^\//, '').replace(/[^A-Za-z0-9_.-]+/g, '-')}-${lang}.pdf`;
}

let queue: Promise<unknown> = Promise.resolve();
/** One PDF at a time: each starts a browser, which takes memory. */
function serially<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Renders `path` of the server at `origin` (http://127.0.0.1:port) to PDF in `lang`. The path
 * must be on the allow-list; requests of the page to any other origin are refused. `reader`: a city profile's
 * reader (pdf-safety-assessment.ts), else the public.
 */
export async function renderPdf(
  origin: string,
  path: string,
  lang: ReportLang,
  reader: PdfReader | null = null,
): Promise<Buffer> {
  if (!isReportPage(path))
    throw new HttpError(
      400,
      'not_a_report',
      `Not a report page of this site: ${path}. Pages: ${REPORT_PAGES.map((p) => p.name).join(', ')}.`,
    );
  const executablePath = chromiumPath();
  if (!executablePath) throw new HttpError(503, 'no_browser', INSTALL_HINT);
  requireReportFonts(lang);
  const { chromium } = await import('playwright-core');
  return serially(async () => {
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    try {
      const context = await browser.newContext({ viewport: { width: 1100, height: 1400 }, locale: lang });
      await context.route('**/*', (route) =>
        new URL(route.request().url()).origin === origin ? route.continue() : route.abort(),
      );
      // A city profile asked for by a reader who may see the city's self-assessment is printed as that reader.
      await actAsPdfReader(context, origin, reader);
      const page = await context.newPage();
      // Requests in flight: a page's later requests (names of places, a chart's code) start after
      // its first data arrive, when Playwright's "networkidle" has already fired once.
      let inFlight = 0;
      let lastChange = Date.now();
      const change = (d: number) => {
        inFlight += d;
        lastChange = Date.now();
      };
      page.on('request', () => change(1));
      page.on('requestfinished', () => change(-1));
      page.on('requestfailed', () => change(-1));
      const quiet = async () => {
        const until = Date.now() + 60_000;
        while (Date.now() < until && (inFlight > 0 || Date.now() - lastChange < 500))
          await new Promise((r) => setTimeout(r, 100));
      };
      await page.emulateMedia({ media: 'print' });
      // The page's address in the language (`/zh/places/MAAGA`): the app and its links are in it.
      const res = await page.goto(`${origin}/${lang}${path}`, { waitUntil: 'networkidle', timeout: 60_000 });
      if (!res || res.status() >= 400)
        throw new HttpError(404, 'not_found', `The page ${path} answered ${res?.status() ?? 'nothing'}.`);
      // The data has arrived when the heading is there, nothing is loading any more, the network is
      // quiet and every chart is drawn.
      await page.waitForFunction(
        () => !!document.querySelector('main h1') && !document.querySelector('.loading, [aria-busy="true"]'),
        undefined,
        { timeout: 60_000 },
      );
      await quiet();
      await page.waitForFunction(
        () => [...document.querySelectorAll('.chart')].every((c) => !!c.querySelector('svg, canvas')),
        undefined,
        { timeout: 30_000 },
      );
      await page.evaluate(async () => {
        window.dispatchEvent(new Event('beforeprint'));
        for (const d of document.querySelectorAll('details')) d.setAttribute('open', '');
        await document.fonts.ready;
      });
      await quiet();
      const pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' },
      });
      return Buffer.from(pdf);
    } finally {
      await browser.close();
    }
  });
}
