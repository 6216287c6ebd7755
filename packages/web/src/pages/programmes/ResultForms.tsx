import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { IndicatorDetail, Names, Page } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { LANG_CODES, LangFields, langErrors, langKeys, sixOf } from '../../components/LangFields.tsx';
import { UserText } from '../../components/UserText.tsx';
import type { Shown } from '../admin/admin-api.ts';
import { ConfirmBox, Done, described, Field, FieldError, FormProblems, numberOf } from '../admin/forms.tsx';
import { type PickedPlace, PlacePicker } from '../admin/PlacePicker.tsx';
import { useEdit } from './programme-edit-context.tsx';
import { fieldOfPath, texts, useLimitMessages, useResultsForm, useYear } from './programme-kit.tsx';
import { levelLabel, resultStatusLabel } from './programme-labels.ts';
import {
  type MeasureView,
  RESULT_LEVELS,
  RESULT_STATUSES,
  type ResultLevel,
  type ResultStatus,
  type ResultView,
} from './programme-types.ts';

/**
 * The forms that change a results framework (docs/methods/results.md): a result under a
 * result, its measures (an indicator of the catalogue at places, or one of the programme
 * with its unit and better direction), their baselines, targets and (programme-specific only)
 * actual values. The API decides who may; its refusals are shown next to the fields.
 */

const rank = (l: ResultLevel) => RESULT_LEVELS.indexOf(l);

/** Several places: the chosen ones with a button to remove each, and a search to add one. */
export function PlacesField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
}: {
  id: string;
  label: string;
  value: PickedPlace[];
  onChange(v: PickedPlace[]): void;
  error?: Shown;
  hint?: string;
}) {
  const { t } = useTranslation();
  const { text } = usePrefs();
  return (
    <fieldset className="places-field" aria-describedby={hint ? `${id}-set-hint` : undefined}>
      <legend>{label}</legend>
      {hint && (
        <p id={`${id}-set-hint`} className="hint">
          {hint}
        </p>
      )}
      {value.length > 0 ? (
        <ul className="chosen-places">
          {value.map((p, i) => (
            <li key={p.code}>
              <UserText names={p.names} fallbackText={p.code} /> <code className="small">{p.code}</code>{' '}
              <button
                type="button"
                className="secondary small-button"
                id={`${id}-remove-${p.code}`}
                onClick={() => {
                  onChange(value.filter((x) => x.code !== p.code));
                  const next = value[i + 1] ?? value[i - 1];
                  setTimeout(() => document.getElementById(next ? `${id}-remove-${next.code}` : id)?.focus(), 0);
                }}
              >
                {t('programmes.edit.removePlace', { place: text(p.names).text || p.code })}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="small muted">{t('programmes.edit.noPlaces')}</p>
      )}
      <PlacePicker
        id={id}
        label={t('programmes.edit.addPlace')}
        value={null}
        error={error}
        onChange={(p) => {
          if (p && !value.some((x) => x.code === p.code)) onChange([...value, p]);
          setTimeout(() => document.getElementById(id)?.focus(), 0);
        }}
      />
    </fieldset>
  );
}

/** Places of the API (names in the reader's language) as the picker's choices. */
const picked = (places: { place: string; name: string | null; level: string }[], lang: string): PickedPlace[] =>
  places.map((p) => ({ code: p.place, level: p.level, names: p.name ? { [lang]: p.name } : {} }));

function Buttons({ busy, submit }: { busy: boolean; submit: string }) {
  const { t } = useTranslation();
  const edit = useEdit();
  return (
    <div className="actions">
      <button type="submit" disabled={busy}>
        {submit}
      </button>
      <button type="button" className="secondary" onClick={() => edit.close()}>
        {t('admin.cancel')}
      </button>
    </div>
  );
}

// ---- results -------------------------------------------------------------------------------

export function ResultForm({
  mode,
  result,
  parent,
}: {
  mode: 'add' | 'edit';
  result?: ResultView;
  parent: ResultView | null;
}) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const { send } = useSession();
  const edit = useEdit();
  const id = useId();
  const { programme } = edit;
  const r = result;
  const minRank = parent ? rank(parent.level) + 1 : 0;
  const maxRank = r?.children.length ? Math.min(...r.children.map((c) => rank(c.level))) - 1 : RESULT_LEVELS.length - 1;
  const levels = RESULT_LEVELS.filter((l) => rank(l) >= minRank && rank(l) <= maxRank);
  const [level, setLevel] = useState<ResultLevel>(r?.level ?? levels[0] ?? 'activity');
  const [code, setCode] = useState(r?.code ?? '');
  const [titles, setTitles] = useState(sixOf(r?.titles));
  const [descriptions, setDescriptions] = useState(sixOf(r?.descriptions));
  const [places, setPlaces] = useState<PickedPlace[]>(picked(r?.places ?? parent?.places ?? [], lang));
  const [pillars, setPillars] = useState<string[]>(r?.pillars ?? []);
  const [status, setStatus] = useState<ResultStatus>(r?.status ?? 'planned');
  const [startDate, setStartDate] = useState(r?.startDate ?? '');
  const [endDate, setEndDate] = useState(r?.endDate ?? '');
  const [weight, setWeight] = useState(String(r?.weight ?? 1));
  const [busy, setBusy] = useState(false);
  const known = [
    'level',
    'code',
    ...LANG_CODES.flatMap((l) => [`titles.${l}`, `descriptions.${l}`]),
    'places',
    'pillars',
    'status',
    'startDate',
    'endDate',
    'weight',
  ];
  const form = useResultsForm(known, fieldOfPath({ titles: `titles.${lang}`, descriptions: `descriptions.${lang}` }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const w = numberOf(weight);
    const local: Record<string, Shown> = {};
    const newTitles = texts({ ...(r?.titles ?? {}), ...titles });
    if (!Object.keys(newTitles).length) local[`titles.${lang}`] = { text: t('programmes.error.textNeeded') };
    if (w === undefined || Number.isNaN(w) || w < 0) local.weight = { text: t('programmes.error.weight') };
    if (startDate && endDate && endDate < startDate) local.endDate = { text: t('programmes.error.endBeforeStart') };
    if (Object.keys(local).length) {
      form.setLocal(local);
      return;
    }
    const common = {
      level,
      titles: newTitles,
      descriptions: texts({ ...(r?.descriptions ?? {}), ...descriptions }),
      places: places.map((p) => p.code),
      status,
      weight: w,
      ...(programme.pillars.length ? { pillars } : {}),
    };
    setBusy(true);
    const res =
      mode === 'add'
        ? await send('/results', 'POST', {
            programme: programme.code,
            parent: parent?.id ?? null,
            ...common,
            ...(code.trim() ? { code: code.trim() } : {}),
            ...(startDate ? { startDate } : {}),
            ...(endDate ? { endDate } : {}),
          })
        : await send(`/results/${r!.id}`, 'PATCH', {
            ...common,
            code: code.trim() || null,
            startDate: startDate || null,
            endDate: endDate || null,
          });
    setBusy(false);
    if (!res.ok) {
      await form.fromResponse(res);
      return;
    }
    const answer = (await res.json()) as { id: number };
    await edit.refresh();
    edit.setFlash({
      at: `result-${answer.id}`,
      text: mode === 'add' ? t('programmes.edit.resultAdded') : t('programmes.edit.saved'),
    });
    edit.close(mode === 'add' ? `result-${answer.id}-title` : undefined);
  };

  const legend =
    mode === 'add'
      ? parent
        ? t('programmes.edit.addUnderTitle', { result: `${levelLabel(t, parent.level)} ${parent.code ?? ''}`.trim() })
        : t('programmes.edit.addTopResult')
      : t('programmes.edit.editResultTitle', { result: `${levelLabel(t, r!.level)} ${r!.code ?? ''}`.trim() });
  return (
    <form
      ref={form.formRef}
      className="admin edit-form form card no-print"
      onSubmit={submit}
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Escape') edit.close();
      }}
    >
      <h3 className="form-title">{legend}</h3>
      <div className="form-grid">
        <Field id={`${id}-level`} label={t('programmes.edit.level')} error={form.fields.level}>
          <select
            id={`${id}-level`}
            value={level}
            onChange={(e) => setLevel(e.target.value as ResultLevel)}
            {...described(`${id}-level`, form.fields.level)}
            autoFocus
          >
            {levels.map((l) => (
              <option key={l} value={l}>
                {levelLabel(t, l)}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id={`${id}-code`}
          label={t('programmes.edit.code')}
          hint={t('programmes.edit.codeHint')}
          error={form.fields.code}
        >
          <input
            id={`${id}-code`}
            type="text"
            dir="ltr"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            {...described(`${id}-code`, form.fields.code, true)}
          />
        </Field>
        <Field id={`${id}-status`} label={t('programmes.edit.status')} error={form.fields.status}>
          <select
            id={`${id}-status`}
            value={status}
            onChange={(e) => setStatus(e.target.value as ResultStatus)}
            {...described(`${id}-status`, form.fields.status)}
          >
            {RESULT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {resultStatusLabel(t, s)}
              </option>
            ))}
          </select>
        </Field>
        <LangFields
          id={`${id}-title`}
          label={t('langFields.title')}
          values={titles}
          onChange={setTitles}
          errors={langErrors(form.fields, 'titles')}
          className="wide"
        />
        <LangFields
          id={`${id}-desc`}
          label={t('langFields.description')}
          values={descriptions}
          onChange={setDescriptions}
          errors={langErrors(form.fields, 'descriptions')}
          multiline
          className="wide"
        />
        <Field id={`${id}-start`} label={t('programmes.edit.startDate')} error={form.fields.startDate}>
          <input
            id={`${id}-start`}
            type="date"
            value={startDate}
            onChange={(e) => setStartDate(e.target.value)}
            {...described(`${id}-start`, form.fields.startDate)}
          />
        </Field>
        <Field id={`${id}-end`} label={t('programmes.edit.endDate')} error={form.fields.endDate}>
          <input
            id={`${id}-end`}
            type="date"
            value={endDate}
            onChange={(e) => setEndDate(e.target.value)}
            {...described(`${id}-end`, form.fields.endDate)}
          />
        </Field>
        <Field
          id={`${id}-weight`}
          label={t('programmes.edit.weight')}
          hint={t('programmes.edit.weightHint')}
          error={form.fields.weight}
        >
          <input
            id={`${id}-weight`}
            type="text"
            inputMode="decimal"
            dir="ltr"
            value={weight}
            onChange={(e) => setWeight(e.target.value)}
            {...described(`${id}-weight`, form.fields.weight, true)}
          />
        </Field>
      </div>
      <PlacesField
        id={`${id}-places`}
        label={t('programmes.edit.responsible')}
        hint={edit.rights.admin ? undefined : t('programmes.edit.placesHintFocal')}
        value={places}
        onChange={setPlaces}
        error={form.fields.places}
      />
      {programme.pillars.length > 0 && (
        <fieldset>
          <legend>{t('programmes.pillarsOf')}</legend>
          <div className="checks">
            {programme.pillars.map((p) => (
              <label key={p.code}>
                <input
                  type="checkbox"
                  checked={pillars.includes(p.code)}
                  onChange={(e) =>
                    setPillars(e.target.checked ? [...pillars, p.code] : pillars.filter((x) => x !== p.code))
                  }
                />{' '}
                <span>{p.code}</span> <UserText names={p.names} />
              </label>
            ))}
          </div>
          <FieldError id={`${id}-pillars`} error={form.fields.pillars} />
        </fieldset>
      )}
      <FormProblems problems={form.general} />
      <Buttons busy={busy} submit={mode === 'add' ? t('programmes.edit.addResult') : t('admin.save')} />
    </form>
  );
}

function countUnder(r: ResultView): number {
  return r.children.reduce((n, c) => n + 1 + countUnder(c), 0);
}

export function DeleteResult({ r }: { r: ResultView }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const { send } = useSession();
  const edit = useEdit();
  const name = `${levelLabel(t, r.level)} ${r.code ?? ''}`.trim();
  const under = countUnder(r);
  const form = useResultsForm([]);
  return (
    <div className="admin no-print">
      <ConfirmBox
        text={t('programmes.edit.deleteResultConfirm', { result: name, n: num(under, 0), count: under })}
        yes={t('programmes.edit.deleteResult')}
        onNo={() => edit.close()}
        onYes={async () => {
          const res = await send(`/results/${r.id}`, 'DELETE');
          if (!res.ok) {
            await form.fromResponse(res);
            return;
          }
          await edit.refresh();
          edit.setFlash({
            at: r.parentId === null ? 'tree' : `result-${r.parentId}`,
            text: t('programmes.edit.resultDeleted', { result: name }),
          });
          edit.close(r.parentId === null ? 'results-heading' : `result-${r.parentId}-title`);
        }}
      />
      <FormProblems problems={form.general} />
    </div>
  );
}

// ---- measures ------------------------------------------------------------------------------

interface IndicatorItem {
  code: string;
  name: string | null;
  names: Names;
  direction: string;
  status: string;
}

export function MeasureForm({
  mode,
  result,
  measure,
}: {
  mode: 'add' | 'edit';
  result: ResultView;
  measure?: MeasureView;
}) {
  const { t } = useTranslation();
  const { lang, num } = usePrefs();
  const year = useYear();
  const { send } = useSession();
  const edit = useEdit();
  const id = useId();
  const m = measure;
  const [kind, setKind] = useState<'indicator' | 'specific'>(m?.kind === 'specific' ? 'specific' : 'indicator');
  const actualKind = m?.kind ?? kind;
  const [indicator, setIndicator] = useState(m?.indicator?.code ?? '');
  const [series, setSeries] = useState(m?.series?.code ?? '');
  const [places, setPlaces] = useState<PickedPlace[]>(picked(m?.places ?? [], lang));
  const [aggregation, setAggregation] = useState<'mean' | 'sum'>(m?.aggregation ?? 'mean');
  const [ascending, setAscending] = useState<'' | 'true' | 'false'>(m ? (m.ascending ? 'true' : 'false') : '');
  const [names, setNames] = useState(sixOf(m?.kind === 'specific' ? m.names : {}));
  const [unitNames, setUnitNames] = useState(sixOf(m?.kind === 'specific' ? m.unitNames : {}));
  const [percentage, setPercentage] = useState(m?.measure === 'percentage');
  const [baseYear, setBaseYear] = useState(
    m?.baseline && m.baseline.from !== 'definition' ? String(m.baseline.year) : '',
  );
  const [baseValue, setBaseValue] = useState(
    m?.baseline && m.baseline.from === 'entered' && m.baseline.value !== null ? String(m.baseline.value) : '',
  );
  const [weight, setWeight] = useState(String(m?.weight ?? 1));
  const [busy, setBusy] = useState(false);
  const known = [
    'kind',
    'indicator',
    'series',
    'places',
    'aggregation',
    'ascending',
    'measure',
    ...langKeys('names'),
    ...langKeys('unitNames'),
    'baseline.year',
    'baseline.value',
    'weight',
  ];
  const limits = useLimitMessages();
  const form = useResultsForm(
    known,
    fieldOfPath({ names: `names.${lang}`, unitNames: `unitNames.${lang}`, baseline: 'baseline.year' }),
  );
  const catalogue = useQuery({
    queryKey: ['indicators-all', lang],
    enabled: actualKind === 'indicator' && mode === 'add',
    staleTime: 300_000,
    queryFn: () => getJson<Page<IndicatorItem>>('/indicators', { lang, limit: 1000 }),
  });
  const code = indicator.trim();
  const known_ = !!catalogue.data?.items.some((i) => i.code === code) || (mode === 'edit' && !!code);
  const detail = useQuery({
    queryKey: ['indicator', code, lang],
    enabled: actualKind === 'indicator' && known_ && !!code,
    staleTime: 300_000,
    queryFn: () => getJson<IndicatorDetail>(`/indicators/${encodeURIComponent(code)}`, { lang }),
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, Shown> = {};
    const w = numberOf(weight);
    if (w === undefined || Number.isNaN(w) || w < 0) local.weight = { text: t('programmes.error.weight') };
    const by = numberOf(baseYear);
    const bv = numberOf(baseValue);
    if (by !== undefined && (Number.isNaN(by) || !Number.isInteger(by) || by < 1900 || by > 2100))
      local['baseline.year'] = { text: limits.year };
    if (bv !== undefined && Number.isNaN(bv)) local['baseline.value'] = { text: t('apiError.number') };
    if (by === undefined && bv !== undefined)
      local['baseline.year'] = { text: t('programmes.error.baselineYearNeeded') };
    if (actualKind === 'specific' && by !== undefined && bv === undefined)
      local['baseline.value'] = { text: t('programmes.error.baselineValueNeeded') };
    if (actualKind === 'indicator' && mode === 'add' && !code) local.indicator = { text: t('apiError.required') };
    if (actualKind === 'indicator' && places.length === 0)
      local.places = { text: t('programmes.error.placesForIndicator') };
    const newNames = texts(names);
    if (actualKind === 'specific' && !Object.keys(newNames).length)
      local[`names.${lang}`] = { text: t('programmes.error.textNeeded') };
    if (actualKind === 'specific' && mode === 'add' && !ascending)
      local.ascending = { text: t('programmes.error.chooseDirection') };
    if (Object.keys(local).length) {
      form.setLocal(local);
      return;
    }
    const baseline = by === undefined ? null : { year: by, ...(bv !== undefined ? { value: bv } : {}) };
    const asc = ascending === '' ? {} : { ascending: ascending === 'true' };
    let body: Record<string, unknown>;
    if (actualKind === 'indicator') {
      body = {
        ...(mode === 'add' ? { kind: 'indicator', indicator: code } : {}),
        ...(series ? { series } : {}),
        places: places.map((p) => p.code),
        aggregation,
        ...asc,
        baseline,
        weight: w,
      };
    } else if (actualKind === 'specific') {
      body = {
        ...(mode === 'add' ? { kind: 'specific' } : {}),
        names: newNames,
        unitNames: texts(unitNames),
        ...asc,
        measure: percentage ? 'percentage' : 'unit',
        baseline,
        weight: w,
      };
    } else {
      body = { weight: w };
    }
    setBusy(true);
    const res =
      mode === 'add'
        ? await send(`/results/${result.id}/measures`, 'POST', body)
        : await send(`/result-measures/${m!.id}`, 'PATCH', body);
    setBusy(false);
    if (!res.ok) {
      await form.fromResponse(res);
      return;
    }
    const answer = (await res.json()) as { id: number };
    await edit.refresh();
    edit.setFlash({
      at: `measure-${answer.id}`,
      text: mode === 'add' ? t('programmes.edit.measureAdded') : t('programmes.edit.saved'),
    });
    edit.close(mode === 'add' ? `targets-${answer.id}` : undefined);
  };

  const ind = detail.data;
  return (
    <form
      ref={form.formRef}
      className="admin edit-form form card no-print"
      onSubmit={submit}
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Escape') edit.close();
      }}
    >
      <h3 className="form-title">
        {mode === 'add'
          ? t('programmes.edit.addMeasureTitle', {
              result: `${levelLabel(t, result.level)} ${result.code ?? ''}`.trim(),
            })
          : t('programmes.edit.editMeasureTitle', { measure: m!.indicator?.code ?? m!.name ?? '' })}
      </h3>
      {mode === 'add' && (
        <fieldset>
          <legend>{t('programmes.edit.kind')}</legend>
          <div className="checks">
            <label>
              <input
                type="radio"
                name={`${id}-kind`}
                checked={kind === 'indicator'}
                onChange={() => setKind('indicator')}
                autoFocus
              />{' '}
              {t('programmes.kind.indicator')}
            </label>
            <label>
              <input
                type="radio"
                name={`${id}-kind`}
                checked={kind === 'specific'}
                onChange={() => setKind('specific')}
              />{' '}
              {t('programmes.kind.specific')}
            </label>
          </div>
          <p className="hint">
            {kind === 'indicator' ? t('programmes.edit.kindIndicatorHint') : t('programmes.edit.kindSpecificHint')}
          </p>
        </fieldset>
      )}
      <div className="form-grid">
        {actualKind === 'indicator' && (
          <>
            {mode === 'add' ? (
              <Field
                id={`${id}-indicator`}
                label={t('programmes.edit.indicator')}
                hint={t('programmes.edit.indicatorHint')}
                error={form.fields.indicator}
                className="wide"
              >
                <input
                  id={`${id}-indicator`}
                  type="text"
                  dir="ltr"
                  list={`${id}-indicators`}
                  value={indicator}
                  autoComplete="off"
                  onChange={(e) => {
                    setIndicator(e.target.value);
                    setSeries('');
                  }}
                  {...described(`${id}-indicator`, form.fields.indicator, true)}
                />
                <datalist id={`${id}-indicators`}>
                  {(catalogue.data?.items ?? [])
                    .filter((i) => i.status !== 'retired')
                    .map((i) => (
                      <option key={i.code} value={i.code}>
                        {i.name ?? i.code}
                      </option>
                    ))}
                </datalist>
                {ind && (
                  <p className="small" aria-live="polite">
                    <UserText names={ind.names} />
                  </p>
                )}
              </Field>
            ) : null}
            {ind && ind.series.length > 1 && (
              <Field id={`${id}-series`} label={t('programmes.edit.series')} error={form.fields.series}>
                <select
                  id={`${id}-series`}
                  value={series}
                  onChange={(e) => setSeries(e.target.value)}
                  {...described(`${id}-series`, form.fields.series)}
                >
                  <option value="">{t('programmes.edit.defaultSeries')}</option>
                  {ind.series.map((s) => (
                    <option key={s.code} value={s.code}>
                      {s.name || s.code}
                    </option>
                  ))}
                </select>
              </Field>
            )}
            <Field
              id={`${id}-aggregation`}
              label={t('programmes.edit.aggregation')}
              hint={t('programmes.edit.aggregationHint')}
              error={form.fields.aggregation}
            >
              <select
                id={`${id}-aggregation`}
                value={aggregation}
                onChange={(e) => setAggregation(e.target.value === 'sum' ? 'sum' : 'mean')}
                {...described(`${id}-aggregation`, form.fields.aggregation, true)}
              >
                <option value="mean">{t('programmes.aggregation.mean')}</option>
                <option value="sum">{t('programmes.aggregation.sum')}</option>
              </select>
            </Field>
          </>
        )}
        {actualKind === 'specific' && (
          <>
            <LangFields
              id={`${id}-name`}
              label={t('langFields.name')}
              values={names}
              onChange={setNames}
              errors={langErrors(form.fields, 'names')}
              maxLength={5000}
              className="wide"
            />
            <LangFields
              id={`${id}-unit`}
              label={t('langFields.unit')}
              values={unitNames}
              onChange={setUnitNames}
              errors={langErrors(form.fields, 'unitNames')}
              maxLength={5000}
              className="wide"
            />
            <div className="field">
              <label className="check-line">
                <input type="checkbox" checked={percentage} onChange={(e) => setPercentage(e.target.checked)} />{' '}
                {t('programmes.edit.percentage')}
              </label>
            </div>
          </>
        )}
        {actualKind !== 'computed' && (
          <Field id={`${id}-ascending`} label={t('programmes.edit.direction')} error={form.fields.ascending}>
            <select
              id={`${id}-ascending`}
              value={ascending}
              onChange={(e) =>
                setAscending(e.target.value === 'true' ? 'true' : e.target.value === 'false' ? 'false' : '')
              }
              {...described(`${id}-ascending`, form.fields.ascending)}
            >
              {actualKind === 'indicator' && mode === 'add' && (
                <option value="">{t('programmes.edit.directionFromIndicator')}</option>
              )}
              {actualKind === 'specific' && mode === 'add' && (
                <option value="">{t('programmes.edit.chooseDirection')}</option>
              )}
              <option value="true">{t('programmes.higherBetter')}</option>
              <option value="false">{t('programmes.lowerBetter')}</option>
            </select>
          </Field>
        )}
        {actualKind !== 'computed' && (
          <>
            <Field
              id={`${id}-base-year`}
              label={t('programmes.edit.baselineYear')}
              error={form.fields['baseline.year']}
            >
              <input
                id={`${id}-base-year`}
                type="text"
                inputMode="numeric"
                dir="ltr"
                value={baseYear}
                onChange={(e) => setBaseYear(e.target.value)}
                {...described(`${id}-base-year`, form.fields['baseline.year'])}
              />
            </Field>
            <Field
              id={`${id}-base-value`}
              label={t('programmes.edit.baselineValue')}
              error={form.fields['baseline.value']}
              hint={actualKind === 'indicator' ? t('programmes.edit.baselineValueHint') : undefined}
            >
              <input
                id={`${id}-base-value`}
                type="text"
                inputMode="decimal"
                dir="ltr"
                value={baseValue}
                onChange={(e) => setBaseValue(e.target.value)}
                {...described(`${id}-base-value`, form.fields['baseline.value'], actualKind === 'indicator')}
              />
            </Field>
          </>
        )}
        <Field
          id={`${id}-weight`}
          label={t('programmes.edit.weight')}
          hint={t('programmes.edit.weightHint')}
          error={form.fields.weight}
        >
          <input
            id={`${id}-weight`}
            type="text"
            inputMode="decimal"
            dir="ltr"
            value={weight}
            onChange={(e) => setWeight(e.target.value)}
            {...described(`${id}-weight`, form.fields.weight, true)}
            autoFocus={mode === 'edit'}
          />
        </Field>
      </div>
      {actualKind === 'indicator' && (
        <PlacesField
          id={`${id}-places`}
          label={t('programmes.edit.measurePlaces')}
          hint={t('programmes.edit.measurePlacesHint')}
          value={places}
          onChange={setPlaces}
          error={form.fields.places}
        />
      )}
      {m?.baseline?.from === 'observations' && m.baseline.value !== null && (
        <p className="small muted">
          {t('programmes.edit.baselineNow', { year: year(m.baseline.year), value: num(m.baseline.value) })}
        </p>
      )}
      <FormProblems problems={form.general} />
      <Buttons busy={busy} submit={mode === 'add' ? t('programmes.edit.addMeasure') : t('admin.save')} />
    </form>
  );
}

export function DeleteMeasure({ m }: { m: MeasureView }) {
  const { t } = useTranslation();
  const { send } = useSession();
  const edit = useEdit();
  const form = useResultsForm([]);
  const name = m.indicator?.code ?? m.name ?? '';
  return (
    <div className="admin">
      <ConfirmBox
        text={t('programmes.edit.deleteMeasureConfirm', { measure: name })}
        yes={t('programmes.edit.deleteMeasure')}
        onNo={() => edit.close()}
        onYes={async () => {
          const res = await send(`/result-measures/${m.id}`, 'DELETE');
          if (!res.ok) {
            await form.fromResponse(res);
            return;
          }
          await edit.refresh();
          edit.close('results-heading');
        }}
      />
      <FormProblems problems={form.general} />
    </div>
  );
}

/** Targets (every kind) or typed actual values (programme-specific measures) by year. */
function YearValuesEditor({ m, what }: { m: MeasureView; what: 'targets' | 'actuals' }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const year = useYear();
  const { send } = useSession();
  const edit = useEdit();
  const id = useId();
  const rows =
    what === 'targets'
      ? m.targets.map((x) => ({ year: x.year, value: x.value, source: '' }))
      : m.actuals.map((x) => ({ year: x.year, value: x.value, source: x.sources[0]?.name ?? '' }));
  const [y, setY] = useState('');
  const [v, setV] = useState('');
  const [source, setSource] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<number | null>(null);
  const limits = useLimitMessages();
  const form = useResultsForm(['year', 'value', 'source']);
  const base = `/result-measures/${m.id}/${what}`;
  const name = m.indicator?.code ?? m.name ?? '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    const yy = numberOf(y);
    const vv = numberOf(v);
    const local: Record<string, Shown> = {};
    if (yy === undefined || Number.isNaN(yy) || !Number.isInteger(yy) || yy < 1900 || yy > 2100)
      local.year = { text: limits.year };
    if (vv === undefined) local.value = { text: t('apiError.required') };
    else if (Number.isNaN(vv)) local.value = { text: t('apiError.number') };
    if (Object.keys(local).length) {
      form.setLocal(local);
      return;
    }
    setBusy(true);
    const res = await send(base, 'PUT', {
      year: yy,
      value: vv,
      ...(what === 'actuals' && source.trim() ? { source: source.trim() } : {}),
    });
    setBusy(false);
    if (!res.ok) {
      await form.fromResponse(res);
      return;
    }
    form.clear();
    await edit.refresh();
    const values = { year: year(yy!), value: num(vv!) };
    setDone(what === 'targets' ? t('programmes.edit.targetSaved', values) : t('programmes.edit.actualSaved', values));
    setY('');
    setV('');
    setSource('');
  };
  const remove = async (yr: number) => {
    setDone(null);
    const res = await send(`${base}/${yr}`, 'DELETE');
    setConfirm(null);
    if (!res.ok) {
      await form.fromResponse(res);
      return;
    }
    await edit.refresh();
    setDone(
      what === 'targets'
        ? t('programmes.edit.targetDeleted', { year: year(yr) })
        : t('programmes.edit.actualDeleted', { year: year(yr) }),
    );
    document.getElementById(`${id}-year`)?.focus();
  };
  return (
    <form
      ref={form.formRef}
      className="admin edit-form form card"
      onSubmit={submit}
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Escape' && confirm === null) edit.close();
      }}
    >
      <h3 className="form-title">
        {what === 'targets'
          ? t('programmes.edit.targetsTitle', { measure: name })
          : t('programmes.edit.actualsTitle', { measure: name })}
      </h3>
      {what === 'actuals' && <p className="hint">{t('programmes.edit.actualsHint')}</p>}
      {rows.length > 0 ? (
        <table className="data year-values">
          <thead>
            <tr>
              <th scope="col">{t('programmes.edit.year')}</th>
              <th scope="col">{t('programmes.edit.value')}</th>
              {what === 'actuals' && <th scope="col">{t('table.source')}</th>}
              <th scope="col">
                <span className="visually-hidden">{t('programmes.edit.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.year}>
                <th scope="row">{year(row.year)}</th>
                <td className="num">{num(row.value)}</td>
                {what === 'actuals' && <td dir="auto">{row.source}</td>}
                <td>
                  <button
                    type="button"
                    className="secondary small-button"
                    onClick={() => {
                      setY(String(row.year));
                      setV(String(row.value));
                      setSource(row.source);
                      setDone(null);
                      setTimeout(() => document.getElementById(`${id}-value`)?.focus(), 0);
                    }}
                  >
                    {t('programmes.edit.changeYear', { year: year(row.year) })}
                  </button>{' '}
                  <button type="button" className="secondary small-button" onClick={() => setConfirm(row.year)}>
                    {t('programmes.edit.deleteYear', { year: year(row.year) })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="small muted">
          {what === 'targets' ? t('programmes.edit.noTargets') : t('programmes.edit.noActuals')}
        </p>
      )}
      {confirm !== null && (
        <ConfirmBox
          text={t('programmes.edit.deleteYearConfirm', { year: year(confirm) })}
          yes={t('programmes.edit.deleteYear', { year: year(confirm) })}
          onYes={() => void remove(confirm)}
          onNo={() => {
            setConfirm(null);
            document.getElementById(`${id}-year`)?.focus();
          }}
        />
      )}
      <div className="form-grid">
        <Field id={`${id}-year`} label={t('programmes.edit.year')} error={form.fields.year}>
          <input
            id={`${id}-year`}
            type="text"
            inputMode="numeric"
            dir="ltr"
            value={y}
            onChange={(e) => setY(e.target.value)}
            autoFocus
            {...described(`${id}-year`, form.fields.year)}
          />
        </Field>
        <Field
          id={`${id}-value`}
          label={what === 'targets' ? t('programmes.edit.targetValue') : t('programmes.edit.actualValue')}
          error={form.fields.value}
        >
          <input
            id={`${id}-value`}
            type="text"
            inputMode="decimal"
            dir="ltr"
            value={v}
            onChange={(e) => setV(e.target.value)}
            {...described(`${id}-value`, form.fields.value)}
          />
        </Field>
        {what === 'actuals' && (
          <Field id={`${id}-source`} label={t('table.source')} error={form.fields.source} className="wide">
            <input
              id={`${id}-source`}
              type="text"
              dir="auto"
              value={source}
              onChange={(e) => setSource(e.target.value)}
              {...described(`${id}-source`, form.fields.source)}
            />
          </Field>
        )}
      </div>
      <FormProblems problems={form.general} />
      {done && <Done>{done}</Done>}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {what === 'targets' ? t('programmes.edit.saveTarget') : t('programmes.edit.saveActual')}
        </button>
        <button type="button" className="secondary" onClick={() => edit.close()}>
          {t('programmes.edit.close')}
        </button>
      </div>
    </form>
  );
}

export function TargetsEditor({ m }: { m: MeasureView }) {
  return <YearValuesEditor m={m} what="targets" />;
}
export function ActualsEditor({ m }: { m: MeasureView }) {
  return <YearValuesEditor m={m} what="actuals" />;
}
