import type { AssessmentAnswers, IndicatorAnswer, IndicatorPrefill } from '@marsad/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { IndicatorName } from './SafetyMonitorPage.tsx';
import { problemOf } from './safety-errors.ts';
import {
  type AssessmentCheck,
  type AssessmentView,
  CHECKS,
  indicatorsOf,
  type SafetyFrameworkIndicator,
} from './safety-types.ts';
import './safety.css';

/** `/safety/assessments/$id`: a self-assessment, edited while it is a draft, read-only once submitted. */
export function SafetyAssessmentPage() {
  const { id } = useParams({ from: '/safety/assessments/$id' });
  const { t } = useTranslation();
  const { me, loading } = useSession();
  const q = useQuery({
    queryKey: ['safety-assessment', id],
    queryFn: () => getJson<AssessmentView>(`/safety-assessments/${id}`),
    enabled: !!me,
    retry: false,
  });
  if (loading) return <Loading />;
  if (!me)
    return (
      <article>
        <h1>{t('safetyAssessment.title')}</h1>
        <p className="notice">{t('safetyAssessment.signIn')}</p>
      </article>
    );
  if (q.error instanceof ApiError && (q.error.status === 404 || q.error.status === 400)) return <NotFoundPage />;
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorMessage error={q.error} />;
  return <Assessment key={q.data.id} a={q.data} />;
}

/** What Marsad prefilled for an indicator, and from which values. */
function Prefill({ p, day }: { p: IndicatorPrefill | undefined; day: string }) {
  const { t } = useTranslation();
  const { num, period, date } = usePrefs();
  if (!p || p.catalogue.length === 0) return <p className="safety-prefill">{t('safetyAssessment.prefill.none')}</p>;
  const yn = (v: boolean | null) =>
    v === null
      ? t('safetyAssessment.answer.unknown')
      : v
        ? t('safetyAssessment.answer.yes')
        : t('safetyAssessment.answer.no');
  return (
    <div className="safety-prefill">
      <p>
        {t('safetyAssessment.prefill.summary', {
          date: date(day),
          codes: p.catalogue.join(', '),
          exists: yn(p.checks.exists),
          regular: yn(p.checks.regular),
          disaggregated: yn(p.checks.disaggregated),
        })}
      </p>
      {p.from.length > 0 && (
        <ul>
          {p.from.map((h) => (
            <li key={`${h.indicator}/${h.series}`}>
              <Link to="/indicators/$code" params={{ code: h.indicator }}>
                {h.indicator}
              </Link>{' '}
              <span dir="ltr">({h.series})</span>:{' '}
              {t('safetyAssessment.prefill.from', {
                periods: num(h.periods, 0),
                latest: period(h.latestPeriod),
                brokenDown: h.brokenDown ? 'yes' : 'no',
              })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function CheckField({
  name,
  check,
  value,
  prefilled,
  disabled,
  onChange,
}: {
  name: string;
  check: AssessmentCheck;
  value: boolean | null;
  prefilled: boolean | null | undefined;
  disabled: boolean;
  onChange(v: boolean | null): void;
}) {
  const { t } = useTranslation();
  const options: [string, boolean | null][] = [
    ['yes', true],
    ['no', false],
    ['unknown', null],
  ];
  return (
    <fieldset>
      <legend>{t(`safetyAssessment.check.${check}`)}</legend>
      {options.map(([k, v]) => (
        <label key={k}>
          <input type="radio" name={name} checked={value === v} disabled={disabled} onChange={() => onChange(v)} />
          {t(`safetyAssessment.answer.${k}`)}
        </label>
      ))}
      {prefilled !== undefined && prefilled !== null && (
        <span className="safety-prefill">
          {' '}
          {t('safetyAssessment.prefill.was', {
            answer: prefilled ? t('safetyAssessment.answer.yes') : t('safetyAssessment.answer.no'),
          })}
          {prefilled !== value && ` — ${t('safetyAssessment.prefill.changed')}`}
        </span>
      )}
    </fieldset>
  );
}

function IndicatorForm({
  indicator,
  answer,
  prefill,
  day,
  disabled,
  onChange,
}: {
  indicator: SafetyFrameworkIndicator;
  answer: IndicatorAnswer;
  prefill: IndicatorPrefill | undefined;
  day: string;
  disabled: boolean;
  onChange(a: IndicatorAnswer): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [knowledgeText, setKnowledgeText] = useState(answer.evidence.knowledge.join(', '));
  const [obsText, setObsText] = useState(
    answer.evidence.observations.map((o) => (o.series ? `${o.indicator}/${o.series}` : o.indicator)).join(', '),
  );
  return (
    <section className="safety-indicator" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>
        <IndicatorName indicator={indicator} />
      </h3>
      {indicator.measures.length > 0 && (
        <p className="small">
          {t('safetyAssessment.measures')}:{' '}
          {indicator.measures.map((m, i) => (
            <span key={m.code}>
              {i > 0 && '; '}
              <UserText names={m.names} />
            </span>
          ))}
        </p>
      )}
      <Prefill p={prefill} day={day} />
      <div className="safety-checks">
        {CHECKS.map((c) => (
          <CheckField
            key={c}
            name={`${id}-${c}`}
            check={c}
            value={answer.checks[c]}
            prefilled={c === 'used' ? undefined : prefill?.checks[c as 'exists']}
            disabled={disabled}
            onChange={(v) => onChange({ ...answer, checks: { ...answer.checks, [c]: v } })}
          />
        ))}
      </div>
      <div className="field">
        <label htmlFor={`${id}-k`}>{t('safetyAssessment.evidence.knowledge')}</label>
        <input
          id={`${id}-k`}
          type="text"
          dir="ltr"
          inputMode="numeric"
          disabled={disabled}
          value={knowledgeText}
          onChange={(e) => {
            setKnowledgeText(e.target.value);
            const ids = e.target.value
              .split(/[\s,;]+/)
              .map(Number)
              .filter((n) => Number.isInteger(n) && n > 0);
            onChange({ ...answer, evidence: { ...answer.evidence, knowledge: [...new Set(ids)].slice(0, 30) } });
          }}
        />
        {answer.evidence.knowledge.length > 0 && (
          <p className="small">
            {answer.evidence.knowledge.map((k, i) => (
              <span key={k}>
                {i > 0 && ', '}
                <Link to="/knowledge/$id" params={{ id: String(k) }}>
                  {t('safetyAssessment.evidence.item', { id: k })}
                </Link>
              </span>
            ))}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-o`}>{t('safetyAssessment.evidence.observations')}</label>
        <input
          id={`${id}-o`}
          type="text"
          dir="ltr"
          disabled={disabled}
          value={obsText}
          onChange={(e) => {
            setObsText(e.target.value);
            const items = e.target.value
              .split(/[\s,;]+/)
              .filter(Boolean)
              .map((x) => {
                const [indicator = '', series] = x.split('/');
                return series ? { indicator, series } : { indicator };
              })
              .filter((o) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(o.indicator));
            onChange({ ...answer, evidence: { ...answer.evidence, observations: items.slice(0, 30) } });
          }}
        />
        {answer.evidence.observations.length > 0 && (
          <p className="small">
            {answer.evidence.observations.map((o, i) => (
              <span key={`${o.indicator}/${o.series ?? ''}`}>
                {i > 0 && ', '}
                <Link to="/indicators/$code" params={{ code: o.indicator }}>
                  {o.indicator}
                </Link>
              </span>
            ))}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-n`}>{t('safetyAssessment.note')}</label>
        <textarea
          id={`${id}-n`}
          dir="auto"
          rows={3}
          maxLength={4000}
          disabled={disabled}
          value={answer.note}
          onChange={(e) => onChange({ ...answer, note: e.target.value })}
        />
      </div>
    </section>
  );
}

function Assessment({ a }: { a: AssessmentView }) {
  const { t } = useTranslation();
  const { num, date } = usePrefs();
  const { send } = useSession();
  const client = useQueryClient();
  const [answers, setAnswers] = useState<AssessmentAnswers>(a.answers);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ text: string; lang: string | undefined; ok: boolean } | null>(null);
  useEffect(() => setAnswers(a.answers), [a.answers]);
  const s = a.framework.structure;
  const names = new Map(indicatorsOf(s).map((x) => [x.indicator.code, x.indicator]));
  const readOnly = !a.canWrite;

  const save = async (): Promise<boolean> => {
    setBusy(true);
    try {
      const res = await send(`/safety-assessments/${a.id}`, 'PUT', { answers });
      if (!res.ok) {
        setMessage({ ...(await problemOf(res, t)), ok: false });
        return false;
      }
      setDirty(false);
      setMessage({ text: t('safetyAssessment.saved'), lang: undefined, ok: true });
      await client.invalidateQueries({ queryKey: ['safety-assessment', String(a.id)] });
      return true;
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    if (dirty && !(await save())) return;
    setBusy(true);
    try {
      const res = await send(`/safety-assessments/${a.id}/submit`, 'POST');
      if (!res.ok) setMessage({ ...(await problemOf(res, t)), ok: false });
      else {
        setMessage({ text: t('safetyAssessment.submittedNow'), lang: undefined, ok: true });
        await client.invalidateQueries({ queryKey: ['safety-assessment', String(a.id)] });
        await client.invalidateQueries({ queryKey: ['safety-assessments', a.place] });
      }
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  const yn = (v: boolean | null) =>
    v === null
      ? t('safetyAssessment.answer.unknown')
      : v
        ? t('safetyAssessment.answer.yes')
        : t('safetyAssessment.answer.no');

  return (
    <article>
      <Breadcrumbs
        items={[
          { to: '/safety', label: t('safetyMonitor.landing.title') },
          {
            label: (
              <Link to="/safety/assessments" search={{ place: a.place }}>
                {t('safetyAssessment.title')}
              </Link>
            ),
          },
          { label: t('safetyAssessment.openOne', { n: num(a.id, 0) }) },
        ]}
      />
      <h1>
        {t('safetyAssessment.titleOf')} <UserText names={a.placeNames} />
      </h1>
      {a.demo && <p className="notice warn">{t('safetyAssessment.syntheticNotice')}</p>}
      <p>
        {t(`safetyAssessment.stateName.${a.state}`)}
        {a.submittedAt && ` — ${date(a.submittedAt)}`} ·{' '}
        {t('safetyAssessment.usesVersion', { n: num(a.framework.version, 0) })}{' '}
        <Link to="/safety/monitor" search={{ version: a.framework.version }}>
          {t('safetyMonitor.usm.view')}
        </Link>
      </p>
      {a.framework.latestVersion > a.framework.version && (
        <p className="notice">{t('safetyAssessment.newerVersion', { n: num(a.framework.latestVersion, 0) })}</p>
      )}
      <p className="small">{t('safetyAssessment.prefill.rule')}</p>
      {readOnly && (
        <p className="notice">
          {t(a.state === 'submitted' ? 'safetyAssessment.readOnlySubmitted' : 'safetyAssessment.readOnlyReader')}
        </p>
      )}
      <p>
        <Link to="/safety/assessments/$id/profile" params={{ id: String(a.id) }}>
          {t('safetyAssessment.profile')}
        </Link>
      </p>

      <section aria-labelledby="safety-changes">
        <h2 id="safety-changes">{t('safetyAssessment.changes.title')}</h2>
        {!a.previous ? (
          <p className="muted">{t('safetyAssessment.changes.first')}</p>
        ) : a.changes.length === 0 ? (
          <p className="muted">
            {t('safetyAssessment.changes.none', { date: a.previous.submittedAt ? date(a.previous.submittedAt) : '' })}
          </p>
        ) : (
          <>
            <p>
              {t('safetyAssessment.changes.since', {
                date: a.previous.submittedAt ? date(a.previous.submittedAt) : '',
              })}
            </p>
            <ul>
              {a.changes.map((c) => {
                const ind = names.get(c.indicator);
                return (
                  <li key={c.indicator}>
                    <strong>{ind ? <IndicatorName indicator={ind} /> : c.indicator}</strong>:{' '}
                    {c.checks.map((x, i) => (
                      <span key={x.check}>
                        {i > 0 && '; '}
                        {t('safetyAssessment.changes.check', {
                          check: t(`safetyAssessment.check.${x.check}`),
                          before: yn(x.before),
                          after: yn(x.after),
                        })}
                      </span>
                    ))}
                    {c.categoryBefore !== c.categoryAfter && (
                      <>
                        {c.checks.length > 0 && '; '}
                        {t('safetyAssessment.changes.category', {
                          before: c.categoryBefore ? t(`safetyAssessment.catOne.${c.categoryBefore}`) : '—',
                          after: t(`safetyAssessment.catOne.${c.categoryAfter}`),
                        })}
                      </>
                    )}
                  </li>
                );
              })}
            </ul>
          </>
        )}
      </section>

      {[
        ...s.themes.map((th) => ({ code: th.code, names: th.names, list: th.indicators })),
        { code: '', names: null, list: s.unplaced },
      ].map((group) => {
        const list = group.list.filter((i) => i.status !== 'slot');
        if (!list.length) return null;
        return (
          <section key={group.code || 'unplaced'}>
            <h2>{group.names ? <UserText names={group.names} /> : t('safetyMonitor.unplaced')}</h2>
            {list.map((ind) => (
              <IndicatorForm
                key={ind.code}
                indicator={ind}
                answer={
                  answers[ind.code] ?? {
                    checks: { exists: null, regular: null, disaggregated: null, used: null },
                    evidence: { knowledge: [], observations: [] },
                    note: '',
                  }
                }
                prefill={a.prefill[ind.code]}
                day={a.prefilledOn}
                disabled={readOnly || busy}
                onChange={(next) => {
                  setAnswers((cur) => ({ ...cur, [ind.code]: next }));
                  setDirty(true);
                }}
              />
            ))}
          </section>
        );
      })}
      <p className="muted small">{t('safetyAssessment.slotsNotAssessed')}</p>
      {!readOnly && (
        <div className="safety-actions">
          <button type="button" disabled={busy} onClick={() => void save()}>
            {t('safetyAssessment.saveDraft')}
          </button>
          {confirming ? (
            <>
              <span>{t('safetyAssessment.confirmSubmit')}</span>
              <button type="button" disabled={busy} onClick={() => void submit()}>
                {t('safetyAssessment.submitYes')}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {t('safetyAssessment.submitNo')}
              </button>
            </>
          ) : (
            <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
              {t('safetyAssessment.submit')}
            </button>
          )}
        </div>
      )}
      {message && (
        <p
          role={message.ok ? undefined : 'alert'}
          aria-live={message.ok ? 'polite' : undefined}
          className={message.ok ? 'notice' : 'notice warn'}
          lang={message.lang}
        >
          {message.text}
        </p>
      )}
    </article>
  );
}
