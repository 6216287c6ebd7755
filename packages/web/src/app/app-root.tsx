import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { OfflineProvider } from '../offline/offline-context.tsx';
import { PrefsProvider } from './prefs.tsx';
import type { createAppRouter } from './router.tsx';
import { SessionProvider } from './session.tsx';

/** The app's providers around its router: the same tree in the browser (main.tsx) and on the server (entry-server.tsx). */
export function AppRoot({
  queryClient,
  router,
}: {
  queryClient: QueryClient;
  router: ReturnType<typeof createAppRouter>;
}) {
  return (
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <PrefsProvider history={router.history}>
          <SessionProvider>
            <OfflineProvider>
              <RouterProvider router={router} />
            </OfflineProvider>
          </SessionProvider>
        </PrefsProvider>
      </QueryClientProvider>
    </StrictMode>
  );
}

/** The options of the app's queries, in the browser and on the server. */
export const QUERY_DEFAULTS = {
  queries: {
    staleTime: 60_000,
    retry: (n: number, err: unknown) =>
      n < 2 && !(err instanceof Error && 'status' in err && (err as { status: number }).status < 500),
  },
};
