import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiUrl, getJson } from '../../api/client.ts';
import type { Names } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Loading } from '../../components/States.tsx';
import { Field } from '../admin/forms.tsx';
import { fileSize } from '../knowledge/knowledge-api.ts';
import { MappingChoice, SaveMapping } from './MappingChoice.tsx';
import { RepositoryForm } from './RepositoryForm.tsx';
import { FORMATS, type Format, guessFromContent, guessFromName, type UploadAnswer, uploadFile } from './upload.ts';

/**
 * /import: a focal point or an administrator uploads a file of values (csv, Open SDG, SDMX,
 * DHIS2), of places or of boundaries; the server checks it (a dry run, nothing written) and
 * answers what would be created, changed, left and refused, row by row; then the user confirms.
 */

const WRITER_ROLES = ['administrator', 'national-focal-point', 'city-focal-point'];
const KINDS = ['observations', 'places', 'boundaries', 'repository'] as const;
type Kind = (typeof KINDS)[number];
/** Node refuses request lines beyond 16 kB: a mapping travels in the query string. */
const MAX_QUERY_CHARS = 12_000;
/** Problem codes the server gives (core EntryProblemCode): translated; the English message shown beside. */
const CODE_KEYS: Record<string, string> = {
  'below-min': 'import.code.below-min',
  'above-max': 'import.code.above-max',
  'wrong-unit': 'import.code.wrong-unit',
  'missing-part': 'import.code.missing-part',
  'parts-sum': 'import.code.parts-sum',
  'change-needs-comment': 'import.code.change-needs-comment',
};
/** Problems of the readers and of matching codes (the server's code and params): a message of their own. */
const PROBLEM_KEYS: Record<string, string> = {
  'cell-count': 'import.problem.cell-count',
  'unknown-place': 'import.problem.unknown-place',
  'no-place': 'import.problem.no-place',
  'not-in-code-list': 'import.problem.not-in-code-list',
  'bad-period': 'import.problem.bad-period',
  'not-a-number': 'import.problem.not-a-number',
  'unit-mismatch': 'import.problem.unit-mismatch',
  'duplicate-key': 'import.problem.duplicate-key',
  'duplicate-row': 'import.problem.duplicate-row',
};
/**
 * Why a file of a repository was skipped or refused, or an upload refused as a whole (the server's reason codes,
 * repository-reason-codes.ts: a file's `reasonCode`, an answer's `details.code`): a message of their own.
 */
const REASON_KEYS: Record<string, string> = {
  'not-translation-file': 'import.reason.not-translation-file',
  'not-data-file': 'import.reason.not-data-file',
  'no-indicator-in-name': 'import.reason.no-indicator-in-name',
  'not-metadata-file': 'import.reason.not-metadata-file',
  'not-indicator-config': 'import.reason.not-indicator-config',
  'archived-indicator': 'import.reason.archived-indicator',
  'yaml-syntax': 'import.reason.yaml-syntax',
  'yaml-unreadable': 'import.reason.yaml-unreadable',
  'yaml-not-fields': 'import.reason.yaml-not-fields',
  'front-matter-unclosed': 'import.reason.front-matter-unclosed',
  'unknown-indicator': 'import.reason.unknown-indicator',
  'rows-refused': 'import.reason.rows-refused',
  'boundaries-not-imported': 'import.reason.boundaries-not-imported',
  'boundaries-unreadable': 'import.reason.boundaries-unreadable',
  'no-areas': 'import.reason.no-areas',
  'no-matching-property': 'import.reason.no-matching-property',
  'empty-body': 'import.reason.empty-body',
  'not-a-zip': 'import.reason.not-a-zip',
  'no-data-folder': 'import.reason.no-data-folder',
  'duplicate-entry': 'import.reason.duplicate-entry',
  'entry-unreadable': 'import.reason.entry-unreadable',
  'entry-larger-than-declared': 'import.reason.entry-larger-than-declared',
  'zip-too-large': 'import.reason.zip-too-large',
  'too-many-entries': 'import.reason.too-many-entries',
  'unpacked-too-large': 'import.reason.unpacked-too-large',
  'inflated-too-large': 'import.reason.inflated-too-large',
  'unknown-place': 'import.reason.unknown-place',
};
/** First-strong isolate: a value (a code, a number, a name) keeps its own direction inside the message. */
const isolate = (v: string | number) => `\u2068${v}\u2069`;
const FORMAT_KEYS: Record<Format, string> = {
  csv: 'import.formats.csv',
  'open-sdg': 'import.formats.open-sdg',
  'sdmx-csv': 'import.formats.sdmx-csv',
  'sdmx-json': 'import.formats.sdmx-json',
  'sdmx-ml': 'import.formats.sdmx-ml',
  dhis2: 'import.formats.dhis2',
};
const KIND_KEYS: Record<Kind, string> = {
  observations: 'import.kinds.observations',
  places: 'import.kinds.places',
  boundaries: 'import.kinds.boundaries',
  repository: 'import.kinds.repository',
};
/** The API's options: label and hint. */
const FLAG_KEYS = {
  createPlaces: ['import.flag.createPlaces', 'import.flag.createPlacesHint'],
  extendCodes: ['import.flag.extendCodes', 'import.flag.extendCodesHint'],
  newSeriesForUnits: ['import.flag.newSeriesForUnits', 'import.flag.newSeriesForUnitsHint'],
  skipUnmapped: ['import.flag.skipUnmapped', 'import.flag.skipUnmappedHint'],
  createIndicators: ['import.flag.createIndicators', 'import.flag.createIndicatorsHint'],
} as const;
const ACTION_KEYS: Record<string, string> = {
  create: 'import.action.create',
  update: 'import.action.update',
  unchanged: 'import.action.unchanged',
};

export interface Problem {
  at: number | string | null;
  column?: string | null;
  message: string;
  code?: string;
  params?: Record<string, string | number>;
}
export interface FormError {
  field: string;
  text: ReactNode;
}

export interface PlaceOption {
  code: string;
  level: string;
  names: Names;
}

/** The places of the user's roles and those below them (administrators: the countries and the cities too). */
function useMyPlaces(): PlaceOption[] {
  const { me } = useSession();
  const { lang } = usePrefs();
  const admin = !!me?.roles.some((r) => r.role === 'administrator');
  const roots = [...new Set((me?.roles ?? []).flatMap((r) => (r.place ? [r.place] : [])))];
  const q = useQuery({
    queryKey: ['import-places', roots.join(','), admin, lang],
    enabled: !!me,
    queryFn: async () => {
      const lists = await Promise.all([
        ...roots.map((code) => getJson<PlaceOption>(`/places/${encodeURIComponent(code)}`).then((p) => [p])),
        ...roots.map((code) =>
          getJson<{ items: PlaceOption[] }>('/places', { within: code, limit: 500 }).then((r) => r.items),
        ),
        ...(admin
          ? (['country', 'city'] as const).map((level) =>
              getJson<{ items: PlaceOption[] }>('/places', { level, limit: 500 }).then((r) => r.items),
            )
          : []),
      ]);
      const seen = new Set<string>();
      return lists.flat().filter((p) => !seen.has(p.code) && !!seen.add(p.code));
    },
  });
  return q.data ?? [];
}

export function PlaceSelect({
  id,
  value,
  onChange,
  places,
  hint,
}: {
  id: string;
  value: string;
  onChange(v: string): void;
  places: PlaceOption[];
  hint?: boolean;
}) {
  const { t } = useTranslation();
  const { text } = usePrefs();
  const order = ['city', 'district', 'region', 'country'];
  const levels = [...new Set(places.map((p) => p.level))].sort(
    (a, b) => ((order.indexOf(a) + 5) % 5) - ((order.indexOf(b) + 5) % 5),
  );
  const option = (p: PlaceOption) => (
    <option key={p.code} value={p.code}>
      {text(p.names).text || p.code} ({p.code})
    </option>
  );
  return (
    <select
      id={id}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      aria-describedby={hint ? `${id}-hint` : undefined}
    >
      <option value="">{t('import.place.none')}</option>
      {levels.length > 1
        ? // Several kinds of place (an administrator's countries and cities): grouped by kind, cities first.
          levels.map((level) => (
            <optgroup key={level} label={t(`level.${level}`, { defaultValue: level })}>
              {places.filter((p) => p.level === level).map(option)}
            </optgroup>
          ))
        : places.map(option)}
    </select>
  );
}

/** Errors found before sending, each a link to its field; takes focus when it appears. */
export function ErrorSummary({ errors }: { errors: FormError[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length) ref.current?.focus();
  }, [errors]);
  if (!errors.length) return null;
  return (
    <div ref={ref} className="notice warn error-summary" role="alert" tabIndex={-1}>
      <h2>{t('import.errorSummary')}</h2>
      <ul>
        {errors.map((e, i) => (
          <li key={i}>
            {e.field ? (
              <a
                href={`#${e.field}`}
                onClick={(ev) => {
                  ev.preventDefault();
                  document.getElementById(e.field)?.focus();
                }}
              >
                {e.text}
              </a>
            ) : (
              e.text
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** English text from the server, marked so inside a page in another language. */
export function English({ children }: { children: ReactNode }) {
  return (
    <span lang="en" dir="ltr">
      {children}
    </span>
  );
}

/**
 * A refusal that is not a list of rows, after a translated lead: said in the user's language when the answer gives
 * a code the catalogs know (`details.code`, `details.params`), else the server's message (English).
 */
export function answerError(t: (k: string) => string, a: UploadAnswer): ReactNode {
  const body = a.body as { message?: string; details?: { code?: unknown; params?: unknown } } | null;
  const message = body?.message ?? String(a.status);
  const code = typeof body?.details?.code === 'string' ? body.details.code : undefined;
  const params = body?.details?.params;
  const lead =
    a.status === 401
      ? t('import.error.signIn')
      : a.status === 403
        ? t('import.error.forbidden')
        : a.status === 413
          ? t('import.error.tooLarge')
          : t('import.error.refused');
  return (
    <>
      {lead}{' '}
      <ReasonText
        code={code}
        params={params && typeof params === 'object' ? (params as Record<string, string | number>) : undefined}
        fallback={message}
      />
    </>
  );
}

/** Whether the catalogs have a message for the reason code. */
export const knownReason = (code: string | undefined): code is string => !!code && Object.hasOwn(REASON_KEYS, code);

/**
 * A reason given as a code (REASON_KEYS) in the user's language: numbers in the reader's digits (sizes in bytes as
 * sizes), names and paths isolated, a library's English words (`detail`) beside; an unknown code: the English text.
 */
export function ReasonText({
  code,
  params,
  fallback,
}: {
  code: string | undefined;
  params: Record<string, string | number> | undefined;
  fallback: string;
}) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  if (!knownReason(code)) return <English>{fallback}</English>;
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    if (k === 'detail') continue;
    values[k] = typeof v === 'number' ? (/bytes$/i.test(k) ? fileSize(num, t, v) : num(v, 0)) : isolate(String(v));
  }
  const detail = typeof params?.detail === 'string' ? params.detail : '';
  return (
    <span data-reason={code}>
      {t(REASON_KEYS[code] ?? '', values)}
      {detail && (
        <>
          {' '}
          {t('import.reasonDetail')} <English>{detail}</English>
        </>
      )}
    </span>
  );
}

/**
 * A problem in the user's language: a reader's problem from the catalog with its values isolated; a rule broken,
 * named, with the server's English message; else the English message.
 */
export function ProblemText({ p }: { p: Pick<Problem, 'code' | 'params' | 'message'> }) {
  const { t } = useTranslation();
  if (p.code && PROBLEM_KEYS[p.code])
    return (
      <span data-problem={p.code}>
        {t(
          PROBLEM_KEYS[p.code] ?? '',
          Object.fromEntries(Object.entries(p.params ?? {}).map(([k, v]) => [k, isolate(v)])),
        )}
      </span>
    );
  return (
    <>
      {p.code && CODE_KEYS[p.code] && (
        <>
          <strong>{t(CODE_KEYS[p.code] ?? '')}</strong>{' '}
        </>
      )}
      <English>{p.message}</English>
    </>
  );
}

function ProblemTable({
  id,
  caption,
  problems,
  total,
}: {
  id: string;
  caption: string;
  problems: Problem[];
  total: number;
}) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  if (!problems.length) return null;
  return (
    <table className="data import-problems" id={id}>
      <caption>
        {caption}{' '}
        {total > problems.length && (
          <span className="small muted">
            {t('import.firstOf', { shown: num(problems.length, 0), total: num(total, 0) })}
          </span>
        )}
      </caption>
      <thead>
        <tr>
          <th scope="col">{t('import.col.row')}</th>
          <th scope="col">{t('import.col.column')}</th>
          <th scope="col">{t('import.col.reason')}</th>
        </tr>
      </thead>
      <tbody>
        {problems.map((p, i) => (
          <tr key={i}>
            <td className="num">
              {typeof p.at === 'number' ? num(p.at, 0) : p.at ? <bdi dir="ltr">{p.at}</bdi> : '—'}
            </td>
            <td>{p.column ? <bdi dir="auto">{p.column}</bdi> : '—'}</td>
            <td>
              <ProblemText p={p} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Counts({ items }: { items: [string, number][] }) {
  const { num } = usePrefs();
  return (
    <dl className="import-counts">
      {items.map(([label, n]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{num(n, 0)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The sending state: a progress bar while the file goes up, then "checking". */
export function Progress({ sent, total }: { sent: number; total: number }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const done = total > 0 && sent >= total;
  return (
    <div className="import-progress">
      <label htmlFor="import-progress">{done ? t('import.checking') : t('import.sending')}</label>{' '}
      <progress id="import-progress" max={total || 1} value={done ? undefined : sent}>
        {total ? num((100 * sent) / total, 0) : ''}
      </progress>
    </div>
  );
}

/** The result region: announced politely; its heading takes focus when a new answer arrives. */
export function ResultRegion({ children, stamp }: { children: ReactNode; stamp: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (stamp) ref.current?.querySelector<HTMLElement>('h2')?.focus();
  }, [stamp]);
  return (
    <div ref={ref} aria-live="polite" className="import-result">
      {children}
    </div>
  );
}

/** A file of values. */
interface ImportAnswer {
  batchId: number;
  state: 'committed' | 'failed' | 'dry-run';
  counts: {
    read: number;
    skipped: number;
    errors: number;
    warnings: number;
    inserted: number;
    updated: number;
    unchanged: number;
  };
  errors: Problem[];
  warnings: Problem[];
  skipped: { at: number | string; reason: string }[];
  created: { kind: string; code: string; detail?: string }[];
  notices: string[];
  errorReport: string | null;
}

export function useSender() {
  const { me } = useSession();
  const [busy, setBusy] = useState<{ sent: number; total: number } | null>(null);
  const send = async (url: string, file: File): Promise<UploadAnswer | null> => {
    setBusy({ sent: 0, total: file.size });
    try {
      return await uploadFile(url, file, me?.csrfToken, (sent, total) => setBusy({ sent, total }));
    } catch {
      return null;
    } finally {
      setBusy(null);
    }
  };
  return { busy, send };
}

function ObservationsForm({ places, approve, admin }: { places: PlaceOption[]; approve: boolean; admin: boolean }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<Format>('csv');
  const [indicator, setIndicator] = useState('');
  const [place, setPlace] = useState('');
  const [status, setStatus] = useState('provisional');
  const [unit, setUnit] = useState('');
  const [mapping, setMapping] = useState<File | null>(null);
  const [savedMapping, setSavedMapping] = useState('');
  const [flags, setFlags] = useState<Record<string, boolean>>({});
  const [errors, setErrors] = useState<FormError[]>([]);
  const [answer, setAnswer] = useState<{ a: ImportAnswer; stamp: number } | null>(null);
  const { busy, send } = useSender();
  const touch = () => setAnswer(null);
  const flagNames: (keyof typeof FLAG_KEYS)[] = [
    'createPlaces',
    'extendCodes',
    'newSeriesForUnits',
    ...(format === 'dhis2' ? (['skipUnmapped'] as const) : []),
    ...(admin ? (['createIndicators'] as const) : []),
  ];

  const run = async (dryRun: boolean) => {
    const found: FormError[] = [];
    if (!file) found.push({ field: 'import-file', text: t('import.error.noFile') });
    let mapText: string | undefined;
    if (mapping) {
      try {
        mapText = JSON.stringify(JSON.parse(await mapping.text()));
      } catch {
        found.push({ field: 'import-mapping', text: t('import.error.mappingJson') });
      }
    }
    const params = {
      format,
      fileName: file?.name,
      indicator: indicator.trim() || undefined,
      place: place || undefined,
      status,
      unit: unit.trim() || undefined,
      dryRun: dryRun ? true : undefined,
      ...Object.fromEntries(flagNames.filter((f) => flags[f]).map((f) => [f, true])),
      ...(mapText ? { [format === 'dhis2' ? 'dhis2Mapping' : 'map']: mapText } : {}),
      ...(savedMapping ? { [format === 'dhis2' ? 'dhis2MappingId' : 'mappingId']: savedMapping } : {}),
    };
    const url = apiUrl('/imports', params);
    if (url.length > MAX_QUERY_CHARS) found.push({ field: 'import-mapping', text: t('import.error.mappingLarge') });
    setErrors(found);
    if (found.length || !file) return;
    const a = await send(url, file);
    if (!a) return setErrors([{ field: '', text: t('import.error.network') }]);
    const body = a.body as Partial<ImportAnswer> | null;
    if (body?.counts && body.state) setAnswer({ a: body as ImportAnswer, stamp: Date.now() });
    else setErrors([{ field: '', text: answerError(t, a) }]);
  };

  return (
    <form
      className="import-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(true);
      }}
    >
      <ErrorSummary errors={errors} />
      <Field id="import-file" label={t('import.file')} hint={t('import.fileHint')}>
        <input
          id="import-file"
          type="file"
          accept=".csv,.json,.xml,text/csv,application/json,application/xml,text/xml"
          aria-describedby="import-file-hint"
          aria-invalid={errors.some((e) => e.field === 'import-file') || undefined}
          onChange={(e) => {
            const f = e.target.files?.[0] ?? null;
            setFile(f);
            touch();
            if (f) {
              const g = guessFromName(f.name);
              if (g.format) setFormat(g.format);
              if (g.indicator) setIndicator(g.indicator);
              // The start of the file tells an SDMX-ML, SDMX-JSON or DHIS2 message apart whatever its name.
              if (!g.indicator)
                void f
                  .slice(0, 4096)
                  .text()
                  .then((head) => {
                    const byContent = guessFromContent(head);
                    if (byContent) setFormat(byContent);
                  })
                  .catch(() => {});
            }
          }}
        />
      </Field>
      <Field id="import-format" label={t('import.format')}>
        <select
          id="import-format"
          value={format}
          onChange={(e) => {
            setFormat(e.target.value as Format);
            if ((e.target.value === 'dhis2') !== (format === 'dhis2')) setSavedMapping('');
            touch();
          }}
        >
          {FORMATS.map((f) => (
            <option key={f} value={f}>
              {t(FORMAT_KEYS[f])}
            </option>
          ))}
        </select>
      </Field>
      <Field id="import-indicator" label={t('import.indicator')} hint={t('import.indicatorHint')}>
        <input
          id="import-indicator"
          dir="ltr"
          value={indicator}
          aria-describedby="import-indicator-hint"
          onChange={(e) => {
            setIndicator(e.target.value);
            touch();
          }}
        />
      </Field>
      <Field id="import-place" label={t('import.place.label')} hint={t('import.place.hint')}>
        <PlaceSelect
          id="import-place"
          value={place}
          places={places}
          hint
          onChange={(v) => {
            setPlace(v);
            touch();
          }}
        />
      </Field>
      <Field
        id="import-status"
        label={t('import.status')}
        hint={approve ? t('import.statusHint') : t('import.statusProvisionalOnly')}
      >
        <select
          id="import-status"
          value={status}
          aria-describedby="import-status-hint"
          onChange={(e) => {
            setStatus(e.target.value);
            touch();
          }}
        >
          {(approve ? ['provisional', 'validated', 'approved'] : ['provisional']).map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id="import-unit" label={t('import.unit')} hint={t('import.unitHint')}>
        <input
          id="import-unit"
          dir="ltr"
          value={unit}
          aria-describedby="import-unit-hint"
          onChange={(e) => {
            setUnit(e.target.value);
            touch();
          }}
        />
      </Field>
      <fieldset className="import-options">
        <legend>{t('import.options')}</legend>
        {flagNames.map((f) => (
          <div key={f} className="check">
            <input
              type="checkbox"
              id={`import-${f}`}
              checked={!!flags[f]}
              aria-describedby={`import-${f}-hint`}
              onChange={(e) => {
                setFlags({ ...flags, [f]: e.target.checked });
                touch();
              }}
            />{' '}
            <label htmlFor={`import-${f}`}>{t(FLAG_KEYS[f][0])}</label>
            <p id={`import-${f}-hint`} className="hint">
              {t(FLAG_KEYS[f][1])}
            </p>
          </div>
        ))}
      </fieldset>
      <MappingChoice
        kind={format === 'dhis2' ? 'dhis2' : 'columns'}
        savedId={savedMapping}
        onSavedChange={(id) => {
          setSavedMapping(id);
          touch();
        }}
        onFileChange={(f) => {
          setMapping(f);
          touch();
        }}
        invalid={errors.some((e) => e.field === 'import-mapping')}
      />
      <p className="hint">{t('import.largeFiles')}</p>
      <button type="submit" disabled={!!busy}>
        {t('import.check')}
      </button>
      {busy && <Progress sent={busy.sent} total={busy.total} />}
      <ResultRegion stamp={answer?.stamp ?? 0}>
        {answer && (
          <ImportResult
            a={answer.a}
            admin={admin}
            indicator={indicator.trim()}
            place={place}
            busy={!!busy}
            onConfirm={() => void run(false)}
          />
        )}
      </ResultRegion>
      {answer?.a.state === 'dry-run' && answer.a.counts.errors === 0 && mapping && (
        <SaveMapping kind={format === 'dhis2' ? 'dhis2' : 'columns'} file={mapping} place={place} />
      )}
    </form>
  );
}

function ImportResult({
  a,
  admin,
  indicator,
  place,
  busy,
  onConfirm,
}: {
  a: ImportAnswer;
  admin: boolean;
  indicator: string;
  place: string;
  busy: boolean;
  onConfirm(): void;
}) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const c = a.counts;
  const dry = a.state === 'dry-run';
  const heading =
    a.state === 'committed'
      ? t('import.done', { inserted: num(c.inserted, 0), updated: num(c.updated, 0) })
      : a.state === 'failed'
        ? t('import.refused', { count: c.errors, n: num(c.errors, 0) })
        : t('import.checked');
  const indicators = [
    ...new Set([
      ...(indicator ? [indicator] : []),
      ...a.created.filter((x) => x.kind === 'indicator').map((x) => x.code),
    ]),
  ];
  return (
    <section aria-labelledby="import-result-heading">
      <h2 id="import-result-heading" tabIndex={-1} className={a.state === 'failed' ? 'import-failed' : undefined}>
        {a.state === 'failed' && <span aria-hidden="true">⚠ </span>}
        {heading}
      </h2>
      <Counts
        items={[
          [t('import.count.read'), c.read],
          [a.state === 'committed' ? t('import.count.created') : t('import.count.toCreate'), c.inserted],
          [a.state === 'committed' ? t('import.count.changed') : t('import.count.toChange'), c.updated],
          [t('import.count.unchanged'), c.unchanged],
          [t('import.count.skipped'), c.skipped],
          [t('import.count.errors'), c.errors],
          [t('import.count.warnings'), c.warnings],
        ]}
      />
      {dry && c.errors === 0 && (
        <div className="import-confirm">
          <p>{t('import.confirmText')}</p>
          <button type="button" onClick={onConfirm} disabled={busy}>
            {t('import.confirm')}
          </button>
        </div>
      )}
      {a.state === 'failed' && <p>{t('import.fixAndRetry')}</p>}
      <ProblemTable id="import-errors" caption={t('import.errors')} problems={a.errors} total={c.errors} />
      {a.errorReport &&
        (admin ? (
          <p>
            <a href={a.errorReport}>{t('import.fullReport')}</a>
          </p>
        ) : (
          c.errors > a.errors.length && <p className="hint">{t('import.fullReportAdmin')}</p>
        ))}
      <ProblemTable id="import-warnings" caption={t('import.warnings')} problems={a.warnings} total={c.warnings} />
      {a.skipped.length > 0 && (
        <details>
          <summary>{t('import.skippedList', { n: num(c.skipped, 0) })}</summary>
          <ul>
            {a.skipped.slice(0, 200).map((s, i) => (
              <li key={i}>
                {typeof s.at === 'number' ? t('import.rowN', { n: num(s.at, 0) }) : <bdi dir="ltr">{s.at}</bdi>}:{' '}
                <English>{s.reason}</English>
              </li>
            ))}
          </ul>
        </details>
      )}
      {a.created.length > 0 && (
        <>
          <h3>{a.state === 'committed' ? t('import.createdList') : t('import.toCreateList')}</h3>
          <ul>
            {a.created.slice(0, 200).map((x, i) => (
              <li key={i}>
                <English>
                  {x.kind} <bdi>{x.code}</bdi>
                  {x.detail ? ` (${x.detail})` : ''}
                </English>
              </li>
            ))}
          </ul>
        </>
      )}
      {a.notices.length > 0 && (
        <ul className="import-notices">
          {a.notices.map((n, i) => (
            <li key={i}>
              <English>{n}</English>
            </li>
          ))}
        </ul>
      )}
      {a.state === 'committed' && (
        <p className="import-links">
          {indicators.map((code) => (
            <Link key={code} to="/indicators/$code" params={{ code }}>
              {t('import.seeIndicator', { code })}
            </Link>
          ))}
          {place && (
            <Link to="/places/$code" params={{ code: place }}>
              {t('import.seePlace', { code: place })}
            </Link>
          )}
          <Link to="/inbox">{t('import.seeInbox')}</Link>
        </p>
      )}
    </section>
  );
}

interface PlacesAnswer {
  dryRun: boolean;
  added: number;
  updated: number;
  unchanged: number;
  changes: { row: number; code: string; action: string; fields?: string[] }[];
}

function PlacesForm() {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [answer, setAnswer] = useState<{ a: PlacesAnswer | null; problems: Problem[]; stamp: number } | null>(null);
  const { busy, send } = useSender();
  const run = async (dryRun: boolean) => {
    if (!file) return setErrors([{ field: 'places-file', text: t('import.error.noFile') }]);
    setErrors([]);
    const a = await send(apiUrl('/places/import', { dryRun: dryRun ? true : undefined }), file);
    if (!a) return setErrors([{ field: '', text: t('import.error.network') }]);
    const body = a.body as (PlacesAnswer & { details?: { problems?: Problem[] } }) | null;
    const rows = body?.details?.problems;
    if (a.status === 422 && rows)
      setAnswer({
        a: null,
        problems: rows.map((p) => ({ ...p, at: (p as { row?: number }).row ?? null })),
        stamp: Date.now(),
      });
    else if (a.status < 300 && body) setAnswer({ a: body, problems: [], stamp: Date.now() });
    else setErrors([{ field: '', text: answerError(t, a) }]);
  };
  const r = answer?.a;
  return (
    <form
      className="import-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(true);
      }}
    >
      <ErrorSummary errors={errors} />
      <Field id="places-file" label={t('import.placesFile')} hint={t('import.placesFileHint')}>
        <input
          id="places-file"
          type="file"
          accept=".csv,text/csv"
          aria-describedby="places-file-hint"
          aria-invalid={errors.some((e) => e.field === 'places-file') || undefined}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setAnswer(null);
          }}
        />
      </Field>
      <button type="submit" disabled={!!busy}>
        {t('import.check')}
      </button>
      {busy && <Progress sent={busy.sent} total={busy.total} />}
      <ResultRegion stamp={answer?.stamp ?? 0}>
        {answer && (
          <section aria-labelledby="places-result-heading">
            <h2 id="places-result-heading" tabIndex={-1}>
              {!r
                ? t('import.refused', { count: answer.problems.length, n: num(answer.problems.length, 0) })
                : r.dryRun
                  ? t('import.checked')
                  : t('import.placesDone')}
            </h2>
            {r && (
              <Counts
                items={[
                  [r.dryRun ? t('import.count.toCreate') : t('import.count.created'), r.added],
                  [r.dryRun ? t('import.count.toChange') : t('import.count.changed'), r.updated],
                  [t('import.count.unchanged'), r.unchanged],
                ]}
              />
            )}
            {r?.dryRun && (
              <div className="import-confirm">
                <p>{t('import.confirmText')}</p>
                <button type="button" onClick={() => void run(false)} disabled={!!busy}>
                  {t('import.confirm')}
                </button>
              </div>
            )}
            <ProblemTable
              id="places-errors"
              caption={t('import.errors')}
              problems={answer.problems}
              total={answer.problems.length}
            />
            {r && r.changes.length > 0 && (
              <table className="data">
                <caption>{t('import.placeChanges')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('import.col.row')}</th>
                    <th scope="col">{t('import.col.code')}</th>
                    <th scope="col">{t('import.col.action')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.changes.map((c, i) => (
                    <tr key={i}>
                      <td className="num">{num(c.row, 0)}</td>
                      <td>
                        <bdi dir="ltr">{c.code}</bdi>
                      </td>
                      <td>
                        {t(ACTION_KEYS[c.action] ?? 'import.action.unchanged')}
                        {c.fields?.length ? (
                          <>
                            {': '}
                            <English>{c.fields.join(', ')}</English>
                          </>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )}
      </ResultRegion>
    </form>
  );
}

interface BoundaryAnswer {
  features: number;
  matched: number;
  created: number;
  updated: number;
  unchanged: number;
  unmatched: { feature: number; value: string | null; reason: string }[];
  dryRun: boolean;
}

type Unmatched = BoundaryAnswer['unmatched'][number];

/** Areas of a boundaries file that match no place (or are not areas): number, value, reason (English). */
function UnmatchedTable({ rows }: { rows: Unmatched[] }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  if (!rows.length) return null;
  return (
    <table className="data import-problems">
      <caption>{t('import.unmatched')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('import.col.area')}</th>
          <th scope="col">{t('import.col.value')}</th>
          <th scope="col">{t('import.col.reason')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.slice(0, 1000).map((u, i) => (
          <tr key={i}>
            <td className="num">{num(u.feature, 0)}</td>
            <td>{u.value ? <bdi dir="auto">{u.value}</bdi> : '—'}</td>
            <td>
              <English>{u.reason}</English>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BoundariesForm({ places }: { places: PlaceOption[] }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const [file, setFile] = useState<File | null>(null);
  const [matchProperty, setMatchProperty] = useState('');
  const [parent, setParent] = useState('');
  const [errors, setErrors] = useState<FormError[]>([]);
  const [answer, setAnswer] = useState<{ a: BoundaryAnswer | null; refused?: Unmatched[]; stamp: number } | null>(null);
  const { busy, send } = useSender();
  const run = async (dryRun: boolean) => {
    const found: FormError[] = [];
    if (!file) found.push({ field: 'boundaries-file', text: t('import.error.noFile') });
    if (!matchProperty.trim()) found.push({ field: 'boundaries-match', text: t('import.error.noMatchProperty') });
    setErrors(found);
    if (found.length || !file) return;
    const url = apiUrl('/places/boundaries', {
      matchProperty: matchProperty.trim(),
      parent: parent || undefined,
      fileName: file.name,
      dryRun: dryRun ? true : undefined,
    });
    const a = await send(url, file);
    if (!a) return setErrors([{ field: '', text: t('import.error.network') }]);
    const body = a.body as BoundaryAnswer | null;
    // Refused whole (no area matched, or a feature that is not an area): the features named, as a list.
    const details = (
      a.body as { details?: { unmatched?: Unmatched[]; problems?: { feature: number; message: string }[] } } | null
    )?.details;
    const listed =
      details?.unmatched ?? details?.problems?.map((p) => ({ feature: p.feature, value: null, reason: p.message }));
    if (a.status < 300 && body && typeof body.features === 'number') setAnswer({ a: body, stamp: Date.now() });
    else if (a.status === 422 && listed?.length) {
      setErrors([]);
      setAnswer({ a: null, refused: listed, stamp: Date.now() });
    } else setErrors([{ field: '', text: answerError(t, a) }]);
  };
  const r = answer?.a;
  const invalid = (f: string) => errors.some((e) => e.field === f) || undefined;
  return (
    <form
      className="import-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run(true);
      }}
    >
      <ErrorSummary errors={errors} />
      <Field id="boundaries-file" label={t('import.boundariesFile')} hint={t('import.boundariesFileHint')}>
        <input
          id="boundaries-file"
          type="file"
          accept=".json,.geojson,.topojson,application/json,application/geo+json"
          aria-describedby="boundaries-file-hint"
          aria-invalid={invalid('boundaries-file')}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setAnswer(null);
          }}
        />
      </Field>
      <Field id="boundaries-match" label={t('import.matchProperty')} hint={t('import.matchPropertyHint')}>
        <input
          id="boundaries-match"
          dir="ltr"
          required
          value={matchProperty}
          aria-describedby="boundaries-match-hint"
          aria-invalid={invalid('boundaries-match')}
          onChange={(e) => {
            setMatchProperty(e.target.value);
            setAnswer(null);
          }}
        />
      </Field>
      <Field id="boundaries-parent" label={t('import.boundariesParent')} hint={t('import.boundariesParentHint')}>
        <PlaceSelect
          id="boundaries-parent"
          value={parent}
          places={places}
          hint
          onChange={(v) => {
            setParent(v);
            setAnswer(null);
          }}
        />
      </Field>
      <button type="submit" disabled={!!busy}>
        {t('import.check')}
      </button>
      {busy && <Progress sent={busy.sent} total={busy.total} />}
      <ResultRegion stamp={answer?.stamp ?? 0}>
        {answer?.refused && (
          <section aria-labelledby="boundaries-result-heading">
            <h2 id="boundaries-result-heading" tabIndex={-1} className="import-failed">
              <span aria-hidden="true">⚠ </span>
              {t('import.refused', { n: num(answer.refused.length, 0) })}
            </h2>
            <p>{t('import.fixAndRetry')}</p>
            <UnmatchedTable rows={answer.refused} />
          </section>
        )}
        {r && (
          <section aria-labelledby="boundaries-result-heading">
            <h2 id="boundaries-result-heading" tabIndex={-1}>
              {r.dryRun ? t('import.checked') : t('import.boundariesDone')}
            </h2>
            <Counts
              items={[
                [t('import.count.areas'), r.features],
                [t('import.count.matched'), r.matched],
                [r.dryRun ? t('import.count.toCreate') : t('import.count.created'), r.created],
                [r.dryRun ? t('import.count.toChange') : t('import.count.changed'), r.updated],
                [t('import.count.unchanged'), r.unchanged],
                [t('import.count.unmatched'), r.unmatched.length],
              ]}
            />
            {r.dryRun && r.matched > 0 && (
              <div className="import-confirm">
                <p>{t('import.confirmText')}</p>
                <button type="button" onClick={() => void run(false)} disabled={!!busy}>
                  {t('import.confirm')}
                </button>
              </div>
            )}
            <UnmatchedTable rows={r.unmatched} />
          </section>
        )}
      </ResultRegion>
    </form>
  );
}

export function ImportPage() {
  const { t } = useTranslation();
  const { me, loading } = useSession();
  const places = useMyPlaces();
  const [kind, setKind] = useState<Kind>('observations');
  if (loading) return <Loading />;
  const roles = me?.roles ?? [];
  const admin = roles.some((r) => r.role === 'administrator');
  const writer = roles.some((r) => WRITER_ROLES.includes(r.role));
  const approve = admin || roles.some((r) => r.role === 'national-focal-point');
  return (
    <section className="import-page">
      <h1>{t('import.title')}</h1>
      {!me ? (
        <p className="notice">
          {t('import.signInNeeded')} <Link to="/sign-in">{t('account.signIn')}</Link>
        </p>
      ) : !writer ? (
        <p className="notice">{t('import.noRights')}</p>
      ) : (
        <>
          <p>{t('import.intro')}</p>
          <fieldset className="import-kind">
            <legend>{t('import.kind')}</legend>
            {KINDS.map((k) => (
              <div key={k} className="check">
                <input
                  type="radio"
                  name="import-kind"
                  id={`import-kind-${k}`}
                  value={k}
                  checked={kind === k}
                  onChange={() => setKind(k)}
                />{' '}
                <label htmlFor={`import-kind-${k}`}>{t(KIND_KEYS[k])}</label>
              </div>
            ))}
          </fieldset>
          {kind === 'observations' && <ObservationsForm places={places} approve={approve} admin={admin} />}
          {kind === 'places' && <PlacesForm />}
          {kind === 'boundaries' && <BoundariesForm places={places} />}
          {kind === 'repository' && <RepositoryForm places={places} admin={admin} />}
        </>
      )}
    </section>
  );
}
