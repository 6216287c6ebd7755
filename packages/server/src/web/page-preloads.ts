import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { PageLanguage } from './page-language.ts';

/** One module of the web build's manifest (Vite's dist/.vite/manifest.json). */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

/** What the server reads of the web build to name a page's code in its HTML. */
export interface WebBuild {
  manifest: Record<string, ManifestChunk>;
  /** The routes whose page loads lazily, with the page's module (dist/page-modules.json, vite.config.ts). */
  pages: { pattern: RegExp; module: string }[];
  /** The files the entry loads already (index.html names them): not named again. */
  entryFiles: Set<string>;
}

/**
 * Modules a route's page loads at once after its own code, worth loading beside it: the indicator page's
 * chart (ECharts) draws its first view.
 */
const PAGE_EXTRAS: Record<string, string[]> = {
  'src/pages/indicators/IndicatorPage.tsx': ['src/components/LineChart.tsx', 'src/components/echarts-setup.ts'],
};

let cached: { key: string; build: WebBuild | null } | null = null;

/**
 * The web build's manifest and page modules, read again when the build changes (the server serves
 * a rebuilt app without a restart); null for a build without them (the pages are then sent without
 * preloads, as before).
 */
export function readWebBuild(dist: string): WebBuild | null {
  const manifestPath = path.join(dist, '.vite/manifest.json');
  const pagesPath = path.join(dist, 'page-modules.json');
  let key: string;
  try {
    key = `${statSync(manifestPath).mtimeMs}:${statSync(pagesPath).mtimeMs}`;
  } catch {
    return null;
  }
  if (cached?.key === key) return cached.build;
  let build: WebBuild | null = null;
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;
    const routes = JSON.parse(readFileSync(pagesPath, 'utf8')) as { path: string; module: string }[];
    const entryFiles = new Set<string>();
    for (const [k, chunk] of Object.entries(manifest)) if (chunk.isEntry) collect(manifest, k, entryFiles, new Set());
    build = {
      manifest,
      entryFiles,
      pages: routes.map((r) => ({
        pattern: new RegExp(`^${r.path.replace(/\$[A-Za-z]+/g, '[^/]+').replace(/\/$/, '')}/?$`),
        module: r.module,
      })),
    };
  } catch {
    build = null;
  }
  cached = { key, build };
  return build;
}

/** The files of a module and of the modules it imports statically. */
function collect(manifest: Record<string, ManifestChunk>, key: string, into: Set<string>, seen: Set<string>): void {
  if (seen.has(key)) return;
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) return;
  into.add(chunk.file);
  for (const i of chunk.imports ?? []) collect(manifest, i, into, seen);
}

/**
 * The built files a page in `lang` at `pagePath` (its address without language prefix) loads before
 * it can show itself, that index.html does not name already: the language's message catalog (the part of the public
 * pages; with `extras`, the part of the pages of work too, which a page the server did not draw loads at once:
 * packages/web/src/main.tsx), the route's page and what it imports, and the page's chart code (PAGE_EXTRAS;
 * `extras: false` for a page drawn on the server, which shows before its chart). Addresses: `/assets/…`.
 */
export function pageModuleFiles(
  build: WebBuild,
  lang: PageLanguage,
  pagePath: string,
  options: { extras: boolean } = { extras: true },
): string[] {
  const catalog = `src/i18n/locales/${lang}.json?catalog=`;
  const keys = [`${catalog}public`, ...(options.extras ? [`${catalog}work`] : [])];
  const page = build.pages.find((p) => p.pattern.test(pagePath));
  if (page) keys.push(page.module, ...(options.extras ? (PAGE_EXTRAS[page.module] ?? []) : []));
  const files = new Set<string>();
  const seen = new Set<string>();
  for (const k of keys) collect(build.manifest, k, files, seen);
  return [...files].filter((f) => !build.entryFiles.has(f)).map((f) => `/${f}`);
}

/**
 * The API answers a page asks for first, whatever the reader chooses later, as the app writes their
 * addresses (packages/web/src/api/client.ts): named in the page so that they load while its code does.
 * The indicator page: the indicator, its values as first shown, the dimensions' names.
 */
export function pageDataRequests(lang: PageLanguage, pagePath: string): string[] {
  const m = /^\/indicators\/([^/]+)\/?$/.exec(pagePath);
  if (!m) return [];
  let code: string;
  try {
    code = decodeURIComponent(m[1]!);
  } catch {
    return [];
  }
  const c = encodeURIComponent(code);
  return [
    `/api/v1/indicators/${c}?lang=${lang}`,
    `/api/v1/indicators/${c}/data?lang=${lang}`,
    `/api/v1/dimensions?lang=${lang}`,
  ];
}
