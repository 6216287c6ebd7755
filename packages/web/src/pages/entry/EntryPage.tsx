import { matchesSearch, parseTypedNumber } from '@marsad/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Names } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { UserText } from '../../components/UserText.tsx';
import { baseVersion, checkOffline, type OfflineEntry } from '../../offline/entry-offline.ts';
import { OfflineBar } from '../../offline/OfflineBar.tsx';
import { useOffline } from '../../offline/offline-context.tsx';
import { isNetworkError } from '../../offline/offline-db.ts';
import { EntryPlacePicker } from './EntryPlacePicker.tsx';
import { type EntryProblem, problemText } from './entry-problems.ts';

interface FormValue {
  series: string;
  dims: Record<string, string>;
  period: string;
  value: number;
  unit: string | null;
  status: string;
  source: string | null;
  note: string | null;
  version: number;
  /** Sent back (or reopened) to the provider and not yet corrected: why, by whom, when. */
  returned?: { action: 'sent-back' | 'reopened'; reason: string; by: string; at: string } | null;
}
interface FormDimension {
  code: string;
  names: Names;
  values: { code: string; names: Names }[];
}
export interface FormIndicator {
  code: string;
  names: Names;
  unit: string | null;
  unitNames: Names;
  group: string | null;
  groupNames: Names | null;
  series: { code: string; names: Names; unit: string | null; default: boolean }[];
  dimensions: FormDimension[];
  current: FormValue[];
  previous: FormValue[];
}
interface DraftEntry {
  indicator: string;
  series?: string;
  dims?: Record<string, string>;
  value: string;
  source?: string;
  note?: string;
}
interface EntryForm {
  place: { code: string; level: string; names: Names };
  period: { code: string; start: string; end: string };
  framework: string;
  frameworks: { code: string; names: Names }[];
  indicators: FormIndicator[];
  draft: { entries: DraftEntry[]; updatedAt: string } | null;
  /** Read from this device without a connection: when the copy was kept (issue 21). */
  offlineCopy?: string | null;
}
/** What is typed in a form, kept on the device at every keystroke (issue 21). */
interface TypedCopy {
  typed: Record<string, Typed>;
  series: Record<string, string>;
  sources: Record<string, string>;
  /** Not yet saved nor queued: shown again whatever the form says. */
  pending: boolean;
}

export interface EntrySearch {
  place?: string;
  period?: string;
  framework?: string;
}

/** One line of the form: a series and a disaggregation (the total has no dims). */
interface Line {
  indicator: string;
  series: string;
  dims: Record<string, string>;
}
const dimsKey = (d: Record<string, string>) =>
  Object.keys(d)
    .sort()
    .map((k) => `${k}=${d[k]}`)
    .join('|');
const lineKey = (l: Line) => `${l.indicator}|${l.series}|${dimsKey(l.dims)}`;
const fieldId = (key: string, field: string) => `e-${field}-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;

interface Typed {
  value: string;
  note: string;
}
interface Problem {
  key: string;
  field: string;
  text: string;
  where?: string;
}

function defaultSeries(ind: FormIndicator): string {
  return (ind.series.find((s) => s.default) ?? ind.series[0])!.code;
}

function linesOf(ind: FormIndicator, series: string): Line[] {
  const lines: Line[] = [{ indicator: ind.code, series, dims: {} }];
  for (const d of ind.dimensions)
    for (const v of d.values) lines.push({ indicator: ind.code, series, dims: { [d.code]: v.code } });
  return lines;
}

/** The data-entry form: a focal point enters the values of a place for a period, framework by framework. */
export function EntryPage() {
  const { t } = useTranslation();
  const { me, loading } = useSession();
  const search = useSearch({ strict: false }) as EntrySearch;
  const navigate = useNavigate();
  if (loading) return <Loading />;
  if (!me)
    return (
      <section>
        <h1>{t('entry.title')}</h1>
        <p>
          <Link to="/sign-in">{t('entry.signIn')}</Link>
        </p>
      </section>
    );
  const open = (s: EntrySearch) => void navigate({ to: '/entry', search: s });
  return (
    <section>
      <h1>{t('entry.title')}</h1>
      <p className="muted">{t('entry.intro')}</p>
      <EntryPlacePicker initial={search} onOpen={open} />
      {search.place && search.period && (
        <EntryFormView
          key={`${search.place}|${search.period}|${search.framework ?? ''}`}
          search={search}
          onFramework={(framework) => open({ ...search, framework })}
        />
      )}
    </section>
  );
}

function EntryFormView({ search, onFramework }: { search: EntrySearch; onFramework: (f: string) => void }) {
  const { t } = useTranslation();
  const { num, period, text, date } = usePrefs();
  const { send } = useSession();
  const client = useQueryClient();
  const offline = useOffline();
  const db = offline.db;
  const formKey = `${search.place}|${search.period}|${search.framework ?? ''}`;
  const form = useQuery({
    queryKey: ['entry-form', search.place, search.period, search.framework ?? ''],
    enabled: offline.ready,
    queryFn: async (): Promise<EntryForm> => {
      try {
        const read = await getJson<EntryForm>('/entry/form', {
          place: search.place,
          period: search.period,
          framework: search.framework,
        });
        // A form kept for offline use is kept as the server has it now.
        if (db && (await db.get('forms', formKey)))
          await db.put('forms', { key: formKey, form: read, savedAt: new Date().toISOString() });
        return { ...read, offlineCopy: null };
      } catch (e) {
        const kept = isNetworkError(e) && db ? await db.get('forms', formKey) : undefined;
        if (kept) return { ...(kept.form as EntryForm), offlineCopy: kept.savedAt };
        throw e;
      }
    },
    retry: false,
  });
  const [keptAt, setKeptAt] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: read again when the form is read again
  useEffect(() => {
    if (!db) return;
    void db.get('forms', formKey).then((k) => setKeptAt(k?.savedAt ?? null));
  }, [db, formKey, form.data]);
  /** Typing since the form was filled: kept on the device at every keystroke. */
  const touched = useRef(false);
  const [typed, setTyped] = useState<Record<string, Typed>>({});
  const [series, setSeries] = useState<Record<string, string>>({});
  const [sources, setSources] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<Problem[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [filter, setFilter] = useState('');
  const summaryRef = useRef<HTMLDivElement>(null);

  // Fill the fields from the values already entered, then from the saved draft (and what this device kept).
  // biome-ignore lint/correctness/useExhaustiveDependencies: filled again when the form is read again, not as the device's storage opens
  useEffect(() => {
    if (!form.data) return;
    const v: Record<string, Typed> = {};
    const s: Record<string, string> = {};
    const src: Record<string, string> = {};
    for (const ind of form.data.indicators) {
      s[ind.code] = defaultSeries(ind);
      for (const c of ind.current) {
        v[lineKey({ indicator: ind.code, series: c.series, dims: c.dims })] = {
          value: String(c.value),
          note: c.note ?? '',
        };
        if (c.source && Object.keys(c.dims).length === 0) src[ind.code] = c.source;
      }
      if (ind.current.length && !ind.current.some((c) => c.series === s[ind.code]))
        s[ind.code] = ind.current[0]!.series;
    }
    for (const d of form.data.draft?.entries ?? []) {
      const ind = form.data.indicators.find((i) => i.code === d.indicator);
      if (!ind) continue;
      const ser = d.series ?? defaultSeries(ind);
      s[ind.code] = ser;
      v[lineKey({ indicator: ind.code, series: ser, dims: d.dims ?? {} })] = { value: d.value, note: d.note ?? '' };
      if (d.source) src[ind.code] = d.source;
    }
    setTyped(v);
    setSeries(s);
    setSources(src);
    touched.current = false;
    // What was typed on this device and not sent (or queued, when the form is the device's copy) comes back.
    const data = form.data;
    void db?.get('typed', `entry:${formKey}`).then((k) => {
      const c = k?.data as TypedCopy | undefined;
      if (!c || !k) return;
      if (!c.pending && !(data.offlineCopy && k.updatedAt > data.offlineCopy)) return;
      setTyped({ ...v, ...c.typed });
      setSeries({ ...s, ...c.series });
      setSources({ ...src, ...c.sources });
    });
  }, [form.data]);

  // Kept at every keystroke.
  useEffect(() => {
    if (!db || !touched.current) return;
    const data: TypedCopy = { typed, series, sources, pending: true };
    void db.put('typed', { key: `entry:${formKey}`, data, updatedAt: new Date().toISOString() });
  }, [db, formKey, typed, series, sources]);

  // Sections: the framework's groups, or the SDG goal of each indicator where it has none.
  const groups = useMemo(() => {
    const out: { code: string | null; names: Names | null; goal: string | null; indicators: FormIndicator[] }[] = [];
    const q = filter.trim().toLowerCase();
    for (const ind of form.data?.indicators ?? []) {
      if (q && !ind.code.toLowerCase().includes(q) && !matchesSearch(Object.values(ind.names).join(' '), q)) continue;
      const goal = ind.group ? null : (/^(\d+)\./.exec(ind.code)?.[1] ?? null);
      const code = ind.group ?? (goal ? `goal-${goal}` : null);
      const last = out[out.length - 1];
      if (last && last.code === code) last.indicators.push(ind);
      else out.push({ code, names: ind.groupNames, goal, indicators: [ind] });
    }
    return out;
  }, [form.data, filter]);

  if (form.isPending) return <Loading />;
  if (form.error) return <ErrorMessage error={form.error} />;
  const f = form.data;
  // Values sent back to the provider, listed at the top with their reasons (on a phone the table scrolls sideways).
  const sentBack = f.indicators.flatMap((ind) =>
    ind.current.filter((c) => c.returned).map((value) => ({ ind, value })),
  );

  const lineLabel = (ind: FormIndicator, line: Line) =>
    Object.keys(line.dims).length === 0
      ? t('entry.total')
      : ind.dimensions
          .flatMap((d) =>
            d.values
              .filter((v) => line.dims[d.code] === v.code)
              .map((v) => `${text(d.names).text || d.code}: ${text(v.names).text || v.code}`),
          )
          .join(', ');
  const whereOf = (key: string) => {
    const l = typedLines().find((x) => x.key === key);
    return l ? `${l.ind.code} — ${lineLabel(l.ind, l.line)}` : undefined;
  };

  const typedLines = () => {
    const lines: { key: string; line: Line; typed: Typed; ind: FormIndicator }[] = [];
    for (const ind of f.indicators) {
      for (const line of linesOf(ind, series[ind.code] ?? defaultSeries(ind))) {
        const k = lineKey(line);
        const ty = typed[k];
        if (ty && (ty.value.trim() || ty.note.trim())) lines.push({ key: k, line, typed: ty, ind });
      }
    }
    return lines;
  };

  const showProblems = (list: Problem[]) => {
    setProblems(list);
    setMessage(null);
    requestAnimationFrame(() => summaryRef.current?.focus());
  };

  const submit = async (dryRun: boolean) => {
    const lines = typedLines();
    const local: Problem[] = [];
    const entries: (OfflineEntry & { source?: string })[] = [];
    const keys: string[] = [];
    for (const l of lines) {
      const n = parseTypedNumber(l.typed.value);
      if (n.kind === 'invalid') {
        local.push({
          key: l.key,
          field: 'value',
          where: whereOf(l.key),
          text: t('entry.problem.not-a-number', { value: l.typed.value }),
        });
        continue;
      }
      if (n.kind === 'blank') {
        local.push({ key: l.key, field: 'value', where: whereOf(l.key), text: t('entry.problem.note-without-value') });
        continue;
      }
      entries.push({
        indicator: l.line.indicator,
        series: l.line.series,
        dims: l.line.dims,
        value: n.value,
        ...(l.typed.note.trim() ? { note: l.typed.note.trim() } : {}),
        ...(sources[l.ind.code]?.trim() ? { source: sources[l.ind.code]!.trim() } : {}),
      });
      keys.push(l.key);
    }
    if (local.length) return showProblems(local);
    if (!entries.length) return showProblems([{ key: '', field: '', text: t('entry.nothingTyped') }]);
    // Without a connection (or on the device's copy): checked here by the same rules, and queued (issue 21).
    const queueHere = async () => {
      const found = checkOffline(f.indicators, entries);
      if (found.length)
        return showProblems(
          found.map((e) => {
            const key = e.index === null ? '' : (keys[e.index] ?? '');
            return { key, field: e.field, where: whereOf(key), text: problemText(t, num, e) };
          }),
        );
      setProblems([]);
      if (dryRun) return setMessage({ ok: true, text: t('entry.checked', { n: num(entries.length, 0) }) });
      await offline.enqueue(formKey, {
        kind: 'entry',
        place: f.place.code,
        period: f.period.code,
        entries: entries.map((e) => ({
          ...e,
          base: baseVersion(
            f.indicators.find((i) => i.code === e.indicator),
            e,
          ),
        })),
      });
      if (db) {
        const data: TypedCopy = { typed, series, sources, pending: false };
        await db.put('typed', { key: `entry:${formKey}`, data, updatedAt: new Date().toISOString() });
      }
      setMessage({ ok: true, text: t('offline.queued', { n: num(entries.length, 0) }) });
    };
    if (db && (f.offlineCopy || !navigator.onLine)) return queueHere();
    setBusy(true);
    try {
      let res: Response;
      try {
        res = await send('/entry', 'POST', { place: f.place.code, period: f.period.code, entries, dryRun });
      } catch (e) {
        if (db && isNetworkError(e)) return await queueHere();
        throw e;
      }
      const body = (await res.json()) as {
        message?: string;
        saved?: number;
        unchanged?: number;
        details?: { errors?: EntryProblem[] };
        /** Problems with rules the indicator sets to warn only: the values were saved all the same. */
        warnings?: EntryProblem[];
      };
      if (res.ok) {
        setProblems([]);
        const warnings = (body.warnings ?? []).map((e) => {
          const where = whereOf(e.index === null ? '' : (keys[e.index] ?? ''));
          return `${where ? `${where}: ` : ''}${problemText(t, num, e)}`;
        });
        const done = dryRun
          ? t('entry.checked', { n: num(body.saved ?? 0, 0) })
          : t('entry.saved', { n: num(body.saved ?? 0, 0), unchanged: num(body.unchanged ?? 0, 0) });
        setMessage({
          ok: true,
          text: warnings.length ? `${done} ${t('entry.savedWarnings')} ${warnings.join(' ')}` : done,
        });
        if (!dryRun) {
          await db?.delete('typed', `entry:${formKey}`);
          await client.invalidateQueries({ queryKey: ['entry-form'] });
          await client.invalidateQueries({ queryKey: ['inbox'] });
        }
      } else if (body.details?.errors?.length) {
        showProblems(
          body.details.errors.map((e) => {
            const key = e.index === null ? '' : (keys[e.index] ?? '');
            return { key, field: e.field, where: whereOf(key), text: problemText(t, num, e) };
          }),
        );
      } else {
        setProblems([]);
        setMessage({ ok: false, text: body.message ?? res.statusText });
      }
    } finally {
      setBusy(false);
    }
  };

  const saveDraft = async () => {
    const entries = typedLines().map((l) => ({
      indicator: l.line.indicator,
      series: l.line.series,
      dims: l.line.dims,
      value: l.typed.value,
      ...(l.typed.note.trim() ? { note: l.typed.note } : {}),
      ...(sources[l.ind.code]?.trim() ? { source: sources[l.ind.code] } : {}),
    }));
    setBusy(true);
    try {
      const res = await send('/entry/draft', 'PUT', {
        place: f.place.code,
        period: f.period.code,
        framework: f.framework,
        entries,
      });
      setProblems([]);
      setMessage(
        res.ok
          ? { ok: true, text: t('entry.draftSaved', { n: num(entries.length, 0) }) }
          : { ok: false, text: ((await res.json()) as { message?: string }).message ?? res.statusText },
      );
    } finally {
      setBusy(false);
    }
  };

  const problemsOf = (key: string, field: string) => problems.filter((p) => p.key === key && p.field === field);
  const lineProblems = (key: string) =>
    problems.filter((p) => p.key === key && p.field !== 'value' && p.field !== 'note');

  return (
    <form
      className="entry-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(false);
      }}
      noValidate
    >
      <h2>
        <UserText names={f.place.names} fallbackText={f.place.code} /> — <bdi>{period(f.period.code)}</bdi>
      </h2>
      <OfflineBar
        copyOf={f.offlineCopy ?? null}
        keptAt={keptAt}
        onKeep={async () => {
          if (!db) return;
          const { offlineCopy: _c, ...read } = f;
          const savedAt = new Date().toISOString();
          await db.put('forms', { key: formKey, form: read, savedAt });
          setKeptAt(savedAt);
        }}
        onForget={async () => {
          if (!db) return;
          await db.delete('forms', formKey);
          setKeptAt(null);
        }}
      />
      <div className="field-row">
        <label htmlFor="entry-framework">{t('entry.framework')}</label>
        <select id="entry-framework" value={f.framework} onChange={(e) => onFramework(e.target.value)}>
          {f.frameworks.map((fw) => (
            <option key={fw.code} value={fw.code}>
              {text(fw.names).text || fw.code}
            </option>
          ))}
        </select>
      </div>
      <div className="field-row">
        <label htmlFor="entry-filter">{t('entry.filter')}</label>
        <input id="entry-filter" type="search" dir="auto" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <span className="small muted">{t('entry.indicatorCount', { n: num(f.indicators.length, 0) })}</span>
      </div>
      {f.draft && (
        <p className="notice" role="status">
          {t('entry.draftRestored', { date: date(f.draft.updatedAt) })}
        </p>
      )}
      {sentBack.length > 0 && (
        <div className="notice warn sent-back-notice">
          <p>{t('entry.sentBackNotice', { n: num(sentBack.length, 0) })}</p>
          <ul>
            {sentBack.map(({ ind, value }) => {
              const line = { indicator: ind.code, series: value.series, dims: value.dims };
              const r = value.returned!;
              return (
                <li key={lineKey(line)}>
                  <a href={`#${fieldId(lineKey(line), 'value')}`}>
                    <bdi dir="ltr">{ind.code}</bdi> — {lineLabel(ind, line)}
                  </a>{' '}
                  {t(r.action === 'reopened' ? 'entry.reopenedBy' : 'entry.sentBackBy', {
                    by: `\u2068${r.by}\u2069`,
                    date: date(r.at),
                  })}
                  <span dir="auto" className="reason">
                    {r.reason}
                  </span>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <div ref={summaryRef} tabIndex={-1} aria-live="polite">
        {problems.length > 0 && (
          <div role="alert" className="notice warn">
            <strong>{t('entry.problems', { n: num(problems.length, 0), count: problems.length })}</strong>
            <ul>
              {problems.map((p, i) => (
                <li key={i}>
                  {p.key && p.where ? (
                    <a href={`#${fieldId(p.key, p.field === 'note' ? 'note' : 'value')}`} dir="auto">
                      {p.where}
                    </a>
                  ) : null}{' '}
                  <span dir="auto">{p.text}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        {message && (
          <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice' : 'notice warn'} dir="auto">
            {message.text}
          </p>
        )}
      </div>
      {f.indicators.length === 0 && <p>{t('entry.noIndicators')}</p>}
      {groups.map((g) => (
        <section key={g.code ?? 'none'}>
          {g.names ? (
            <h3>
              <UserText names={g.names} fallbackText={g.code ?? ''} />
            </h3>
          ) : g.goal ? (
            <h3>{t('entry.goal', { goal: num(Number(g.goal), 0) })}</h3>
          ) : null}
          {g.indicators.map((ind) => {
            const ser = series[ind.code] ?? defaultSeries(ind);
            const filled = ind.current.length;
            const drafted = f.draft?.entries.some((d) => d.indicator === ind.code);
            const opened =
              f.indicators.length <= 12 ||
              filled > 0 ||
              ind.current.some((c) => c.returned) ||
              drafted ||
              filter.trim() !== '' ||
              problems.some((p) => p.key.startsWith(`${ind.code}|`));
            return (
              <details key={ind.code} className="entry-indicator" open={opened ? true : undefined}>
                <summary>
                  <strong>
                    <bdi dir="ltr">{ind.code}</bdi>
                  </strong>{' '}
                  <UserText names={ind.names} />
                  {ind.unitNames && text(ind.unitNames).text && (
                    <span className="muted small"> ({text(ind.unitNames).text})</span>
                  )}
                  {filled > 0 && (
                    <span className="muted small">
                      {' '}
                      — {t('entry.valuesEntered', { n: num(filled, 0), count: filled })}
                    </span>
                  )}
                </summary>
                <div className="entry-body">
                  {ind.series.length > 1 && (
                    <div className="field-row">
                      <label htmlFor={`series-${ind.code}`}>{t('entry.series')}</label>
                      <select
                        id={`series-${ind.code}`}
                        value={ser}
                        onChange={(e) => {
                          touched.current = true;
                          setSeries({ ...series, [ind.code]: e.target.value });
                        }}
                      >
                        {ind.series.map((s) => (
                          <option key={s.code} value={s.code}>
                            {text(s.names).text || s.code}
                          </option>
                        ))}
                      </select>
                    </div>
                  )}
                  <div className="field-row">
                    <label htmlFor={`source-${ind.code}`}>{t('entry.source')}</label>
                    <input
                      id={`source-${ind.code}`}
                      dir="auto"
                      value={sources[ind.code] ?? ''}
                      maxLength={500}
                      onChange={(e) => {
                        touched.current = true;
                        setSources({ ...sources, [ind.code]: e.target.value });
                      }}
                    />
                  </div>
                  <TableScroll>
                    <table className="data entry-table">
                      <caption className="visually-hidden">{t('entry.tableCaption', { indicator: ind.code })}</caption>
                      <thead>
                        <tr>
                          <th scope="col">{t('entry.breakdown')}</th>
                          <th scope="col">{t('entry.previous')}</th>
                          <th scope="col">{t('entry.value')}</th>
                          <th scope="col">{t('entry.note')}</th>
                          <th scope="col">{t('entry.status')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {linesOf(ind, ser).map((line) => {
                          const k = lineKey(line);
                          const dk = dimsKey(line.dims);
                          const prev = ind.previous.find((p) => p.series === ser && dimsKey(p.dims) === dk);
                          const cur = ind.current.find((p) => p.series === ser && dimsKey(p.dims) === dk);
                          const label = lineLabel(ind, line);
                          const ty = typed[k] ?? { value: '', note: '' };
                          const vp = problemsOf(k, 'value');
                          const np = problemsOf(k, 'note');
                          const lp = lineProblems(k);
                          const approved = cur?.status === 'approved';
                          const returned = cur?.returned ?? null;
                          const set = (patch: Partial<Typed>) => {
                            touched.current = true;
                            setTyped({ ...typed, [k]: { ...ty, ...patch } });
                          };
                          return (
                            <tr
                              key={k}
                              className={
                                vp.length || np.length || lp.length ? 'has-problem' : returned ? 'sent-back' : undefined
                              }
                            >
                              <th scope="row" id={fieldId(k, 'label')}>
                                {label}
                                {lp.map((p, i) => (
                                  <div key={i} className="field-error" dir="auto">
                                    {p.text}
                                  </div>
                                ))}
                              </th>
                              <td className="num">
                                {prev ? (
                                  <>
                                    {num(prev.value, 4)} <span className="muted small">({period(prev.period)})</span>
                                  </>
                                ) : (
                                  '—'
                                )}
                              </td>
                              <td>
                                <input
                                  id={fieldId(k, 'value')}
                                  inputMode="decimal"
                                  dir="ltr"
                                  className="entry-value"
                                  value={ty.value}
                                  readOnly={approved}
                                  aria-labelledby={`${fieldId(k, 'label')}`}
                                  aria-describedby={
                                    [vp.length ? fieldId(k, 'value-error') : '', returned ? fieldId(k, 'returned') : '']
                                      .filter(Boolean)
                                      .join(' ') || undefined
                                  }
                                  aria-invalid={vp.length ? true : undefined}
                                  onChange={(e) => set({ value: e.target.value })}
                                />
                                {vp.length > 0 && (
                                  <div id={fieldId(k, 'value-error')} className="field-error" dir="auto">
                                    {vp.map((p) => p.text).join(' ')}
                                  </div>
                                )}
                              </td>
                              <td>
                                <input
                                  id={fieldId(k, 'note')}
                                  dir="auto"
                                  value={ty.note}
                                  readOnly={approved}
                                  maxLength={4000}
                                  aria-label={t('entry.noteFor', { line: label })}
                                  aria-describedby={np.length ? fieldId(k, 'note-error') : undefined}
                                  aria-invalid={np.length ? true : undefined}
                                  onChange={(e) => set({ note: e.target.value })}
                                />
                                {np.length > 0 && (
                                  <div id={fieldId(k, 'note-error')} className="field-error" dir="auto">
                                    {np.map((p) => p.text).join(' ')}
                                  </div>
                                )}
                              </td>
                              <td className="small entry-status">
                                {returned ? (
                                  <strong>{t('entry.statusSentBack')}</strong>
                                ) : cur ? (
                                  t(`status.${cur.status}`)
                                ) : (
                                  ''
                                )}
                                {approved && <div className="muted">{t('entry.approvedLocked')}</div>}
                                {returned && (
                                  <div id={fieldId(k, 'returned')} className="returned">
                                    {t(returned.action === 'reopened' ? 'entry.reopenedBy' : 'entry.sentBackBy', {
                                      by: `\u2068${returned.by}\u2069`,
                                      date: date(returned.at),
                                    })}
                                    <span dir="auto" className="reason">
                                      {returned.reason}
                                    </span>
                                  </div>
                                )}
                              </td>
                            </tr>
                          );
                        })}
                      </tbody>
                    </table>
                  </TableScroll>
                </div>
              </details>
            );
          })}
        </section>
      ))}
      {f.indicators.length > 0 && (
        <div className="entry-actions">
          <button type="submit" disabled={busy}>
            {t('entry.save')}
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => void submit(true)}>
            {t('entry.check')}
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => void saveDraft()}>
            {t('entry.saveDraft')}
          </button>
        </div>
      )}
    </form>
  );
}
