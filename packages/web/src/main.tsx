import { type DehydratedState, hydrate, QueryClient } from '@tanstack/react-query';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { AppRoot, QUERY_DEFAULTS } from './app/app-root.tsx';
import { onPageShown } from './app/page-shown.tsx';
import { createAppRouter } from './app/router.tsx';
import { isolateNumbersInPage } from './format/isolate-numbers-in-page.ts';
import { initI18n } from './i18n/i18n.ts';
import { registerWorker } from './offline/register-worker.ts';
import { SERVER_STATE_ID } from './server-state.ts';
import './app/styles.css';

const queryClient = new QueryClient({ defaultOptions: QUERY_DEFAULTS });
const router = createAppRouter();

// biome-ignore lint/style/noNonNullAssertion: index.html has it
const root = document.getElementById('root')!;
// A page the server rendered (packages/server/src/web/page-render.ts) comes with the API answers it was made
// of: the app starts from them and takes over the page's HTML (hydration) instead of drawing it again.
const state = document.getElementById(SERVER_STATE_ID);
const drawn = Boolean(state?.textContent && root.firstElementChild);
// A drawn page is a public page for a reader without a session: the messages of the public pages are enough.
// Else the reader may be signed in, and the pages of work are likely: their messages come at once too.
await initI18n(!drawn);
if (state?.textContent && drawn) {
  hydrate(queryClient, JSON.parse(state.textContent) as DehydratedState);
  // The page's code and the route's data are loaded before React compares its first render with the HTML; the
  // router is told the page came from a server, so that it draws the same tree (no Suspense around the root).
  router.ssr = { manifest: undefined };
  await router.load();
  // Numbers are isolated once the page's HTML is React's (changing its text before would make the two differ).
  let isolating = false;
  onPageShown(() => {
    if (isolating) return;
    isolating = true;
    // The moment the page answers to the reader (bench/web/first-heading.ts reads it: the code loaded before it).
    performance.mark('marsad:interactive');
    isolateNumbersInPage(root);
  });
  hydrateRoot(root, <AppRoot queryClient={queryClient} router={router} />, {
    // A part the server could not draw (a chart whose code loads later) is drawn here: expected, not reported.
    onRecoverableError: (error) => {
      if (!(error instanceof Error && /could not finish this Suspense boundary|React error #419\b/.test(error.message)))
        console.warn('Part of the page was drawn again in the browser:', error);
    },
  });
} else {
  isolateNumbersInPage(root);
  createRoot(root).render(<AppRoot queryClient={queryClient} router={router} />);
}
// Installable, and the pages used kept for a time without a connection (issue 21): the built app only.
if (import.meta.env.PROD) registerWorker();
