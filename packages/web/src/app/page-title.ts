import { useEffect } from 'react';

/**
 * The document's title follows the page shown: its heading (`main h1`), then the site's name
 * ("16.1.1 Victims of intentional homicide… — Marsad"), in the page's language, so that a tab, a
 * bookmark, the history and a screen reader announcing the page name it, not the site only. Watched
 * with a MutationObserver, since a page writes its heading when its data arrives.
 */
export function usePageTitle(siteName: string): void {
  useEffect(() => {
    const main = document.getElementById('main');
    if (!main) return;
    const update = () => {
      const h1 = main.querySelector('h1')?.textContent?.replace(/\s+/g, ' ').trim();
      const title = h1 && h1 !== siteName ? `${h1} — ${siteName}` : siteName;
      if (document.title !== title) document.title = title;
    };
    update();
    const observer = new MutationObserver(update);
    observer.observe(main, { subtree: true, childList: true, characterData: true });
    return () => observer.disconnect();
  }, [siteName]);
}
