import '../../zod-jitless.ts';
import {
  type AnswerSet,
  evaluateForm,
  type FormIssue,
  type FormState,
  fillMetadata,
  fitRepeatCounts,
  localTimestamp,
  type Questionnaire,
  STRUCTURAL_ISSUES,
  stableJson,
} from '@marsad/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { UserText } from '../../components/UserText.tsx';
import { OfflineBar } from '../../offline/OfflineBar.tsx';
import { useOffline } from '../../offline/offline-context.tsx';
import { isNetworkError } from '../../offline/offline-db.ts';
import { LANGS } from '../admin/admin-api.ts';
import { deviceId } from '../xlsform/device-id.ts';
import { CommentThread } from './CommentThread.tsx';
import { fieldIdOf, formIssues, labelOfPath, QuestionnaireForm } from './QuestionnaireForm.tsx';
import {
  actionLabel,
  bodyOf,
  type Candidate,
  type CommentView,
  getReview,
  kindLabel,
  ReviewApiError,
  recommendationLabel,
  type SubmissionView,
  today,
  type VersionRecord,
} from './review-api.ts';
import { Countries, LanguageName, StateBadge, WrittenTexts } from './review-kit.tsx';
import { Timeline } from './Timeline.tsx';

type Msg = { ok: boolean; text: string } | null;
/** A submission as read, or from this device without a connection: when the copy was kept (issue 21). */
type OfflineView = SubmissionView & { offlineCopy?: string | null };
/** What is typed in a questionnaire, kept on the device at every keystroke (issue 21). */
interface TypedAnswers {
  answers: AnswerSet;
  languages: string[];
  /** Not yet saved nor queued: shown again whatever the server's answers. */
  pending: boolean;
}

/** One submission: the form for its focal points, the review for its reviewers and administrators, its timeline. */
export function SubmissionPage() {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const { me, loading } = useSession();
  const { lang, num } = usePrefs();
  const offline = useOffline();
  const db = offline.db;
  const sub = useQuery({
    queryKey: ['review-submission', id, lang],
    enabled: !!me && offline.ready,
    retry: false,
    queryFn: async (): Promise<OfflineView> => {
      try {
        const read = await getReview<SubmissionView>(`/review-submissions/${id}?lang=${lang}`);
        // A submission kept for offline use is kept as the server has it now.
        const kept = db ? await db.get('submissions', Number(id)) : undefined;
        if (kept && db) await db.put('submissions', { ...kept, view: read, savedAt: new Date().toISOString() });
        return { ...read, offlineCopy: null };
      } catch (e) {
        const kept = isNetworkError(e) && db ? await db.get('submissions', Number(id)) : undefined;
        if (kept) return { ...(kept.view as SubmissionView), offlineCopy: kept.savedAt };
        throw e;
      }
    },
  });
  const versionId = sub.data?.questionnaireVersionId;
  const version = useQuery({
    queryKey: ['questionnaire-version', versionId],
    enabled: !!versionId,
    staleTime: Infinity,
    queryFn: async () => {
      try {
        return await getJson<VersionRecord>(`/questionnaire-versions/${versionId}`);
      } catch (e) {
        const kept = isNetworkError(e) && db ? await db.get('submissions', Number(id)) : undefined;
        if (kept) return { definition: kept.definition } as VersionRecord;
        throw e;
      }
    },
  });
  if (loading) return <Loading />;
  if (!me)
    return (
      <section className="reviews admin">
        <h1>{t('reviews.submission.title')}</h1>
        <p>
          <Link to="/sign-in">{t('reviews.signIn')}</Link>
        </p>
      </section>
    );
  if (sub.isPending) return <Loading />;
  if (sub.error) {
    const e = sub.error;
    if (e instanceof ReviewApiError && e.code === 'declaration_required') {
      return <DeclarationPage assignmentId={Number(e.details?.assignmentId)} onDone={() => void sub.refetch()} />;
    }
    return (
      <section className="reviews admin">
        <h1>{t('reviews.submission.title')}</h1>
        <ErrorMessage error={e} />
      </section>
    );
  }
  const s = sub.data;
  return (
    <section className="reviews admin">
      <Breadcrumbs
        items={[
          { to: '/reviews', label: t('reviews.title') },
          { label: <UserText names={s.place.names} fallbackText={s.place.code} /> },
        ]}
      />
      <h1>
        <UserText names={s.place.names} fallbackText={s.place.code} />
      </h1>
      <p className="lead">
        <UserText names={s.cycle.titles} /> · {kindLabel(t, s.cycle.kind)}
      </p>
      {s.instanceName && (
        <p className="instance-name">
          {t('reviews.submission.instanceName')}: <bdi dir="auto">{s.instanceName}</bdi>
        </p>
      )}
      {s.demo && <p className="notice">{t('reviews.demoNotice')}</p>}
      <p>
        <StateBadge state={s.state} />{' '}
        {s.round > 0 && <span className="muted">{t('reviews.submission.roundOf', { n: num(s.round, 0) })}</span>}
      </p>
      {version.isPending ? (
        <Loading />
      ) : version.error ? (
        <ErrorMessage error={version.error} />
      ) : (
        <SubmissionBody s={s} q={version.data.definition} />
      )}
    </section>
  );
}

function SubmissionBody({ s, q }: { s: OfflineView; q: Questionnaire }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { num } = usePrefs();
  const roles = s.myRoles;
  const admin = roles.includes('administrator');
  const reviewer = roles.includes('reviewer') || roles.includes('lead-reviewer');
  const submitter = roles.includes('submitter');
  const comments = useQuery({
    queryKey: ['review-comments', s.id],
    enabled: s.state !== 'draft',
    queryFn: () => getJson<{ items: CommentView[] }>(`/review-submissions/${s.id}/comments`),
  });
  const canComment =
    (reviewer && s.state === 'in-review') ||
    (admin && ['submitted', 'in-review', 'revision-requested', 'accepted'].includes(s.state));
  const canReply = canComment || (submitter && ['in-review', 'revision-requested'].includes(s.state));
  const all = comments.data?.items ?? [];
  const after = (path: string | null) => (
    <CommentThread submissionId={s.id} path={path} comments={all} canComment={canComment} canReply={canReply} q={q} />
  );
  const editing = s.editable && s.answers !== undefined && (submitter || admin);
  const shown = s.submitted?.answers ?? s.answers ?? {};
  const { lang } = usePrefs();
  // The answers shown inside labels and hints (`${name}`) of the answers read.
  const textValues = useMemo(
    () => (editing ? {} : evaluateForm(q, shown, { today: today(), language: lang }).textValues),
    [editing, q, shown, lang],
  );
  return (
    <>
      {editing ? (
        <AnswerEditor s={s} q={q} after={all.length ? after : undefined} />
      ) : (
        <section aria-labelledby="answers-title">
          <h2 id="answers-title">
            {s.submitted
              ? t('reviews.submission.answersOfRound', { n: num(s.submitted.round, 0) })
              : t('reviews.submission.answers')}
          </h2>
          {s.state !== 'draft' && submitter && !s.editable && (
            <p className="notice">{t('reviews.submission.readOnly')}</p>
          )}
          <QuestionnaireForm
            q={q}
            answers={shown}
            state={null}
            issues={[]}
            readOnly
            placeCode={s.place.code}
            after={after}
            textValues={textValues}
          />
        </section>
      )}
      {s.state !== 'draft' && (
        <section aria-labelledby="overall-title">
          <h2 id="overall-title">{t('reviews.comments.overall')}</h2>
          {comments.error ? <ErrorMessage error={comments.error} /> : after(null)}
        </section>
      )}
      {(admin || reviewer) && <Reviewers s={s} />}
      {reviewer && s.state === 'in-review' && <RecommendationForm s={s} />}
      {(admin || reviewer) && s.actions.some((a) => a !== 'submit') && <Actions s={s} />}
      {Object.keys(s.consolidated).length > 0 && (
        <section aria-labelledby="consolidated-title">
          <h2 id="consolidated-title">{t('reviews.consolidated.title')}</h2>
          <WrittenTexts texts={s.consolidated} />
        </section>
      )}
      {s.state === 'published' && (
        <p>
          <Link to="/reviews/published/$id" params={{ id: String(s.id) }}>
            {t('reviews.submission.seePublished')}
          </Link>
        </p>
      )}
      {me && <Timeline submissionId={s.id} />}
    </>
  );
}

/** The focal point's form: answers evaluated live by core's evaluateForm, saved as a draft, submitted. */
function AnswerEditor({
  s,
  q,
  after,
}: {
  s: OfflineView;
  q: Questionnaire;
  after?: (path: string | null) => React.ReactNode;
}) {
  const { t } = useTranslation();
  const { lang, num } = usePrefs();
  const { send, me } = useSession();
  const client = useQueryClient();
  /** The metadata of the questionnaire (XLSForm start, end, today, deviceid, username) as of now. */
  const metadata = () => ({
    now: localTimestamp(new Date()),
    today: today(),
    deviceId: deviceId(),
    username: me?.user.email ?? null,
  });
  const [answers, setAnswers] = useState<AnswerSet>(() => fillMetadata(q, s.answers ?? {}, metadata(), 'open'));
  const [languages, setLanguages] = useState<string[]>(s.languages.length ? s.languages : [lang]);
  const [showMissing, setShowMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Msg>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const state = useMemo(() => evaluateForm(q, answers, { today: today(), language: lang }), [q, answers, lang]);
  const issues = formIssues(state, showMissing, t, q);
  const focusSummary = () => requestAnimationFrame(() => summaryRef.current?.focus());

  // Work without a connection (issue 21): what is typed is kept on the device at every keystroke, and comes back.
  const offline = useOffline();
  const db = offline.db;
  const typedKey = `answer:${s.id}`;
  const touched = useRef(false);
  const [keptAt, setKeptAt] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per submission read
  useEffect(() => {
    if (!db) return;
    void db.get('submissions', s.id).then((k) => setKeptAt(k?.savedAt ?? null));
    void db.get('typed', typedKey).then((k) => {
      const c = k?.data as TypedAnswers | undefined;
      if (!c || !k || touched.current) return;
      if (!c.pending && !(s.offlineCopy && k.updatedAt > s.offlineCopy)) return;
      setAnswers(c.answers);
      setLanguages(c.languages);
    });
  }, [db, s.id, s.offlineCopy]);
  useEffect(() => {
    if (!db || !touched.current) return;
    const data: TypedAnswers = { answers, languages, pending: true };
    void db.put('typed', { key: typedKey, data, updatedAt: new Date().toISOString() });
  }, [db, typedKey, answers, languages]);

  /** Queues the answers that differ from those the device's copy started from, each with that answer as its base. */
  const queueHere = async (saved: AnswerSet): Promise<boolean> => {
    const structural = state.invalid.filter((i) => STRUCTURAL_ISSUES.includes(i.code));
    if (structural.length) {
      const refused: FormState = { ...state, missing: [], constraintFailures: [], invalid: structural };
      const texts = formIssues(refused, false, t, q).map(
        (i) => `${labelOfPath(q, i.path, lang, t('reviews.form.other'))}: ${i.text}`,
      );
      setMessage({ ok: false, text: `${t('reviews.form.refused')} ${texts.join(' · ')}` });
      return false;
    }
    const base = s.answers ?? {};
    const names = [...new Set([...Object.keys(base), ...Object.keys(saved)])];
    const items = names
      .filter((n) => stableJson(base[n] ?? null) !== stableJson(saved[n] ?? null))
      .map((name) => ({ name, value: saved[name] ?? null, base: base[name] ?? null }));
    if (items.length) await offline.enqueue(typedKey, { kind: 'answer', submission: s.id, items, languages });
    if (db) {
      const data: TypedAnswers = { answers: saved, languages, pending: false };
      await db.put('typed', { key: typedKey, data, updatedAt: new Date().toISOString() });
    }
    setMessage({ ok: true, text: t('offline.queuedAnswers', { n: num(items.length, 0) }) });
    return true;
  };

  const save = async (): Promise<boolean> => {
    const saved = fillMetadata(q, answers, metadata(), 'save');
    setAnswers(saved);
    if (db && (s.offlineCopy || !navigator.onLine)) return queueHere(saved);
    let res: Response;
    try {
      res = await send(`/review-submissions/${s.id}/answers?lang=${lang}`, 'PUT', { answers: saved, languages });
    } catch (e) {
      if (db && isNetworkError(e)) return queueHere(saved);
      throw e;
    }
    if (!res.ok) {
      const b = await bodyOf(res);
      const invalid = (b.details as { invalid?: FormIssue[] } | undefined)?.invalid;
      if (Array.isArray(invalid) && invalid.length) {
        // The answers the server refused, each named by its question, in the reader's language.
        const refused: FormState = { ...state, missing: [], constraintFailures: [], invalid };
        const texts = formIssues(refused, false, t, q).map(
          (i) => `${labelOfPath(q, i.path, lang, t('reviews.form.other'))}: ${i.text}`,
        );
        setMessage({ ok: false, text: `${t('reviews.form.refused')} ${texts.join(' · ')}` });
      } else setMessage({ ok: false, text: b.message ?? res.statusText });
      return false;
    }
    await db?.delete('typed', typedKey);
    return true;
  };
  const saveDraft = async () => {
    setBusy(true);
    try {
      setShowMissing(true);
      const queued = !!db && (!!s.offlineCopy || !navigator.onLine);
      if ((await save()) && !queued) {
        setMessage({ ok: true, text: t('reviews.form.saved') });
        // The name the server gave the answers (instance_name), here and in the lists; the form keeps what is typed.
        await client.invalidateQueries({ queryKey: ['review-submission', String(s.id)] });
        await client.invalidateQueries({ queryKey: ['review-submissions'] });
      }
      focusSummary();
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    setShowMissing(true);
    if (s.offlineCopy || !navigator.onLine) {
      setMessage({ ok: false, text: t('offline.submitNeedsConnection') });
      focusSummary();
      return;
    }
    if (!state.complete) {
      setMessage({ ok: false, text: t('reviews.form.notComplete') });
      focusSummary();
      return;
    }
    setBusy(true);
    try {
      if (!(await save())) {
        focusSummary();
        return;
      }
      const res = await send(`/review-submissions/${s.id}/transitions?lang=${lang}`, 'POST', { action: 'submit' });
      if (!res.ok) {
        setMessage({ ok: false, text: (await bodyOf(res)).message ?? res.statusText });
        focusSummary();
        return;
      }
      setMessage(null);
      await client.invalidateQueries({ queryKey: ['review-submission', String(s.id)] });
      await client.invalidateQueries({ queryKey: ['review-submissions'] });
      await client.invalidateQueries({ queryKey: ['review-timeline', s.id] });
      requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      noValidate
      className="review-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      aria-labelledby="form-title"
    >
      <h2 id="form-title">{s.state === 'revision-requested' ? t('reviews.form.revise') : t('reviews.form.title')}</h2>
      <OfflineBar
        copyOf={s.offlineCopy ?? null}
        keptAt={keptAt}
        onKeep={async () => {
          if (!db) return;
          const { offlineCopy: _c, ...view } = s;
          const savedAt = new Date().toISOString();
          await db.put('submissions', { id: s.id, view, definition: q, savedAt });
          setKeptAt(savedAt);
        }}
        onForget={async () => {
          if (!db) return;
          await db.delete('submissions', s.id);
          setKeptAt(null);
        }}
      />
      {s.state === 'revision-requested' && <p className="notice">{t('reviews.form.revisionNotice')}</p>}
      <fieldset className="checks card">
        <legend>{t('reviews.form.languages')}</legend>
        {LANGS.map((l) => (
          <label key={l}>
            <input
              type="checkbox"
              checked={languages.includes(l)}
              onChange={(e) => {
                touched.current = true;
                setLanguages(e.target.checked ? [...languages, l] : languages.filter((x) => x !== l));
              }}
            />{' '}
            <LanguageName code={l} />
          </label>
        ))}
      </fieldset>
      <div ref={summaryRef} tabIndex={-1} className="problem-summary" aria-live="polite">
        {showMissing &&
          (issues.length > 0 ? (
            <div className="notice warn" role="alert">
              <strong>{t('reviews.form.problems', { n: num(issues.length, 0) })}</strong>
              <ul>
                {issues.map((i, k) => (
                  <li key={k}>
                    <a href={`#${fieldIdOf(i.path)}`} dir="auto">
                      {labelOfPath(q, i.path, lang, t('reviews.form.other'))}
                    </a>
                    :{' '}
                    <span dir="auto" lang={i.lang}>
                      {i.text}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="notice" role="status">
              {t('reviews.form.complete')}
            </p>
          ))}
        {message && (
          <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice' : 'notice warn'} dir="auto">
            {message.text}
          </p>
        )}
      </div>
      <QuestionnaireForm
        q={q}
        answers={answers}
        onChange={(a) => {
          touched.current = true;
          // A repeat_count that goes down takes the instances beyond it away.
          setAnswers(fitRepeatCounts(a, evaluateForm(q, a, { today: today(), language: lang }).repeatCounts));
          setMessage(null);
        }}
        state={state}
        issues={issues}
        readOnly={false}
        placeCode={s.place.code}
        after={after}
      />
      <div className="form-actions sticky-actions">
        <button type="button" className="secondary" disabled={busy} onClick={() => void saveDraft()}>
          {t('reviews.form.saveDraft')}
        </button>
        {s.actions.includes('submit') && (
          <button type="submit" disabled={busy}>
            {s.state === 'revision-requested' ? t('reviews.form.resubmit') : t('reviews.action.submit')}
          </button>
        )}
      </div>
    </form>
  );
}

/** Before a reviewer sees the submission: the conflict-of-interest declaration. */
function DeclarationPage({ assignmentId, onDone }: { assignmentId: number; onDone: () => void }) {
  const { t } = useTranslation();
  const { send } = useSession();
  const client = useQueryClient();
  const [conflict, setConflict] = useState<'no' | 'yes' | ''>('');
  const [statement, setStatement] = useState('');
  const [error, setError] = useState<{ field: 'conflict' | 'statement' | null; text: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const stRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (error?.field === 'conflict') first.current?.focus();
    if (error?.field === 'statement') stRef.current?.focus();
  }, [error]);
  const submit = async () => {
    if (!conflict) return setError({ field: 'conflict', text: t('reviews.declaration.choose') });
    if (conflict === 'yes' && !statement.trim())
      return setError({ field: 'statement', text: t('reviews.declaration.statementRequired') });
    const res = await send(`/review-assignments/${assignmentId}/declaration`, 'POST', {
      conflict: conflict === 'yes',
      ...(statement.trim() ? { statement: statement.trim() } : {}),
    });
    if (!res.ok) return setError({ field: null, text: (await bodyOf(res)).message ?? res.statusText });
    await client.invalidateQueries({ queryKey: ['review-assignments'] });
    await client.invalidateQueries({ queryKey: ['inbox'] });
    if (conflict === 'yes') setDone(t('reviews.declaration.conflictDone'));
    else onDone();
  };
  return (
    <section className="reviews admin">
      <Breadcrumbs items={[{ to: '/reviews', label: t('reviews.title') }, { label: t('reviews.declaration.title') }]} />
      <h1>{t('reviews.declaration.title')}</h1>
      <p className="lead">{t('reviews.declaration.intro')}</p>
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : (
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <fieldset
            aria-describedby={error?.field === 'conflict' ? 'decl-conflict-error' : undefined}
            aria-invalid={error?.field === 'conflict' ? true : undefined}
          >
            <legend>{t('reviews.declaration.question')}</legend>
            <label className="choice">
              <input
                ref={first}
                type="radio"
                name="conflict"
                value="no"
                checked={conflict === 'no'}
                onChange={() => setConflict('no')}
              />{' '}
              {t('reviews.declaration.no')}
            </label>
            <label className="choice">
              <input
                type="radio"
                name="conflict"
                value="yes"
                checked={conflict === 'yes'}
                onChange={() => setConflict('yes')}
              />{' '}
              {t('reviews.declaration.yes')}
            </label>
            {error?.field === 'conflict' && (
              <p id="decl-conflict-error" className="field-error">
                ⚠ {error.text}
              </p>
            )}
          </fieldset>
          <div className="field">
            <label htmlFor="decl-statement">{t('reviews.declaration.statement')}</label>
            <p id="decl-statement-hint" className="hint">
              {t('reviews.declaration.statementHint')}
            </p>
            <textarea
              ref={stRef}
              id="decl-statement"
              dir="auto"
              rows={3}
              value={statement}
              onChange={(e) => setStatement(e.target.value)}
              aria-describedby={`decl-statement-hint${error?.field === 'statement' ? ' decl-statement-error' : ''}`}
              aria-invalid={error?.field === 'statement' ? true : undefined}
            />
            {error?.field === 'statement' && (
              <p id="decl-statement-error" className="field-error">
                ⚠ {error.text}
              </p>
            )}
          </div>
          {error?.field === null && (
            <p role="alert" className="notice warn" dir="auto">
              {error.text}
            </p>
          )}
          <button type="submit">{t('reviews.declaration.submit')}</button>
        </form>
      )}
    </section>
  );
}

/** Reviewers by country (names only for administrators), and the assignment of reviewers. */
function Reviewers({ s }: { s: SubmissionView }) {
  const { t } = useTranslation();
  const { date } = usePrefs();
  const admin = s.myRoles.includes('administrator');
  const active = s.reviewers.filter((r) => r.status !== 'withdrawn');
  return (
    <section aria-labelledby="reviewers-title">
      <h2 id="reviewers-title">{t('reviews.reviewers.title')}</h2>
      {active.length === 0 ? (
        <p className="muted">{t('reviews.reviewers.none')}</p>
      ) : (
        <TableScroll>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('reviews.reviewers.countries')}</th>
                <th scope="col">{t('reviews.reviewers.status')}</th>
                <th scope="col">{t('reviews.reviewers.declared')}</th>
                <th scope="col">{t('reviews.recommend.title')}</th>
              </tr>
            </thead>
            <tbody>
              {active.map((r) => {
                const rec = s.recommendations
                  .filter((x) => x.assignmentId === r.assignmentId && x.round === s.round)
                  .pop();
                return (
                  <tr key={r.assignmentId}>
                    <td>
                      <Countries codes={r.countries} />
                      {r.lead && (
                        <>
                          {' '}
                          <span className="tag">{t('reviews.reviewers.lead')}</span>
                        </>
                      )}
                      {r.you && (
                        <>
                          {' '}
                          <span className="tag">{t('reviews.reviewers.you')}</span>
                        </>
                      )}
                    </td>
                    <td>
                      {r.status === 'awaiting-declaration' ? (
                        t('reviews.reviewers.awaitingDeclaration')
                      ) : r.status === 'active' ? (
                        t('reviews.reviewers.active')
                      ) : r.status === 'conflict' ? (
                        t('reviews.reviewers.conflict')
                      ) : (
                        <span dir="ltr">{r.status}</span>
                      )}
                    </td>
                    <td>{r.declaredAt ? date(r.declaredAt) : '—'}</td>
                    <td>
                      {rec ? (
                        <>
                          {recommendationLabel(t, rec.recommendation)}
                          {rec.summary && (
                            <p dir="auto" className="small long-answer">
                              {rec.summary}
                            </p>
                          )}
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      {admin && ['submitted', 'in-review', 'revision-requested'].includes(s.state) && <AssignReviewers s={s} />}
    </section>
  );
}

function candidateReason(t: (k: string) => string, reason: string): string {
  if (reason.startsWith('the account is')) return t('reviews.candidates.inactive');
  if (reason.startsWith('holds a role in')) return t('reviews.candidates.ownCountry');
  if (reason.startsWith('already assigned')) return t('reviews.candidates.assigned');
  return reason;
}

function AssignReviewers({ s }: { s: SubmissionView }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const { send } = useSession();
  const client = useQueryClient();
  const cands = useQuery({
    queryKey: ['reviewer-candidates', s.id],
    queryFn: () => getJson<{ items: Candidate[] }>(`/review-submissions/${s.id}/reviewer-candidates`),
  });
  const [chosen, setChosen] = useState<number[]>([]);
  const [lead, setLead] = useState<number | null>(null);
  const [count, setCount] = useState('2');
  const [message, setMessage] = useState<Msg>(null);
  const done = async (res: Response) => {
    if (!res.ok) return setMessage({ ok: false, text: (await bodyOf(res)).message ?? res.statusText });
    const b = (await res.json()) as { items: unknown[] };
    setMessage({ ok: true, text: t('reviews.assign.done', { n: num(b.items.length, 0) }) });
    setChosen([]);
    setLead(null);
    await client.invalidateQueries({ queryKey: ['review-submission', String(s.id)] });
    await client.invalidateQueries({ queryKey: ['reviewer-candidates', s.id] });
    await client.invalidateQueries({ queryKey: ['review-timeline', s.id] });
  };
  return (
    <div className="card">
      <h3>{t('reviews.assign.title')}</h3>
      <p className="hint">{t('reviews.assign.hint')}</p>
      {cands.isPending ? (
        <Loading />
      ) : cands.error ? (
        <ErrorMessage error={cands.error} />
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!chosen.length) return setMessage({ ok: false, text: t('reviews.assign.chooseSome') });
            void send(`/review-submissions/${s.id}/assignments`, 'POST', {
              reviewers: chosen,
              ...(lead && chosen.includes(lead) ? { lead } : {}),
            }).then(done);
          }}
        >
          <TableScroll>
            <table className="data">
              <caption className="visually-hidden">{t('reviews.assign.candidates')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reviews.assign.choose')}</th>
                  <th scope="col">{t('reviews.assign.reviewer')}</th>
                  <th scope="col">{t('reviews.reviewers.countries')}</th>
                  <th scope="col">{t('reviews.assign.open')}</th>
                  <th scope="col">{t('reviews.assign.eligible')}</th>
                  <th scope="col">{t('reviews.reviewers.lead')}</th>
                </tr>
              </thead>
              <tbody>
                {cands.data.items.map((c) => {
                  const name = c.displayName ?? c.email;
                  return (
                    <tr key={c.userId}>
                      <td>
                        <input
                          type="checkbox"
                          disabled={!c.eligible}
                          checked={chosen.includes(c.userId)}
                          aria-label={t('reviews.assign.chooseOne', { name })}
                          onChange={(e) =>
                            setChosen(e.target.checked ? [...chosen, c.userId] : chosen.filter((x) => x !== c.userId))
                          }
                        />
                      </td>
                      <td dir="auto">{name}</td>
                      <td>
                        <Countries codes={c.countries} />
                      </td>
                      <td className="num">{num(c.openAssignments, 0)}</td>
                      <td>
                        {c.eligible ? (
                          t('reviews.assign.yes')
                        ) : (
                          <span>
                            {t('reviews.assign.no')}: {c.reason ? candidateReason(t, c.reason) : ''}
                          </span>
                        )}
                      </td>
                      <td>
                        <input
                          type="radio"
                          name="lead"
                          disabled={!c.eligible}
                          checked={lead === c.userId}
                          aria-label={t('reviews.assign.leadOne', { name })}
                          onChange={() => setLead(c.userId)}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
          <div className="form-actions">
            <button type="submit">{t('reviews.assign.submit', { n: num(chosen.length, 0) })}</button>
          </div>
        </form>
      )}
      <form
        noValidate
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void send(`/review-submissions/${s.id}/assignments`, 'POST', {
            rule: { count: Math.max(1, Math.min(10, Number(count) || 2)) },
          }).then(done);
        }}
      >
        <div className="field">
          <label htmlFor="rule-count">{t('reviews.assign.ruleCount')}</label>
          <p id="rule-count-hint" className="hint">
            {t('reviews.assign.ruleHint')}
          </p>
          <input
            id="rule-count"
            type="number"
            min={1}
            max={10}
            dir="ltr"
            value={count}
            onChange={(e) => setCount(e.target.value)}
            aria-describedby="rule-count-hint"
          />
        </div>
        <button type="submit" className="secondary">
          {t('reviews.assign.byRule')}
        </button>
      </form>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice' : 'notice warn'} dir="auto">
          {message.text}
        </p>
      )}
    </div>
  );
}

function RecommendationForm({ s }: { s: SubmissionView }) {
  const { t } = useTranslation();
  const { lang, num } = usePrefs();
  const { send } = useSession();
  const client = useQueryClient();
  const mine = s.reviewers.find((r) => r.you);
  const given = s.recommendations.filter((r) => r.assignmentId === mine?.assignmentId && r.round === s.round).pop();
  const [rec, setRec] = useState<'accept' | 'revise' | ''>(given?.recommendation ?? '');
  const [summary, setSummary] = useState(given?.summary ?? '');
  const [message, setMessage] = useState<Msg>(null);
  const [err, setErr] = useState(false);
  const firstRef = useRef<HTMLInputElement>(null);
  const submit = async () => {
    if (!rec) {
      setErr(true);
      firstRef.current?.focus();
      return;
    }
    setErr(false);
    const res = await send(`/review-submissions/${s.id}/recommendations`, 'POST', {
      recommendation: rec,
      ...(summary.trim() ? { summary: summary.trim() } : {}),
      language: lang,
    });
    if (!res.ok) return setMessage({ ok: false, text: (await bodyOf(res)).message ?? res.statusText });
    setMessage({ ok: true, text: t('reviews.recommend.saved') });
    await client.invalidateQueries({ queryKey: ['review-submission', String(s.id)] });
    await client.invalidateQueries({ queryKey: ['review-timeline', s.id] });
    await client.invalidateQueries({ queryKey: ['inbox'] });
  };
  return (
    <section aria-labelledby="recommend-title">
      <h2 id="recommend-title">{t('reviews.recommend.yours', { n: num(s.round, 0) })}</h2>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset aria-describedby={err ? 'rec-error' : undefined} aria-invalid={err ? true : undefined}>
          <legend>{t('reviews.recommend.title')}</legend>
          <label className="choice">
            <input
              ref={firstRef}
              type="radio"
              name="rec"
              checked={rec === 'accept'}
              onChange={() => setRec('accept')}
            />{' '}
            {t('reviews.recommend.accept')}
          </label>
          <label className="choice">
            <input type="radio" name="rec" checked={rec === 'revise'} onChange={() => setRec('revise')} />{' '}
            {t('reviews.recommend.revise')}
          </label>
          {err && (
            <p id="rec-error" className="field-error">
              ⚠ {t('reviews.recommend.choose')}
            </p>
          )}
        </fieldset>
        <div className="field">
          <label htmlFor="rec-summary">{t('reviews.recommend.summary')}</label>
          <textarea id="rec-summary" dir="auto" rows={4} value={summary} onChange={(e) => setSummary(e.target.value)} />
        </div>
        <button type="submit">{t('reviews.recommend.submit')}</button>
        {message && (
          <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice' : 'notice warn'} dir="auto">
            {message.text}
          </p>
        )}
      </form>
    </section>
  );
}

/** The moves open to the reader (from the API): start the review, ask for a revision, accept, publish. */
function Actions({ s }: { s: SubmissionView }) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const { send } = useSession();
  const client = useQueryClient();
  const [note, setNote] = useState('');
  const [consAr, setConsAr] = useState(s.consolidated.ar ?? '');
  const [consEn, setConsEn] = useState(s.consolidated.en ?? '');
  const [message, setMessage] = useState<Msg>(null);
  const needsConsolidated = s.actions.includes('accept') || s.actions.includes('publish');
  const run = async (action: string) => {
    const consolidated: Record<string, string> = { ...s.consolidated };
    if (consAr.trim()) consolidated.ar = consAr.trim();
    else delete consolidated.ar;
    if (consEn.trim()) consolidated.en = consEn.trim();
    else delete consolidated.en;
    const res = await send(`/review-submissions/${s.id}/transitions?lang=${lang}`, 'POST', {
      action,
      ...(note.trim() ? { note: note.trim() } : {}),
      ...((action === 'accept' || action === 'publish') && Object.keys(consolidated).length ? { consolidated } : {}),
    });
    if (!res.ok) return setMessage({ ok: false, text: (await bodyOf(res)).message ?? res.statusText });
    setMessage({ ok: true, text: t('reviews.actions.done', { action: actionLabel(t, action) }) });
    setNote('');
    for (const k of [
      ['review-submission', String(s.id)],
      ['review-submissions'],
      ['review-timeline', s.id],
      ['published-reviews'],
      ['inbox'],
    ])
      await client.invalidateQueries({ queryKey: k });
  };
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">{t('reviews.actions.title')}</h2>
      <div className="form">
        {needsConsolidated && (
          <fieldset className="card">
            <legend>{t('reviews.consolidated.title')}</legend>
            <p className="hint" id="cons-hint">
              {t('reviews.consolidated.hint')}
            </p>
            <div className="two-cols">
              <div className="field">
                <label htmlFor="cons-ar">{t('reviews.consolidated.ar')}</label>
                <textarea
                  id="cons-ar"
                  lang="ar"
                  dir="rtl"
                  rows={5}
                  value={consAr}
                  onChange={(e) => setConsAr(e.target.value)}
                  aria-describedby="cons-hint"
                />
              </div>
              <div className="field">
                <label htmlFor="cons-en">{t('reviews.consolidated.en')}</label>
                <textarea
                  id="cons-en"
                  lang="en"
                  dir="ltr"
                  rows={5}
                  value={consEn}
                  onChange={(e) => setConsEn(e.target.value)}
                  aria-describedby="cons-hint"
                />
              </div>
            </div>
          </fieldset>
        )}
        <div className="field">
          <label htmlFor="action-note">{t('reviews.actions.note')}</label>
          <textarea id="action-note" dir="auto" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <div className="form-actions">
          {s.actions
            .filter((a) => a !== 'submit')
            .map((a) => (
              <button key={a} type="button" onClick={() => void run(a)}>
                {actionLabel(t, a)}
              </button>
            ))}
        </div>
        {message && (
          <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice' : 'notice warn'} dir="auto">
            {message.text}
          </p>
        )}
      </div>
    </section>
  );
}
