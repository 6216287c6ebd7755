import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Names, Page, PlaceItem } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { UserText } from '../../components/UserText.tsx';
import { stateLabel } from './review-api.ts';
import './reviews.css';

/** Names of places by code (reviewers' countries are place codes). */
export function usePlaceNames(): (code: string) => Names | undefined {
  const places = useQuery({
    queryKey: ['places', 'all-names'],
    staleTime: 300_000,
    queryFn: () => getJson<Page<PlaceItem>>('/places', { limit: 1000 }),
  });
  const map = new Map((places.data?.items ?? []).map((p) => [p.code, p.names]));
  return (code) => map.get(code);
}

/** Countries by name, joined (never a reviewer's name). */
export function Countries({ codes }: { codes: string[] }) {
  const names = usePlaceNames();
  if (!codes.length) return <span className="muted">—</span>;
  return (
    <>
      {codes.map((c, i) => (
        <span key={c}>
          {i > 0 ? '، ' : ''}
          <UserText names={names(c)} fallbackText={c} />
        </span>
      ))}
    </>
  );
}

export function StateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return <span className={`badge review-state state-${state}`}>{stateLabel(t, state)}</span>;
}

/** Text written by users in several languages: each shown, marked with its language. */
export function WrittenTexts({ texts }: { texts: Names }) {
  const entries = Object.entries(texts).filter(([, v]) => v.trim());
  const { lang } = usePrefs();
  entries.sort(([a], [b]) => (a === lang ? -1 : b === lang ? 1 : 0));
  return (
    <>
      {entries.map(([l, v]) => (
        <div key={l} className="written" lang={l === 'und' ? undefined : l}>
          <p className="small muted" lang={undefined}>
            <LanguageName code={l} />
          </p>
          <p dir="auto" className="long-answer">
            {v}
          </p>
        </div>
      ))}
    </>
  );
}

/** A language's name in the reader's language (Intl.DisplayNames). */
export function LanguageName({ code }: { code: string }) {
  const { lang } = usePrefs();
  let name = code;
  try {
    name = new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
  } catch {
    /* an unusual code */
  }
  return <>{name}</>;
}

/** A UN M49 region's name in the reader's language (CLDR knows the M49 codes), else the API's English name. */
export function regionName(code: string, fallback: string, lang: string): string {
  try {
    const n = new Intl.DisplayNames([lang], { type: 'region' }).of(code);
    if (n && n !== code) return n;
  } catch {
    /* not a code CLDR knows */
  }
  return fallback;
}
