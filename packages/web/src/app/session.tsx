import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext } from 'react';
import { isNetworkError, offlineUser, rememberOfflineUser } from '../offline/offline-db.ts';

export interface SessionUser {
  id: number;
  email: string;
  displayName: string | null;
}
export interface SessionRole {
  role: string;
  place: string | null;
  placeName?: string | null;
}
interface Me {
  user: SessionUser;
  roles: SessionRole[];
  csrfToken: string;
}

interface Session {
  me: Me | null;
  loading: boolean;
  /** Sends a state-changing request with the session's CSRF token. */
  send(path: string, method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', body?: unknown): Promise<Response>;
  refresh(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** The server sets a readable "marsad_signed_in" cookie beside the HttpOnly session cookie. */
function maybeSignedIn(): boolean {
  // The server renders pages for readers without a session only (src/entry-server.tsx).
  if (typeof document === 'undefined') return false;
  return document.cookie.split(';').some((c) => c.trim().startsWith('marsad_signed_in=1'));
}

async function fetchMe(): Promise<Me | null> {
  if (!maybeSignedIn()) return null;
  let res: Response;
  try {
    res = await fetch('/api/v1/auth/me', { headers: { Accept: 'application/json' } });
  } catch (e) {
    // No connection: the user last read online on this device, to open their offline work (issue 21).
    const kept = isNetworkError(e) ? offlineUser<Omit<Me, 'csrfToken'>>() : null;
    if (kept) return { ...kept, csrfToken: '' };
    throw e;
  }
  if (res.status === 401) return null;
  if (!res.ok) throw new Error(`${res.status}`);
  const me = (await res.json()) as Me;
  rememberOfflineUser({ user: me.user, roles: me.roles });
  return me;
}

/** Who is signed in (cookie session), and a way to make writes with the CSRF token. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const me = useQuery({ queryKey: ['me'], queryFn: fetchMe, staleTime: 30_000, retry: false });
  const refresh = useCallback(async () => {
    await client.invalidateQueries({ queryKey: ['me'] });
  }, [client]);
  const send = useCallback(
    async (path: string, method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', body?: unknown) => {
      const csrf = me.data?.csrfToken;
      return fetch(`/api/v1${path}`, {
        method,
        // No Content-Type without a body: the server refuses an empty JSON body.
        headers: {
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          Accept: 'application/json',
          ...(csrf ? { 'X-CSRF-Token': csrf } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
    [me.data?.csrfToken],
  );
  return (
    <SessionContext.Provider value={{ me: me.data ?? null, loading: me.isPending, send, refresh }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

export async function messageOf(res: Response): Promise<string> {
  try {
    return ((await res.json()) as { message?: string }).message ?? res.statusText;
  } catch {
    return res.statusText;
  }
}
