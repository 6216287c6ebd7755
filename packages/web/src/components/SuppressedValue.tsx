import { useTranslation } from 'react-i18next';
import { usePrefs } from '../app/prefs.tsx';

/**
 * A value as the reader may see it (docs/methods/suppression.md): a number; "fewer than N" when
 * the indicator's suppression rule withholds it; for a reader allowed to see a suppressed value
 * (focal points and validators of the place, administrators), the number with the mark "hidden
 * from the public". Charts, maps and medians leave withheld values out (see `shownValue`).
 */
export function ValueText({
  value,
  suppressedBelow,
  digits = 4,
}: {
  value: number | null;
  suppressedBelow?: number | null;
  digits?: number;
}) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const below = suppressedBelow ?? null;
  if (value === null) {
    if (below === null) return <>—</>;
    return (
      <span className="suppressed" title={t('suppression.explain', { count: below, n: num(below, 0) })}>
        {t('suppression.fewerThan', { n: num(below, 0) })}
      </span>
    );
  }
  return (
    <>
      {num(value, digits)}
      {below !== null && (
        <>
          {' '}
          <span className="tag warn">{t('suppression.hiddenFromPublic', { n: num(below, 0) })}</span>
        </>
      )}
    </>
  );
}

/** Whether any of the values is withheld from this reader or marked as hidden from the public. */
export function anySuppressed(items: { suppressedBelow?: number | null }[]): boolean {
  return items.some((i) => i.suppressedBelow !== null && i.suppressedBelow !== undefined);
}

/** The note under a table with suppressed values: what "fewer than N" means. */
export function SuppressionNote() {
  const { t } = useTranslation();
  return <p className="small muted">{t('suppression.note')}</p>;
}

/** Values a chart or a summary may use: those the reader sees (a withheld value is left out). */
export function shownValue<T extends { value: number | null }>(item: T): item is T & { value: number } {
  return item.value !== null;
}
