/**
 * The server's renderer of the app's pages (issue 16; docs/decisions/0007-server-rendered-pages.md). The
 * server (packages/server/src/web/page-render.ts) loads this module, built by Vite into dist-server/, and asks
 * it for a page's HTML in the language of its address, for a reader without a session: the page as the app
 * would draw it once its data has arrived, and the API answers it was drawn from, which the browser's app
 * starts from (main.tsx) instead of asking for them again.
 *
 * A page's data is found by drawing it: each drawing creates the queries the page asks for; those not yet
 * answered are fetched (through the server's own API, in process), and the page is drawn again, until a
 * drawing asks for nothing new. Drawing is synchronous (renderToString) and done one page at a time, since
 * the language of i18next is the process's; the fetching between drawings is not.
 */
import './zod-jitless.ts';
import { dehydrate, QueryClient } from '@tanstack/react-query';
import { createMemoryHistory } from '@tanstack/react-router';
import { renderToString } from 'react-dom/server';
import { type ApiFetch, setApiFetch } from './api/client.ts';
import { AppRoot, QUERY_DEFAULTS } from './app/app-root.tsx';
import { createAppRouter } from './app/router.tsx';
import { i18next, initI18nOnServer } from './i18n/i18n.ts';
import type { Lang } from './i18n/languages.ts';

export { SERVER_STATE_ID } from './server-state.ts';

/** A page drawn on the server. */
export interface RenderedPage {
  /** The HTML of the app's root element. */
  html: string;
  /** The page's API answers, as JSON for the browser's app (TanStack Query's dehydrated state). */
  state: string;
  /** The page's title: its heading (`main h1`) and the site's name, as the browser's app writes it (app/page-title.ts). */
  title: string;
}

/** Why a page was not drawn on the server (it is then drawn in the browser, as before). */
export class NotRendered extends Error {}

/** Drawings of a page at most: a page whose queries depend on answers asks in rounds. */
const MAX_PASSES = 5;

let queue: Promise<unknown> = Promise.resolve();
/** Runs `f` after the drawings before it: one page at a time holds the process's language. */
function oneAtATime<T>(f: () => T): Promise<T> {
  const run = queue.then(f);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * The page at `url` (its address with language prefix and query) in `lang`, its data read with `fetchApi`.
 * `maxStateBytes`: a page whose answers are larger is not drawn here (NotRendered), so that no page carries
 * megabytes of JSON; the browser then asks for them itself.
 */
export async function renderPage(
  url: string,
  lang: Lang,
  fetchApi: ApiFetch,
  maxStateBytes = 1024 * 1024,
): Promise<RenderedPage> {
  await initI18nOnServer();
  const queryClient = new QueryClient({
    defaultOptions: { queries: { ...QUERY_DEFAULTS.queries, retry: false, staleTime: Number.POSITIVE_INFINITY } },
  });
  const router = createAppRouter(createMemoryHistory({ initialEntries: [url] }));
  // The route is matched and its page's code loaded, so that the drawing below does not wait on it.
  await router.load();
  const tried = new Set<string>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const { html, fetching } = await oneAtATime(() => {
      // The API and the language are the process's: set for this page inside its turn, where its queries start
      // (a query reads both as it starts, before its first wait).
      setApiFetch(fetchApi);
      if (i18next.language !== lang) void i18next.changeLanguage(lang);
      // The router's scroll-restoring script is left out: the site's Content-Security-Policy allows no inline
      // script, and the app restores the scroll once it runs.
      const html = renderToString(<AppRoot queryClient={queryClient} router={router} />).replace(
        /<script\b[^>]*>(?:(?!<\/script>)[\s\S])*document\.currentScript\.remove\(\)<\/script>/g,
        '',
      );
      const fetching: Promise<void>[] = [];
      for (const q of queryClient.getQueryCache().getAll()) {
        if (q.state.status !== 'pending' || q.state.fetchStatus !== 'idle' || tried.has(q.queryHash)) continue;
        const enabled = (q.options as { enabled?: unknown }).enabled;
        if (enabled === false || (typeof enabled === 'function' && !enabled(q))) continue;
        tried.add(q.queryHash);
        fetching.push(queryClient.prefetchQuery({ queryKey: q.queryKey, queryFn: q.options.queryFn }));
      }
      return { html, fetching };
    });
    if (fetching.length === 0) {
      const failed = queryClient
        .getQueryCache()
        .getAll()
        .find((q) => q.state.status === 'error');
      if (failed) throw new NotRendered(`a query failed: ${JSON.stringify(failed.queryKey)}`);
      if (!html.includes('<main')) throw new NotRendered('nothing was drawn');
      const state = JSON.stringify(dehydrate(queryClient));
      if (state.length > maxStateBytes) throw new NotRendered(`its data is ${state.length} bytes`);
      const site = i18next.getFixedT(lang)('app.name');
      const heading = headingOf(html);
      return { html, state, title: heading && heading !== site ? `${heading} — ${site}` : site };
    }
    await Promise.all(fetching);
  }
  throw new NotRendered(`it still asked for data after ${MAX_PASSES} drawings`);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };

/** The text of the first `h1` inside `main` of the HTML React wrote (escaped as React escapes). */
function headingOf(html: string): string | null {
  const main = html.indexOf('<main');
  const m = /<h1\b[^>]*>([\s\S]*?)<\/h1>/.exec(main >= 0 ? html.slice(main) : html);
  if (!m?.[1]) return null;
  const text = m[1]
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e: string) => ENTITIES[e] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return text || null;
}
