import { type ReactNode, useId, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The box of a table that scrolls sideways inside the page on a narrow screen (the page itself never
 * does). When the table is wider than the box, a line above it says so, shadows mark the edges that hide
 * more columns, and the box takes the keyboard focus (arrow keys scroll it) as a region named by that line.
 * Until it is measured (a page drawn on the server, before or without its JavaScript) the box is focusable, named
 * by the same words, since it may scroll.
 */
export function TableScroll({ children, className }: { children: ReactNode; className?: string }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const hintId = useId();
  const [overflows, setOverflows] = useState<boolean | null>(null);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setOverflows(el.scrollWidth > el.clientWidth + 1);
    // First measured by the observer, after the browser's own layout: measuring here would force a layout of the
    // whole page while React writes it (~70 ms on a page with a table of 200 rows).
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    for (const child of el.children) observer.observe(child);
    return () => observer.disconnect();
  }, []);
  return (
    <>
      {overflows && (
        <p className="table-scroll-hint" id={hintId}>
          <span aria-hidden="true">↔</span> {t('layout.tableScroll')}
        </p>
      )}
      <div
        ref={box}
        className={className ? `table-scroll ${className}` : 'table-scroll'}
        data-overflows={overflows ?? 'unknown'}
        // Focusable only when there is something to scroll to (WCAG 2.1.1; axe's scrollable-region-focusable).
        {...(overflows
          ? { tabIndex: 0, role: 'region', 'aria-labelledby': hintId }
          : overflows === null
            ? { tabIndex: 0, role: 'region', 'aria-label': t('layout.tableScroll') }
            : {})}
      >
        {children}
      </div>
    </>
  );
}
