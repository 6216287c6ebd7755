import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';
import { described, Field, FormProblems, useFormProblems } from '../admin/forms.tsx';
import { type PickedPlace, PlacePicker } from '../admin/PlacePicker.tsx';
import { XlsFormImport } from '../xlsform/XlsFormImport.tsx';
import { CYCLE_KINDS, type CycleKind, fourYearsFrom, kindLabel, type QuestionnaireSummary } from './review-api.ts';
import './reviews.css';

const FIELDS = ['kind', 'titles', 'startsOn', 'endsOn', 'questionnaireVersionId', 'participants'] as const;

/**
 * Administrators: a new review cycle — kind, titles, dates (4 years for a peer review), questionnaire, participants.
 */
export function CycleNewPage() {
  const { t } = useTranslation();
  const { me, loading, send } = useSession();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { text, num } = usePrefs();
  const [kind, setKind] = useState<CycleKind>('safer-cities-peer-review');
  const [titleAr, setTitleAr] = useState('');
  const [titleEn, setTitleEn] = useState('');
  const [descAr, setDescAr] = useState('');
  const [descEn, setDescEn] = useState('');
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [endTouched, setEndTouched] = useState(false);
  const [version, setVersion] = useState('');
  const [participants, setParticipants] = useState<PickedPlace[]>([]);
  const [picked, setPicked] = useState<PickedPlace | null>(null);
  const [busy, setBusy] = useState(false);
  const { formRef, fields, general, fromResponse, setLocal, clear } = useFormProblems(FIELDS, (p) =>
    p ? p.split('.')[0]! : null,
  );
  const questionnaires = useQuery({
    queryKey: ['questionnaires'],
    enabled: !!me,
    queryFn: () => getJson<Page<QuestionnaireSummary>>('/questionnaires', { limit: 100 }),
  });
  if (loading) return <Loading />;
  if (!me)
    return (
      <section className="reviews admin">
        <h1>{t('reviews.cycles.new')}</h1>
        <p>
          <Link to="/sign-in">{t('reviews.signIn')}</Link>
        </p>
      </section>
    );

  const peer = kind === 'safer-cities-peer-review';
  const onStart = (v: string) => {
    setStartsOn(v);
    if (peer && !endTouched) setEndsOn(fourYearsFrom(v));
  };
  const submit = async () => {
    clear();
    const titles: Record<string, string> = {};
    if (titleAr.trim()) titles.ar = titleAr.trim();
    if (titleEn.trim()) titles.en = titleEn.trim();
    const local: Record<string, { text: string }> = {};
    if (!Object.keys(titles).length) local.titles = { text: t('reviews.cycle.titleRequired') };
    if (!startsOn) local.startsOn = { text: t('reviews.cycle.startRequired') };
    if (!peer && !endsOn) local.endsOn = { text: t('reviews.cycle.endRequired') };
    if (!version) local.questionnaireVersionId = { text: t('reviews.cycle.questionnaireRequired') };
    if (Object.keys(local).length) return setLocal(local);
    const descriptions: Record<string, string> = {};
    if (descAr.trim()) descriptions.ar = descAr.trim();
    if (descEn.trim()) descriptions.en = descEn.trim();
    setBusy(true);
    try {
      const res = await send('/review-cycles', 'POST', {
        kind,
        titles,
        ...(Object.keys(descriptions).length ? { descriptions } : {}),
        startsOn,
        ...(endsOn ? { endsOn } : {}),
        questionnaireVersionId: Number(version),
        participants: participants.map((p) => p.code),
      });
      if (!res.ok) return fromResponse(res);
      const cycle = (await res.json()) as { id: number };
      await client.invalidateQueries({ queryKey: ['review-cycles'] });
      await client.invalidateQueries({ queryKey: ['review-submissions'] });
      void navigate({ to: '/reviews/cycles/$id', params: { id: String(cycle.id) } });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="reviews admin">
      <Breadcrumbs items={[{ to: '/reviews', label: t('reviews.title') }, { label: t('reviews.cycles.new') }]} />
      <h1>{t('reviews.cycles.new')}</h1>
      <form
        ref={formRef}
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="form-grid">
          <Field id="cycle-kind" label={t('reviews.cycle.kind')} error={fields.kind}>
            <select
              id="cycle-kind"
              value={kind}
              onChange={(e) => {
                const k = e.target.value as CycleKind;
                setKind(k);
                if (k === 'safer-cities-peer-review' && !endTouched && startsOn) setEndsOn(fourYearsFrom(startsOn));
              }}
              {...described('cycle-kind', fields.kind)}
            >
              {CYCLE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {kindLabel(t, k)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="cycle-title-ar" label={t('reviews.cycle.titleAr')} error={fields.titles}>
            <input
              id="cycle-title-ar"
              type="text"
              lang="ar"
              dir="rtl"
              value={titleAr}
              onChange={(e) => setTitleAr(e.target.value)}
              {...described('cycle-title-ar', fields.titles)}
            />
          </Field>
          <Field id="cycle-title-en" label={t('reviews.cycle.titleEn')}>
            <input
              id="cycle-title-en"
              type="text"
              lang="en"
              dir="ltr"
              value={titleEn}
              onChange={(e) => setTitleEn(e.target.value)}
            />
          </Field>
          <Field id="cycle-starts" label={t('reviews.cycle.startsOn')} error={fields.startsOn}>
            <input
              id="cycle-starts"
              type="date"
              value={startsOn}
              onChange={(e) => onStart(e.target.value)}
              {...described('cycle-starts', fields.startsOn)}
            />
          </Field>
          <Field
            id="cycle-ends"
            label={t('reviews.cycle.endsOn')}
            hint={peer ? t('reviews.cycle.fourYears') : undefined}
            error={fields.endsOn}
          >
            <input
              id="cycle-ends"
              type="date"
              value={endsOn}
              onChange={(e) => {
                setEndsOn(e.target.value);
                setEndTouched(true);
              }}
              {...described('cycle-ends', fields.endsOn, peer)}
            />
          </Field>
        </div>
        <div className="form-grid">
          <Field id="cycle-desc-ar" label={t('reviews.cycle.descriptionAr')}>
            <textarea
              id="cycle-desc-ar"
              lang="ar"
              dir="rtl"
              rows={3}
              value={descAr}
              onChange={(e) => setDescAr(e.target.value)}
            />
          </Field>
          <Field id="cycle-desc-en" label={t('reviews.cycle.descriptionEn')}>
            <textarea
              id="cycle-desc-en"
              lang="en"
              dir="ltr"
              rows={3}
              value={descEn}
              onChange={(e) => setDescEn(e.target.value)}
            />
          </Field>
        </div>
        <fieldset className="card">
          <legend>{t('reviews.cycle.questionnaire')}</legend>
          <Field
            id="cycle-questionnaire"
            label={t('reviews.cycle.questionnaireVersion')}
            error={fields.questionnaireVersionId}
          >
            <select
              id="cycle-questionnaire"
              value={version}
              onChange={(e) => setVersion(e.target.value)}
              {...described('cycle-questionnaire', fields.questionnaireVersionId)}
            >
              <option value="">{t('reviews.cycle.choose')}</option>
              {(questionnaires.data?.items ?? []).map((q) => (
                <option key={q.latest.id} value={q.latest.id}>
                  {q.latest.title} — {q.formId} · {t('reviews.cycle.versionNumber', { n: num(q.latest.number, 0) })}
                </option>
              ))}
            </select>
          </Field>
          <p className="row builder-links">
            <Link to="/reviews/questionnaires/new">{t('reviews.builder.newLink')}</Link>
            {(() => {
              const chosen = (questionnaires.data?.items ?? []).find((x) => String(x.latest.id) === version);
              return chosen ? (
                <Link to="/reviews/questionnaires/$id/edit" params={{ id: String(chosen.id) }}>
                  {t('reviews.builder.editLink', { name: chosen.formId })}
                </Link>
              ) : null;
            })()}
          </p>
          <XlsFormImport
            onImported={(id) => {
              setVersion(String(id));
              void questionnaires.refetch();
            }}
          />
        </fieldset>
        <fieldset className="card">
          <legend>{t('reviews.cycle.participants')}</legend>
          <PlacePicker
            id="cycle-place"
            label={t('reviews.cycle.addParticipant')}
            value={picked}
            levels={['country', 'city']}
            error={fields.participants}
            onChange={(p) => {
              if (p && !participants.some((x) => x.code === p.code)) setParticipants([...participants, p]);
              setPicked(null);
            }}
          />
          {participants.length === 0 ? (
            <p className="muted">{t('reviews.cycle.noParticipants')}</p>
          ) : (
            <ul className="plain" aria-label={t('reviews.cycle.participants')}>
              {participants.map((p) => (
                <li key={p.code}>
                  <UserText names={p.names} fallbackText={p.code} />{' '}
                  <span className="muted small">{t(`level.${p.level}`)}</span>{' '}
                  <button
                    type="button"
                    className="secondary small-button"
                    onClick={() => setParticipants(participants.filter((x) => x.code !== p.code))}
                  >
                    {t('reviews.cycle.removeParticipantNamed', { place: text(p.names).text || p.code })}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
        <FormProblems problems={general} />
        <button type="submit" disabled={busy}>
          {t('reviews.cycles.create')}
        </button>
      </form>
    </section>
  );
}
