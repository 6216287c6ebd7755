import './zod-jitless.ts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PrefsProvider } from './app/prefs.tsx';
import { router } from './app/router.tsx';
import { SessionProvider } from './app/session.tsx';
import { isolateNumbersInPage } from './format/isolate-numbers-in-page.ts';
import { initI18n } from './i18n/i18n.ts';
import './app/styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 60_000,
      retry: (n, err) =>
        n < 2 && !(err instanceof Error && 'status' in err && (err as { status: number }).status < 500),
    },
  },
});

await initI18n();
// biome-ignore lint/style/noNonNullAssertion: index.html has it
const root = document.getElementById('root')!;
isolateNumbersInPage(root);
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <PrefsProvider history={router.history}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </PrefsProvider>
    </QueryClientProvider>
  </StrictMode>,
);
