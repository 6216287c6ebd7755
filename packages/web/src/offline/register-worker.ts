/**
 * Registers the service worker (public/sw.js, sent by the server with the build's stamp; issue 21) in the built app,
 * and tells it the addresses this page used before it was in control (the page, its files, its public data), to keep.
 */
export function registerWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  const start = () => {
    navigator.serviceWorker
      .register('/sw.js', { scope: '/' })
      .then(async () => {
        const ready = await navigator.serviceWorker.ready;
        const urls = [location.href, ...performance.getEntriesByType('resource').map((e) => e.name)];
        ready.active?.postMessage({ type: 'keep', urls });
      })
      .catch(() => {
        /* no worker (a private window, a browser that refuses it): the app works online */
      });
  };
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}

/** When the page shown was served by the worker from its cache (no connection): the moment it was kept. */
export function savedCopyDate(): string | null {
  if (typeof document === 'undefined') return null;
  return document.querySelector<HTMLMetaElement>('meta[name="marsad-saved-copy"]')?.content || null;
}
