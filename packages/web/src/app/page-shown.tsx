import { useEffect } from 'react';

let listener: (() => void) | null = null;

/** Calls `f` once each time a route's page is in the document (router.tsx); main.tsx listens. */
export function onPageShown(f: () => void): void {
  listener = f;
}

/** Rendered after each route's page: its effect runs once the page (and, when the server drew it, its HTML) is React's. */
export function PageShown() {
  useEffect(() => listener?.(), []);
  return null;
}
