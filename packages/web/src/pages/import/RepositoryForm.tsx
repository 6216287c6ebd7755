import type { KindTotals } from '@marsad/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiUrl } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { Field } from '../admin/forms.tsx';
import {
  answerError,
  Counts,
  English,
  ErrorSummary,
  type FormError,
  knownReason,
  type PlaceOption,
  PlaceSelect,
  type Problem,
  ProblemText,
  Progress,
  ReasonText,
  ResultRegion,
  useSender,
} from './ImportPage.tsx';

/**
 * /import, an Open SDG data repository (a zip: POST /api/v1/imports/repository): checked first (a dry run), then
 * imported. The answer is said per kind of file — data files, metadata (of how many indicators), translation files,
 * boundary files — each file counted once, with the files refused (their first error in the user's language) and
 * what each boundaries file matched.
 */

const KINDS = ['data', 'metadata', 'translations', 'boundaries', 'other'] as const;
type FileKind = (typeof KINDS)[number];
const OUTCOMES = ['imported', 'checked', 'read', 'refused', 'skipped', 'rolled-back'] as const;
type Outcome = (typeof OUTCOMES)[number];
const KIND_KEYS: Record<FileKind, string> = {
  data: 'import.repo.kind.data',
  metadata: 'import.repo.kind.metadata',
  translations: 'import.repo.kind.translations',
  boundaries: 'import.repo.kind.boundaries',
  other: 'import.repo.kind.other',
};
const OUTCOME_KEYS: Record<Outcome, string> = {
  imported: 'import.outcome.imported',
  checked: 'import.outcome.checked',
  read: 'import.outcome.read',
  refused: 'import.outcome.refused',
  skipped: 'import.outcome.skipped',
  'rolled-back': 'import.outcome.rolled-back',
};
const FLAGS = [
  ['boundaries', 'import.flag.boundaries', 'import.flag.boundariesHint'],
  ['createPlaces', 'import.flag.createPlaces', 'import.flag.createPlacesHint'],
  ['extendCodes', 'import.flag.extendCodes', 'import.flag.extendCodesHint'],
  ['newSeriesForUnits', 'import.flag.newSeriesForUnits', 'import.flag.newSeriesForUnitsHint'],
  ['allOrNothing', 'import.flag.allOrNothing', 'import.flag.allOrNothingHint'],
  ['createIndicators', 'import.flag.createIndicators', 'import.flag.createIndicatorsHint'],
] as const;
type Flag = (typeof FLAGS)[number][0];

interface RepositoryFile {
  path: string;
  kind: FileKind;
  outcome: Outcome;
  errors: Problem[];
  /** English; said in the user's language by its code (reasonCode, reasonParams) when the catalogs know it. */
  reason?: string;
  reasonCode?: string;
  reasonParams?: Record<string, string | number>;
  boundaries?: { matchProperty: string; features: number; matched: number; unmatchedCount: number };
}

interface RepositoryAnswer {
  state: 'committed' | 'partial' | 'failed' | 'dry-run';
  files: RepositoryFile[];
  totals: {
    byKind: Record<FileKind, KindTotals>;
    inserted: number;
    updated: number;
    unchanged: number;
    metadataFields: number;
  };
}

/** The files of each kind and their outcomes, one row a kind. */
function KindTable({ byKind }: { byKind: Record<FileKind, KindTotals> }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const columns: [keyof KindTotals, Outcome][] = [
    ['imported', 'imported'],
    ['checked', 'checked'],
    ['read', 'read'],
    ['refused', 'refused'],
    ['skipped', 'skipped'],
    ['rolledBack', 'rolled-back'],
  ];
  const shown = columns.filter(([k]) => KINDS.some((kind) => byKind[kind][k] > 0));
  return (
    <table className="data" id="repository-kinds">
      <caption>{t('import.repo.byKind')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('import.col.kind')}</th>
          <th scope="col">{t('import.col.files')}</th>
          {shown.map(([k, o]) => (
            <th key={k} scope="col">
              {t(OUTCOME_KEYS[o])}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {KINDS.filter((k) => k !== 'other' || byKind.other.files > 0).map((kind) => (
          <tr key={kind} data-kind={kind}>
            <th scope="row">{t(KIND_KEYS[kind], { indicators: num(byKind[kind].entries, 0) })}</th>
            <td className="num">{num(byKind[kind].files, 0)}</td>
            {shown.map(([k]) => (
              <td key={k} className="num">
                {num(byKind[kind][k], 0)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The files refused, and the boundaries files: what each did, its first error in the user's language. */
function FileTable({ files }: { files: RepositoryFile[] }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const listed = files.filter((f) => f.outcome === 'refused' || f.kind === 'boundaries').slice(0, 500);
  if (!listed.length) return null;
  return (
    <table className="data import-problems" id="repository-files">
      <caption>{t('import.repo.files')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('import.col.file')}</th>
          <th scope="col">{t('import.col.outcome')}</th>
          <th scope="col">{t('import.col.reason')}</th>
        </tr>
      </thead>
      <tbody>
        {listed.map((f) => {
          const e = f.errors[0];
          const b = f.boundaries;
          // A row's error (a data file refused for its rows) is named by its row, after the reason.
          const rowError =
            e && typeof e.at === 'number' ? (
              <>
                {t('import.rowN', { n: num(e.at, 0) })}: <ProblemText p={e} />
              </>
            ) : null;
          return (
            <tr key={f.path}>
              <td>
                <bdi dir="ltr">{f.path}</bdi>
              </td>
              <td>{t(OUTCOME_KEYS[f.outcome])}</td>
              <td>
                {b ? (
                  t('import.repo.boundaryLine', {
                    matched: num(b.matched, 0),
                    features: num(b.features, 0),
                    property: `\u2068${b.matchProperty}\u2069`,
                  })
                ) : knownReason(f.reasonCode) ? (
                  <>
                    <ReasonText code={f.reasonCode} params={f.reasonParams} fallback={f.reason ?? ''} />
                    {rowError && <div>{rowError}</div>}
                  </>
                ) : e ? (
                  (rowError ?? <ProblemText p={e} />)
                ) : f.reason ? (
                  <English>{f.reason}</English>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function RepositoryForm({ places, admin }: { places: PlaceOption[]; admin: boolean }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [place, setPlace] = useState('');
  const [publisher, setPublisher] = useState('');
  const [flags, setFlags] = useState<Record<Flag, boolean>>({
    boundaries: true,
    createPlaces: false,
    extendCodes: false,
    newSeriesForUnits: false,
    allOrNothing: false,
    createIndicators: false,
  });
  const [errors, setErrors] = useState<FormError[]>([]);
  const [answer, setAnswer] = useState<{ a: RepositoryAnswer; stamp: number } | null>(null);
  const { busy, send } = useSender();
  const touch = () => setAnswer(null);
  const flagNames = FLAGS.filter(([f]) => f !== 'createIndicators' || admin);

  const run = async (dryRun: boolean) => {
    const found: FormError[] = [];
    if (!file) found.push({ field: 'repository-file', text: t('import.error.noFile') });
    if (!place) found.push({ field: 'repository-place', text: t('import.error.noPlace') });
    setErrors(found);
    if (found.length || !file) return;
    const url = apiUrl('/imports/repository', {
      place,
      fileName: file.name,
      publisher: publisher.trim() || undefined,
      boundaries: flags.boundaries ? undefined : false,
      createPlaces: flags.createPlaces || undefined,
      extendCodes: flags.extendCodes || undefined,
      newSeriesForUnits: flags.newSeriesForUnits || undefined,
      allOrNothing: flags.allOrNothing || undefined,
      createIndicators: (admin && flags.createIndicators) || undefined,
      dryRun: dryRun || undefined,
    });
    const a = await send(url, file);
    if (!a) return setErrors([{ field: '', text: t('import.error.network') }]);
    const body = a.body as Partial<RepositoryAnswer> | null;
    if (body?.totals?.byKind && body.files) setAnswer({ a: body as RepositoryAnswer, stamp: Date.now() });
    else setErrors([{ field: '', text: answerError(t, a) }]);
  };
  const r = answer?.a;
  const dry = r?.state === 'dry-run';
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
      <Field id="repository-file" label={t('import.repoFile')} hint={t('import.repoFileHint')}>
        <input
          id="repository-file"
          type="file"
          accept=".zip,application/zip"
          aria-describedby="repository-file-hint"
          aria-invalid={invalid('repository-file')}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            touch();
          }}
        />
      </Field>
      <Field id="repository-place" label={t('import.place.label')} hint={t('import.repoPlaceHint')}>
        <PlaceSelect
          id="repository-place"
          value={place}
          places={places}
          hint
          onChange={(v) => {
            setPlace(v);
            touch();
          }}
        />
      </Field>
      <Field id="repository-publisher" label={t('import.publisher')} hint={t('import.publisherHint')}>
        <input
          id="repository-publisher"
          dir="auto"
          value={publisher}
          aria-describedby="repository-publisher-hint"
          onChange={(e) => {
            setPublisher(e.target.value);
            touch();
          }}
        />
      </Field>
      <fieldset>
        <legend>{t('import.options')}</legend>
        {flagNames.map(([f, label, hint]) => (
          <div key={f} className="check">
            <input
              type="checkbox"
              id={`repository-${f}`}
              checked={flags[f]}
              aria-describedby={`repository-${f}-hint`}
              onChange={(e) => {
                setFlags({ ...flags, [f]: e.target.checked });
                touch();
              }}
            />{' '}
            <label htmlFor={`repository-${f}`}>{t(label)}</label>
            <p id={`repository-${f}-hint`} className="hint">
              {t(hint)}
            </p>
          </div>
        ))}
      </fieldset>
      <p className="hint">{t('import.largeFiles')}</p>
      <button type="submit" disabled={!!busy}>
        {t('import.check')}
      </button>
      {busy && <Progress sent={busy.sent} total={busy.total} />}
      <ResultRegion stamp={answer?.stamp ?? 0}>
        {r && (
          <section aria-labelledby="repository-result-heading">
            <h2
              id="repository-result-heading"
              tabIndex={-1}
              className={r.state === 'failed' ? 'import-failed' : undefined}
            >
              {r.state === 'failed' && <span aria-hidden="true">⚠ </span>}
              {dry ? t('import.checked') : r.state === 'failed' ? t('import.repo.failed') : t('import.repo.done')}
            </h2>
            <KindTable byKind={r.totals.byKind} />
            <Counts
              items={[
                [dry ? t('import.count.toCreate') : t('import.count.created'), r.totals.inserted],
                [dry ? t('import.count.toChange') : t('import.count.changed'), r.totals.updated],
                [t('import.count.unchanged'), r.totals.unchanged],
              ]}
            />
            {dry && r.totals.byKind.data.checked > 0 && (
              <div className="import-confirm">
                <p>{t('import.confirmText')}</p>
                <button type="button" onClick={() => void run(false)} disabled={!!busy}>
                  {t('import.confirm')}
                </button>
              </div>
            )}
            <FileTable files={r.files} />
          </section>
        )}
      </ResultRegion>
    </form>
  );
}
