import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { DimensionItem, IndicatorDetail } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { UserText } from '../../components/UserText.tsx';
import { AdminShell, Loaded, Refused } from './AdminShell.tsx';
import {
  isAdministrator,
  LEVELS,
  type Level,
  lastSegment,
  RULE_NAMES,
  type Shown,
  type SuppressionRule,
  type ValidationRules,
} from './admin-api.ts';
import { Done, described, Field, FieldError, FormProblems, numberOf, useFormProblems } from './forms.tsx';
import { IndicatorMetadataForm } from './IndicatorMetadataForm.tsx';
import { IndicatorTextsForm } from './IndicatorTextsForm.tsx';

type IndicatorWithRules = IndicatorDetail & {
  validationRules?: ValidationRules | null;
  suppression?: SuppressionRule | null;
};

const FIELDS = [
  'min',
  'max',
  'unit',
  'requiredDimensions',
  'sumTolerance',
  'maxChangePercent',
  'minCount',
  'countSeries',
  'supDimensions',
  'levels',
] as const;

/** Where the API's field paths go in this form ("suppression.dimensions.0" → the suppression dimensions). */
function fieldOf(path: string | null): string | null {
  if (!path) return null;
  if (path.startsWith('suppression.dimensions')) return 'supDimensions';
  if (path === 'dimensions') return null; // an unknown dimension code: said above the button
  return lastSegment(path);
}

const str = (n: number | undefined) => (n === undefined ? '' : String(n));

/**
 * An indicator's administration page (administrators): its name and definition in the six languages, its
 * validation rules and its suppression rule, its metadata in the six languages.
 */
export function IndicatorRulesPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { lang } = usePrefs();
  const { code } = useParams({ from: '/admin/indicators/$code' });
  const admin = isAdministrator(me?.roles);
  const indicator = useQuery({
    queryKey: ['admin', 'indicator', code, lang],
    enabled: admin,
    queryFn: () => getJson<IndicatorWithRules>(`/indicators/${encodeURIComponent(code)}`, { lang }),
  });
  const dimensions = useQuery({
    queryKey: ['dimensions', lang],
    enabled: admin,
    queryFn: () => getJson<{ items: DimensionItem[] }>('/dimensions', { lang }),
  });
  const both = {
    isPending: indicator.isPending || dimensions.isPending,
    error: indicator.error ?? dimensions.error,
    data: indicator.data && dimensions.data ? { ind: indicator.data, dims: dimensions.data.items } : undefined,
  };
  return (
    <AdminShell title={t('admin.rules.title', { code })}>
      <p className="breadcrumbs">
        <Link to="/admin/indicators">{t('admin.rules.back')}</Link>
      </p>
      {me && !admin ? (
        <Refused />
      ) : (
        <Loaded q={both}>
          {({ ind, dims }) => (
            <>
              <p className="lead">
                <UserText names={ind.names} fallbackText={ind.name ?? ''} /> ·{' '}
                <Link to="/indicators/$code" params={{ code: ind.code }}>
                  {t('admin.rules.publicPage')}
                </Link>
              </p>
              <IndicatorTextsForm key={`texts-${ind.code}`} ind={ind} />
              <RulesForm key={ind.code} ind={ind} dims={dims} />
              <IndicatorMetadataForm key={`metadata-${ind.code}`} code={ind.code} />
            </>
          )}
        </Loaded>
      )}
    </AdminShell>
  );
}

function RulesForm({ ind, dims }: { ind: IndicatorWithRules; dims: DimensionItem[] }) {
  const { t } = useTranslation();
  const { send } = useSession();
  const client = useQueryClient();
  const id = useId();
  const v = ind.validationRules ?? {};
  const s = ind.suppression ?? null;
  const [min, setMin] = useState(str(v.min));
  const [max, setMax] = useState(str(v.max));
  const [unit, setUnit] = useState(v.unit ?? '');
  const [required, setRequired] = useState<string[]>(v.requiredDimensions ?? []);
  const [tolerance, setTolerance] = useState(
    v.sumTolerance === undefined ? '' : String(Math.round(v.sumTolerance * 100 * 1e6) / 1e6),
  );
  const [change, setChange] = useState(str(v.maxChangePercent));
  const [warnings, setWarnings] = useState<string[]>(v.warnings ?? []);
  const [suppress, setSuppress] = useState(s !== null);
  const [minCount, setMinCount] = useState(s ? String(s.minCount) : '');
  const [countSeries, setCountSeries] = useState(s?.countSeries ?? '');
  const [supDims, setSupDims] = useState<string[]>(s?.dimensions ?? []);
  const [levels, setLevels] = useState<Level[]>(s?.levels ?? []);
  const [saved, setSaved] = useState(false);
  const problems = useFormProblems(FIELDS, fieldOf);

  // The indicator's own dimensions (and any set earlier) first; the others behind a disclosure.
  const known = new Map(dims.map((d) => [d.code, d]));
  const firstCodes = [...new Set([...ind.dimensions, ...(v.requiredDimensions ?? []), ...(s?.dimensions ?? [])])];
  const firstDims = firstCodes.map((c) => known.get(c) ?? { code: c, name: null, names: {}, open: true, values: [] });
  const otherDims = dims.filter((d) => !firstCodes.includes(d.code));
  const units = [...new Set([ind.unit?.code, ...ind.series.map((x) => x.unit)].filter((u): u is string => !!u))];
  const seriesCodes = ind.series.map((x) => x.code);
  if (countSeries && !seriesCodes.includes(countSeries)) seriesCodes.push(countSeries);

  const submit = async () => {
    problems.clear();
    setSaved(false);
    const local: Record<string, Shown> = {};
    const num = (name: string, text: string) => {
      const n = numberOf(text);
      if (Number.isNaN(n)) local[name] = { text: t('apiError.number') };
      return Number.isNaN(n) ? undefined : n;
    };
    const rules: ValidationRules = {};
    const mn = num('min', min);
    const mx = num('max', max);
    if (mn !== undefined) rules.min = mn;
    if (mx !== undefined) rules.max = mx;
    if (mn !== undefined && mx !== undefined && mn > mx) local.max = { text: t('apiError.minAboveMax') };
    if (unit.trim()) rules.unit = unit.trim();
    if (required.length) rules.requiredDimensions = required;
    const tol = num('sumTolerance', tolerance);
    if (tol !== undefined) {
      if (tol < 0 || tol > 100) local.sumTolerance = { text: t('admin.rules.toleranceRange') };
      rules.sumTolerance = tol / 100;
    }
    const ch = num('maxChangePercent', change);
    if (ch !== undefined) {
      if (ch <= 0) local.maxChangePercent = { text: t('apiError.tooSmall', { min: '0' }) };
      rules.maxChangePercent = ch;
    }
    const warned = RULE_NAMES.filter((r) => warnings.includes(r));
    if (warned.length) rules.warnings = warned;
    let suppression: SuppressionRule | null = null;
    if (suppress) {
      const mc = num('minCount', minCount);
      if (mc === undefined && !local.minCount) local.minCount = { text: t('apiError.required') };
      else if (mc !== undefined && (!Number.isInteger(mc) || mc < 1))
        local.minCount = { text: t('admin.rules.minCountWhole') };
      suppression = { minCount: mc ?? 0 };
      if (countSeries) suppression.countSeries = countSeries;
      if (supDims.length) suppression.dimensions = supDims;
      if (levels.length) suppression.levels = levels;
    }
    if (Object.keys(local).length) {
      problems.setLocal(local);
      return;
    }
    const res = await send(`/indicators/${encodeURIComponent(ind.code)}/rules`, 'PUT', {
      validationRules: rules,
      suppression,
    });
    if (!res.ok) {
      await problems.fromResponse(res);
      return;
    }
    setSaved(true);
    await client.invalidateQueries({ queryKey: ['admin', 'indicator', ind.code] });
  };

  const toggle = (list: string[], set: (l: string[]) => void, code: string, on: boolean) =>
    set(on ? [...list, code] : list.filter((x) => x !== code));
  /** Checkboxes of dimensions: the first ones, then the others in a disclosure (open when one of them is checked). */
  const dimensionChecks = (list: string[], set: (l: string[]) => void, invalid: boolean) => {
    const box = (d: DimensionItem) => (
      <label key={d.code}>
        <input
          type="checkbox"
          checked={list.includes(d.code)}
          onChange={(e) => toggle(list, set, d.code, e.target.checked)}
          {...(invalid ? { 'aria-invalid': true as const } : {})}
        />{' '}
        <UserText names={d.names} fallbackText={d.code} /> <code className="small">{d.code}</code>
      </label>
    );
    return (
      <>
        {firstDims.length > 0 ? (
          <div className="checks">{firstDims.map(box)}</div>
        ) : (
          <p className="hint">{t('admin.rules.noOwnDimensions')}</p>
        )}
        {otherDims.length > 0 && (
          <details open={otherDims.some((d) => list.includes(d.code))}>
            <summary>{t('admin.rules.otherDimensions')}</summary>
            <div className="checks">{otherDims.map(box)}</div>
          </details>
        )}
      </>
    );
  };

  return (
    <form
      ref={problems.formRef}
      className="form rules-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset className="card">
        <legend>{t('admin.rules.validation')}</legend>
        <p className="hint">{t('admin.rules.validationIntro')}</p>
        <div className="form-grid">
          <Field id={`${id}-min`} label={t('admin.rules.min')} error={problems.fields.min}>
            <input
              id={`${id}-min`}
              type="text"
              inputMode="decimal"
              dir="ltr"
              autoComplete="off"
              value={min}
              onChange={(e) => setMin(e.target.value)}
              {...described(`${id}-min`, problems.fields.min)}
            />
          </Field>
          <Field id={`${id}-max`} label={t('admin.rules.max')} error={problems.fields.max}>
            <input
              id={`${id}-max`}
              type="text"
              inputMode="decimal"
              dir="ltr"
              autoComplete="off"
              value={max}
              onChange={(e) => setMax(e.target.value)}
              {...described(`${id}-max`, problems.fields.max)}
            />
          </Field>
          <Field
            id={`${id}-unit`}
            label={t('admin.rules.unit')}
            hint={t('admin.rules.unitHint')}
            error={problems.fields.unit}
          >
            <input
              id={`${id}-unit`}
              type="text"
              dir="ltr"
              autoComplete="off"
              list={`${id}-units`}
              value={unit}
              onChange={(e) => setUnit(e.target.value)}
              {...described(`${id}-unit`, problems.fields.unit, true)}
            />
            <datalist id={`${id}-units`}>
              {units.map((u) => (
                <option key={u} value={u} />
              ))}
            </datalist>
          </Field>
          <Field
            id={`${id}-tol`}
            label={t('admin.rules.sumTolerance')}
            hint={t('admin.rules.sumToleranceHint')}
            error={problems.fields.sumTolerance}
          >
            <input
              id={`${id}-tol`}
              type="text"
              inputMode="decimal"
              dir="ltr"
              autoComplete="off"
              value={tolerance}
              onChange={(e) => setTolerance(e.target.value)}
              {...described(`${id}-tol`, problems.fields.sumTolerance, true)}
            />
          </Field>
          <Field
            id={`${id}-change`}
            label={t('admin.rules.maxChange')}
            hint={t('admin.rules.maxChangeHint')}
            error={problems.fields.maxChangePercent}
          >
            <input
              id={`${id}-change`}
              type="text"
              inputMode="decimal"
              dir="ltr"
              autoComplete="off"
              value={change}
              onChange={(e) => setChange(e.target.value)}
              {...described(`${id}-change`, problems.fields.maxChangePercent, true)}
            />
          </Field>
        </div>
        <fieldset aria-describedby={`${id}-req-hint${problems.fields.requiredDimensions ? ` ${id}-req-error` : ''}`}>
          <legend>{t('admin.rules.requiredDimensions')}</legend>
          <p className="hint" id={`${id}-req-hint`}>
            {t('admin.rules.requiredDimensionsHint')}
          </p>
          {dimensionChecks(required, setRequired, !!problems.fields.requiredDimensions)}
          <FieldError id={`${id}-req`} error={problems.fields.requiredDimensions} />
        </fieldset>
        <fieldset aria-describedby={`${id}-warn-hint`}>
          <legend>{t('admin.rules.warnings')}</legend>
          <p className="hint" id={`${id}-warn-hint`}>
            {t('admin.rules.warningsHint')}
          </p>
          <div className="checks">
            {RULE_NAMES.map((name) => (
              <label key={name}>
                <input
                  type="checkbox"
                  checked={warnings.includes(name)}
                  onChange={(e) => toggle(warnings, setWarnings, name, e.target.checked)}
                />{' '}
                {t(`admin.rules.warn.${name}`)}
              </label>
            ))}
          </div>
        </fieldset>
      </fieldset>

      <fieldset className="card">
        <legend>{t('admin.rules.suppression')}</legend>
        <p className="hint">{t('admin.rules.suppressionIntro')}</p>
        <label className="check-line">
          <input type="checkbox" checked={suppress} onChange={(e) => setSuppress(e.target.checked)} />{' '}
          {t('admin.rules.suppressOn')}
        </label>
        {suppress && (
          <>
            <div className="form-grid">
              <Field
                id={`${id}-count`}
                label={t('admin.rules.minCount')}
                hint={t('admin.rules.minCountHint')}
                error={problems.fields.minCount}
              >
                <input
                  id={`${id}-count`}
                  type="text"
                  inputMode="numeric"
                  dir="ltr"
                  autoComplete="off"
                  value={minCount}
                  onChange={(e) => setMinCount(e.target.value)}
                  {...described(`${id}-count`, problems.fields.minCount, true)}
                />
              </Field>
              <Field
                className="wide"
                id={`${id}-series`}
                label={t('admin.rules.countSeries')}
                hint={t('admin.rules.countSeriesHint')}
                error={problems.fields.countSeries}
              >
                <select
                  id={`${id}-series`}
                  value={countSeries}
                  onChange={(e) => setCountSeries(e.target.value)}
                  {...described(`${id}-series`, problems.fields.countSeries, true)}
                >
                  <option value="">{t('admin.rules.valueItself')}</option>
                  {seriesCodes.map((c) => {
                    const se = ind.series.find((x) => x.code === c);
                    return (
                      <option key={c} value={c}>
                        {c}
                        {se?.name && se.name !== c ? ` — ${se.name}` : ''}
                      </option>
                    );
                  })}
                </select>
              </Field>
            </div>
            <p className="hint">{t('admin.rules.scopeHint')}</p>
            <fieldset aria-describedby={problems.fields.supDimensions ? `${id}-sd-error` : undefined}>
              <legend>{t('admin.rules.supDimensions')}</legend>
              {dimensionChecks(supDims, setSupDims, !!problems.fields.supDimensions)}
              <FieldError id={`${id}-sd`} error={problems.fields.supDimensions} />
            </fieldset>
            <fieldset aria-describedby={problems.fields.levels ? `${id}-lv-error` : undefined}>
              <legend>{t('admin.rules.levels')}</legend>
              <div className="checks">
                {LEVELS.map((l) => (
                  <label key={l}>
                    <input
                      type="checkbox"
                      checked={levels.includes(l)}
                      onChange={(e) => setLevels(e.target.checked ? [...levels, l] : levels.filter((x) => x !== l))}
                      {...(problems.fields.levels ? { 'aria-invalid': true as const } : {})}
                    />{' '}
                    {t(`level.${l}`)}
                  </label>
                ))}
              </div>
              <FieldError id={`${id}-lv`} error={problems.fields.levels} />
            </fieldset>
          </>
        )}
      </fieldset>
      <FormProblems problems={problems.general} />
      <button type="submit">{t('admin.rules.save')}</button>
      {saved && <Done focus>{t('admin.rules.saved')}</Done>}
    </form>
  );
}
