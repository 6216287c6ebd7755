import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { PlaceDetail } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { useFieldProblems } from '../../components/field-problems.ts';
import { formatPercent, localeTag } from '../../format/numbers.ts';
import { isAdministrator } from '../admin/admin-api.ts';
import { resultsProblemsOf } from './programme-labels.ts';
import type { ProgrammeView, ResultView } from './programme-types.ts';

/** Shares (0–1) and percent changes in the reader's language and digits. */
export function usePercent() {
  const { lang, digits } = usePrefs();
  return {
    /** 0.456 → "46 %" (Arabic "٤٦٪"). */
    share: (v: number | null | undefined) =>
      v === null || v === undefined || !Number.isFinite(v)
        ? '—'
        : new Intl.NumberFormat(localeTag(lang, digits), { style: 'percent', maximumFractionDigits: 0 }).format(v),
    /** −16.51 (a percent) → "−16.5 %", with its sign. */
    change: (percent: number | null | undefined) =>
      percent === null || percent === undefined || !Number.isFinite(percent)
        ? '—'
        : formatPercent(percent / 100, lang, digits),
  };
}

/** The messages of the limits the forms check before sending, with the reader's digits. */
export function useLimitMessages() {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const year = useYear();
  return {
    year: t('programmes.error.year', { from: year(1900), to: year(2100) }),
    percent: t('programmes.error.percent', { from: num(0, 0), to: num(100, 0) }),
  };
}

/** A year as a label: the reader's digits, no group separator. */
export function useYear() {
  const { num } = usePrefs();
  return (y: number | null | undefined) => (y === null || y === undefined ? '—' : num(y, 0).replace(/[,٬\s]/g, ''));
}

/**
 * Progress as a bar and its number in words: the bar is decorative (aria-hidden), the number
 * is the text; coverage says what share of the measures the figure rests on.
 */
export function ProgressFigure({
  progress,
  coverage,
  showCoverage = true,
  label,
}: {
  progress: number | null;
  coverage?: number;
  showCoverage?: boolean;
  /** The words around the number, e.g. "Overall progress: {pct}" (default "Progress {pct}"). */
  label?: (pct: string) => string;
}) {
  const { t } = useTranslation();
  const pct = usePercent();
  if (progress === null)
    return (
      <span className="progress-figure progress-none small muted" data-progress="">
        {t('programmes.progressNone')}
      </span>
    );
  const width = Math.max(0, Math.min(1, progress)) * 100;
  return (
    <span className="progress-figure">
      <span className="progress-text" data-progress={progress}>
        {label ? label(pct.share(progress)) : t('programmes.progressValue', { pct: pct.share(progress) })}
      </span>
      <span className="progress-track" aria-hidden="true">
        <span className="progress-fill" style={{ inlineSize: `${width}%` }} />
      </span>
      {showCoverage && coverage !== undefined && (
        <span className="progress-coverage small muted">{t('programmes.coverage', { pct: pct.share(coverage) })}</span>
      )}
    </span>
  );
}

// ---- who may edit --------------------------------------------------------------------------

export interface Rights {
  /** Whether the reader may edit anything here (shows the edit switch). */
  any: boolean;
  admin: boolean;
  /** Whether the reader may edit this result, its measures and the results under it that they hold. */
  result(r: ResultView): boolean;
}

function allPlaces(results: ResultView[]): string[] {
  const out = new Set<string>();
  const walk = (rs: ResultView[]) =>
    rs.forEach((r) => {
      for (const p of r.places) out.add(p.place);
      walk(r.children);
    });
  walk(results);
  return [...out];
}

/**
 * What the signed-in reader may edit (the API decides; this only hides controls it would
 * refuse): administrators everything; national focal points the results whose responsible
 * places are all within the countries they hold (docs/methods/results.md, "Who may change what").
 */
export function useRights(programme: ProgrammeView | undefined): Rights {
  const { me } = useSession();
  const { lang } = usePrefs();
  const admin = isAdministrator(me?.roles);
  const held = (me?.roles ?? []).filter((r) => r.role === 'national-focal-point' && r.place).map((r) => r.place!);
  const codes = !admin && held.length && programme ? allPlaces(programme.results) : [];
  const places = useQueries({
    queries: codes.map((code) => ({
      queryKey: ['place', code, lang],
      queryFn: () => getJson<PlaceDetail>(`/places/${encodeURIComponent(code)}`, { lang }),
      staleTime: 300_000,
    })),
  });
  const within = (code: string) => {
    if (held.includes(code)) return true;
    const i = codes.indexOf(code);
    const detail = i >= 0 ? places[i]?.data : undefined;
    return !!detail?.ancestors.some((a) => held.includes(a.code));
  };
  return {
    any: admin || held.length > 0,
    admin,
    result: (r) => admin || (held.length > 0 && r.places.length > 0 && r.places.every((p) => within(p.place))),
  };
}

// ---- forms -------------------------------------------------------------------------------

/**
 * The field a path of the API names: "body.baseline.year" → "baseline.year"; aliases map whole-record paths to a field.
 */
export function fieldOfPath(aliases: Record<string, string> = {}) {
  return (path: string | null): string | null => {
    if (!path) return null;
    const p = path
      .split('.')
      .filter((s) => !/^\d+$/.test(s))
      .join('.');
    return aliases[p] ?? p;
  };
}

const defaultFieldOf = fieldOfPath();

/**
 * Problems of a form sent to the results API (components/field-problems.ts): those tied to a
 * field are shown next to it (a second one on the same field is left out), the others above
 * the buttons; after a failed submit, focus moves to the first field in error, or to the message.
 */
export function useResultsForm(
  known: readonly string[],
  fieldOf: (path: string | null) => string | null = defaultFieldOf,
) {
  return useFieldProblems(known, { read: resultsProblemsOf, fieldOf, repeated: 'drop' });
}

/** Texts by language from the inputs of a form: empty ones left out. */
export function texts(byLang: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(byLang)
      .map(([k, v]) => [k, v.trim()])
      .filter(([, v]) => v !== ''),
  );
}
