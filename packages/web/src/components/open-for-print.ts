import { useEffect } from 'react';

/** The folded lists that a printed page shows open: the figures' lists, and any marked `print-open`. */
const FOLDED = 'details.figure-list, details.print-open';

/** Opens the page's folded lists, so that print shows what they hold. */
export function openFoldedForPrint(): void {
  for (const d of document.querySelectorAll(FOLDED)) d.setAttribute('open', '');
}

/** Opens the folded lists whenever the page is printed (the browser's own print command included). */
export function useOpenFoldedWhenPrinting(): void {
  useEffect(() => {
    window.addEventListener('beforeprint', openFoldedForPrint);
    return () => window.removeEventListener('beforeprint', openFoldedForPrint);
  }, []);
}
