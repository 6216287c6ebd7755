import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Names } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { LANG_CODES, LangFields, langErrors, langKeys, sixOf } from '../../components/LangFields.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { UserText } from '../../components/UserText.tsx';
import type { Shown } from '../admin/admin-api.ts';
import { ConfirmBox, Done, described, Field, FieldError, FormProblems, numberOf } from '../admin/forms.tsx';
import { PlacePicker } from '../admin/PlacePicker.tsx';
import { useEdit } from './programme-edit-context.tsx';
import { texts, useLimitMessages, useResultsForm } from './programme-kit.tsx';
import {
  IATI_ORGANISATION_TYPES,
  iatiOrganisationTypeLabel,
  participationRoleLabel,
  resultStatusLabel,
} from './programme-labels.ts';
import {
  type ProgrammeListItem,
  type ProgrammeView,
  RESULT_STATUSES,
  type ResultStatus,
  type ResultView,
} from './programme-types.ts';

/**
 * The programme itself (docs/methods/results.md): adding one, changing its names, years, status,
 * reference, IATI reporting organisation, demonstration flag and its lists — pillars or means of
 * implementation, the participation record, partners (a list given replaces the old one: the
 * form always sends the whole lists) — and deleting it. Administrators only; the API decides,
 * its refusals are shown next to the fields (per row of a list where it names the row).
 */

const ROLES = ['pilot', 'participating', 'supporting'] as const;
type Role = (typeof ROLES)[number];

interface PillarRow {
  key: number;
  code: string;
  kind: 'pillar' | 'means-of-implementation';
  /** The name and description in the six languages as typed (and any other language they have). */
  names: Record<string, string>;
  descriptions: Record<string, string>;
}
interface PlaceRow {
  code: string;
  level: string;
  names: Names;
  role: Role;
  since: string;
  notes: Names;
}
type PartnerRow =
  | { organisationId: number; names: Names; name: string | null }
  | { organisationId: null; names: Names; name: string | null };
interface NetworkPartner {
  id: number;
  name: string | null;
  names: Names;
  member: boolean;
}

const roleOf = (r: string): Role => ((ROLES as readonly string[]).includes(r) ? (r as Role) : 'participating');
const yearOk = (y: number | undefined): y is number => y !== undefined && Number.isInteger(y) && y >= 1900 && y <= 2100;
/** Whether a text by language has any text. */
const some = (n: Names) => Object.keys(n).length > 0;

/**
 * The field of a path the API names ("body.pillars.2.names.fr" → "pillars.2.names.fr"; a text as a whole,
 * "pillars.2.names", → its field in the reader's language); unknown rows fall back to their list.
 */
function programmeFieldOf(known: readonly string[], lang: string) {
  return (path: string | null): string | null => {
    if (!path) return null;
    const p = path
      .replace(/^(names|descriptions|reportingOrg\.names|pillars\.\d+\.(?:names|descriptions))$/, `$1.${lang}`)
      .replace(/^partners\.(\d+)\..*$/, 'partners');
    if (known.includes(p)) return p;
    const list = /^(pillars|places|partners)\b/.exec(p);
    return list ? list[1]! : p;
  };
}

export function ProgrammeForm({
  programme,
  onSaved,
  onCancel,
}: {
  /** The programme to change; absent, the form adds one. */
  programme?: ProgrammeView;
  onSaved(code: string): Promise<void> | void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const { lang, text } = usePrefs();
  const { send } = useSession();
  const limits = useLimitMessages();
  const id = useId();
  const p = programme;
  const mode = p ? 'edit' : 'add';
  const [code, setCode] = useState('');
  const [names, setNames] = useState(sixOf(p?.names));
  const [descriptions, setDescriptions] = useState(sixOf(p?.descriptions));
  const [startYear, setStartYear] = useState(p ? String(p.startYear) : '');
  const [endYear, setEndYear] = useState(p ? String(p.endYear) : '');
  const [status, setStatus] = useState<ResultStatus>(p?.status ?? 'under-way');
  const [reference, setReference] = useState(p?.reference ?? '');
  const [orgRef, setOrgRef] = useState(p?.reportingOrg.ref ?? '');
  const [orgType, setOrgType] = useState(p?.reportingOrg.type ?? '');
  const [orgNames, setOrgNames] = useState(sixOf(p?.reportingOrg.names));
  const [demonstration, setDemonstration] = useState(p?.demonstration ?? false);
  const [nextKey, setNextKey] = useState(p?.pillars.length ?? 0);
  const [pillars, setPillars] = useState<PillarRow[]>(
    (p?.pillars ?? []).map((x, i) => ({
      key: i,
      code: x.code,
      kind: x.kind === 'means-of-implementation' ? 'means-of-implementation' : 'pillar',
      names: sixOf(x.names),
      descriptions: sixOf(x.descriptions),
    })),
  );
  const [places, setPlaces] = useState<PlaceRow[]>(
    (p?.places ?? []).map((x) => ({
      code: x.place,
      level: x.level,
      names: x.name ? { [lang]: x.name } : {},
      role: roleOf(x.role),
      since: x.sinceYear === null ? '' : String(x.sinceYear),
      notes: x.notes,
    })),
  );
  const [partners, setPartners] = useState<PartnerRow[]>(
    (p?.partners ?? []).map((x) =>
      x.organisationId !== null
        ? { organisationId: x.organisationId, names: x.names, name: x.name }
        : { organisationId: null, names: x.names, name: x.name },
    ),
  );
  const [chosenPartner, setChosenPartner] = useState('');
  const [partnerNames, setPartnerNames] = useState(sixOf({}));
  /** A partner added by name without one: said next to its name in the reader's language, which takes focus. */
  const [partnerError, setPartnerError] = useState<Shown | undefined>();
  const [busy, setBusy] = useState(false);
  const network = useQuery({
    queryKey: ['network-partners', lang],
    queryFn: () => getJson<{ items: NetworkPartner[] }>('/network/partners', { lang }),
    staleTime: 60_000,
  });

  const known = [
    'code',
    ...LANG_CODES.flatMap((l) => [`names.${l}`, `descriptions.${l}`]),
    'startYear',
    'endYear',
    'status',
    'reference',
    'reportingOrg.ref',
    'reportingOrg.type',
    ...langKeys('reportingOrg.names'),
    'demonstration',
    'pillars',
    'places',
    'partners',
    ...pillars.flatMap((_, i) => [
      `pillars.${i}.code`,
      `pillars.${i}.kind`,
      ...langKeys(`pillars.${i}.names`),
      ...langKeys(`pillars.${i}.descriptions`),
    ]),
    ...places.flatMap((_, i) => [`places.${i}.role`, `places.${i}.sinceYear`]),
  ];
  const form = useResultsForm(known, programmeFieldOf(known, lang));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, Shown> = {};
    const sy = numberOf(startYear);
    const ey = numberOf(endYear);
    const newNames = texts({ ...(p?.names ?? {}), ...names });
    if (mode === 'add' && !/^[A-Za-z0-9_.-]+$/.test(code.trim())) local.code = { text: t('programmes.error.code') };
    if (!some(newNames)) local[`names.${lang}`] = { text: t('programmes.error.textNeeded') };
    if (!yearOk(sy)) local.startYear = { text: limits.year };
    if (!yearOk(ey)) local.endYear = { text: limits.year };
    else if (yearOk(sy) && ey < sy) local.endYear = { text: t('programmes.error.endYearBefore') };
    const pillarInputs = pillars.map((x, i) => {
      const n = texts(x.names);
      const d = texts(x.descriptions);
      if (!/^[A-Za-z0-9_.-]+$/.test(x.code.trim())) local[`pillars.${i}.code`] = { text: t('programmes.error.code') };
      else if (pillars.findIndex((y) => y.code.trim() === x.code.trim()) !== i)
        local[`pillars.${i}.code`] = { text: t('programmes.error.pillarCodeTwice', { code: x.code.trim() }) };
      if (!some(n)) local[`pillars.${i}.names.${lang}`] = { text: t('programmes.error.textNeeded') };
      return {
        code: x.code.trim(),
        kind: x.kind,
        names: n,
        ...(some(d) ? { descriptions: d } : {}),
        position: i,
      };
    });
    const placeInputs = places.map((x, i) => {
      const since = numberOf(x.since);
      if (since !== undefined && !yearOk(since)) local[`places.${i}.sinceYear`] = { text: limits.year };
      return {
        place: x.code,
        role: x.role,
        ...(since !== undefined ? { sinceYear: since } : {}),
        ...(some(x.notes) ? { notes: x.notes } : {}),
      };
    });
    if (Object.keys(local).length) {
      form.setLocal(local);
      return;
    }
    const orgNamesAll = texts(orgNames);
    const body = {
      names: newNames,
      descriptions: texts({ ...(p?.descriptions ?? {}), ...descriptions }),
      startYear: sy,
      endYear: ey,
      status,
      reportingOrg: {
        ...(orgRef.trim() ? { ref: orgRef.trim() } : {}),
        ...(orgType ? { type: orgType } : {}),
        ...(some(orgNamesAll) ? { names: orgNamesAll } : {}),
      },
      demonstration,
      pillars: pillarInputs,
      places: placeInputs,
      partners: partners.map((x) =>
        x.organisationId !== null ? { organisationId: x.organisationId } : { names: x.names },
      ),
    };
    setBusy(true);
    const res = p
      ? await send(`/programmes/${encodeURIComponent(p.code)}`, 'PATCH', {
          ...body,
          reference: reference.trim() || null,
        })
      : await send('/programmes', 'POST', {
          code: code.trim(),
          ...body,
          ...(reference.trim() ? { reference: reference.trim() } : {}),
        });
    setBusy(false);
    if (!res.ok) {
      await form.fromResponse(res);
      return;
    }
    await onSaved(p ? p.code : code.trim());
  };

  const removeAndFocus = (nextId: string) => setTimeout(() => document.getElementById(nextId)?.focus(), 0);
  const partnerLabel = (x: PartnerRow) => text(x.names).text || x.name || '';
  const available = (network.data?.items ?? []).filter((n) => !partners.some((x) => x.organisationId === n.id));

  return (
    <form
      ref={form.formRef}
      className="admin edit-form form card no-print programme-form"
      onSubmit={submit}
      noValidate
      aria-labelledby={`${id}-title`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <h2 className="form-title" id={`${id}-title`}>
        {p ? t('programmes.form.editTitle', { code: p.code }) : t('programmes.form.newTitle')}
      </h2>
      <div className="form-grid">
        {mode === 'add' && (
          <Field
            id={`${id}-code`}
            label={t('programmes.form.code')}
            hint={t('programmes.form.codeHint')}
            error={form.fields.code}
          >
            <input
              id={`${id}-code`}
              type="text"
              dir="ltr"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoFocus
              {...described(`${id}-code`, form.fields.code, true)}
            />
          </Field>
        )}
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
        <Field id={`${id}-start`} label={t('programmes.form.startYear')} error={form.fields.startYear}>
          <input
            id={`${id}-start`}
            type="text"
            inputMode="numeric"
            dir="ltr"
            value={startYear}
            onChange={(e) => setStartYear(e.target.value)}
            {...described(`${id}-start`, form.fields.startYear)}
          />
        </Field>
        <Field id={`${id}-end`} label={t('programmes.form.endYear')} error={form.fields.endYear}>
          <input
            id={`${id}-end`}
            type="text"
            inputMode="numeric"
            dir="ltr"
            value={endYear}
            onChange={(e) => setEndYear(e.target.value)}
            {...described(`${id}-end`, form.fields.endYear)}
          />
        </Field>
        <LangFields
          id={`${id}-name`}
          label={t('langFields.name')}
          values={names}
          onChange={setNames}
          errors={langErrors(form.fields, 'names')}
          autoFocus={mode === 'edit'}
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
        <Field
          id={`${id}-reference`}
          label={t('programmes.reference')}
          hint={t('programmes.form.referenceHint')}
          error={form.fields.reference}
          className="wide"
        >
          <input
            id={`${id}-reference`}
            type="text"
            dir="auto"
            value={reference}
            onChange={(e) => setReference(e.target.value)}
            {...described(`${id}-reference`, form.fields.reference, true)}
          />
        </Field>
      </div>
      <div className="field">
        <label className="check-line">
          <input
            type="checkbox"
            checked={demonstration}
            onChange={(e) => setDemonstration(e.target.checked)}
            aria-describedby={`${id}-demo-hint`}
          />{' '}
          {t('programmes.form.demonstration')}
        </label>
        <p id={`${id}-demo-hint`} className="hint">
          {t('programmes.form.demonstrationHint')}
        </p>
      </div>

      <fieldset className="programme-org" aria-describedby={`${id}-org-hint`}>
        <legend>{t('programmes.form.orgLegend')}</legend>
        <p id={`${id}-org-hint`} className="hint">
          {t('programmes.form.orgHint')}
        </p>
        <div className="form-grid">
          <Field
            id={`${id}-org-ref`}
            label={t('programmes.form.orgRef')}
            hint={t('programmes.form.orgRefHint')}
            error={form.fields['reportingOrg.ref']}
          >
            <input
              id={`${id}-org-ref`}
              type="text"
              dir="ltr"
              value={orgRef}
              onChange={(e) => setOrgRef(e.target.value)}
              {...described(`${id}-org-ref`, form.fields['reportingOrg.ref'], true)}
            />
          </Field>
          <Field id={`${id}-org-type`} label={t('programmes.form.orgType')} error={form.fields['reportingOrg.type']}>
            <select
              id={`${id}-org-type`}
              value={orgType}
              onChange={(e) => setOrgType(e.target.value)}
              {...described(`${id}-org-type`, form.fields['reportingOrg.type'])}
            >
              <option value="">{t('programmes.form.orgTypeNone')}</option>
              {orgType && !(IATI_ORGANISATION_TYPES as readonly string[]).includes(orgType) && (
                <option value={orgType}>{orgType}</option>
              )}
              {IATI_ORGANISATION_TYPES.map((c) => (
                <option key={c} value={c}>
                  {t('programmes.form.orgTypeOption', { code: c, name: iatiOrganisationTypeLabel(t, c) })}
                </option>
              ))}
            </select>
          </Field>
          <LangFields
            id={`${id}-org-name`}
            label={t('programmes.form.orgName')}
            values={orgNames}
            onChange={setOrgNames}
            errors={langErrors(form.fields, 'reportingOrg.names')}
            maxLength={5000}
            className="wide"
          />
        </div>
      </fieldset>

      <fieldset className="programme-pillars" aria-describedby={`${id}-pillars-hint`}>
        <legend>{t('programmes.pillarsOf')}</legend>
        <p id={`${id}-pillars-hint`} className="hint">
          {t('programmes.form.pillarsHint')}
        </p>
        {pillars.length === 0 && <p className="small muted">{t('programmes.form.noPillars')}</p>}
        {pillars.map((x, i) => {
          const pid = `${id}-pillar-${x.key}`;
          const set = (patch: Partial<PillarRow>) =>
            setPillars(pillars.map((y) => (y.key === x.key ? { ...y, ...patch } : y)));
          const n = String(i + 1);
          return (
            <fieldset key={x.key} className="list-row">
              <legend>{t('programmes.form.pillarN', { n })}</legend>
              <div className="form-grid">
                <Field id={`${pid}-code`} label={t('programmes.form.code')} error={form.fields[`pillars.${i}.code`]}>
                  <input
                    id={`${pid}-code`}
                    type="text"
                    dir="ltr"
                    value={x.code}
                    onChange={(e) => set({ code: e.target.value })}
                    {...described(`${pid}-code`, form.fields[`pillars.${i}.code`])}
                  />
                </Field>
                <Field id={`${pid}-kind`} label={t('programmes.form.kind')} error={form.fields[`pillars.${i}.kind`]}>
                  <select
                    id={`${pid}-kind`}
                    value={x.kind}
                    onChange={(e) =>
                      set({ kind: e.target.value === 'means-of-implementation' ? 'means-of-implementation' : 'pillar' })
                    }
                    {...described(`${pid}-kind`, form.fields[`pillars.${i}.kind`])}
                  >
                    <option value="pillar">{t('programmes.form.kindPillar')}</option>
                    <option value="means-of-implementation">{t('programmes.form.kindMeans')}</option>
                  </select>
                </Field>
                <LangFields
                  id={`${pid}-name`}
                  label={t('langFields.name')}
                  values={x.names}
                  onChange={(names) => set({ names })}
                  errors={langErrors(form.fields, `pillars.${i}.names`)}
                  maxLength={5000}
                  className="wide"
                />
                <LangFields
                  id={`${pid}-desc`}
                  label={t('langFields.description')}
                  values={x.descriptions}
                  onChange={(descriptions) => set({ descriptions })}
                  errors={langErrors(form.fields, `pillars.${i}.descriptions`)}
                  maxLength={5000}
                  multiline
                  className="wide"
                />
              </div>
              <button
                type="button"
                className="secondary small-button"
                id={`${pid}-remove`}
                onClick={() => {
                  const next = pillars[i + 1] ?? pillars[i - 1];
                  setPillars(pillars.filter((y) => y.key !== x.key));
                  removeAndFocus(next ? `${id}-pillar-${next.key}-remove` : `${id}-pillar-add`);
                }}
              >
                {t('programmes.form.removePillar', { n })}
              </button>
            </fieldset>
          );
        })}
        <FieldError id={`${id}-pillars`} error={form.fields.pillars} />
        <button
          type="button"
          className="secondary"
          id={`${id}-pillar-add`}
          onClick={() => {
            setPillars([
              ...pillars,
              {
                key: nextKey,
                code: '',
                kind: pillars[pillars.length - 1]?.kind ?? 'pillar',
                names: sixOf({}),
                descriptions: sixOf({}),
              },
            ]);
            removeAndFocus(`${id}-pillar-${nextKey}-code`);
            setNextKey(nextKey + 1);
          }}
        >
          {t('programmes.form.addPillar')}
        </button>
      </fieldset>

      <fieldset className="programme-places">
        <legend>{t('programmes.placesTitle')}</legend>
        {places.length === 0 ? (
          <p className="small muted">{t('programmes.edit.noPlaces')}</p>
        ) : (
          <TableScroll>
            <table className="data participation-table">
              <thead>
                <tr>
                  <th scope="col">{t('programmes.form.place')}</th>
                  <th scope="col">{t('programmes.form.role')}</th>
                  <th scope="col">{t('programmes.form.sinceYear')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('programmes.edit.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {places.map((x, i) => {
                  const rid = `${id}-place-${x.code.replace(/[^\w-]/g, '_')}`;
                  const name = text(x.names).text || x.code;
                  const set = (patch: Partial<PlaceRow>) =>
                    setPlaces(places.map((y) => (y.code === x.code ? { ...y, ...patch } : y)));
                  const roleErr = form.fields[`places.${i}.role`];
                  const sinceErr = form.fields[`places.${i}.sinceYear`];
                  return (
                    <tr key={x.code}>
                      <th scope="row">
                        <UserText names={x.names} fallbackText={x.code} /> <code className="small">{x.code}</code>
                      </th>
                      <td>
                        <label className="visually-hidden" htmlFor={`${rid}-role`}>
                          {t('programmes.form.roleOf', { place: name })}
                        </label>
                        <select
                          id={`${rid}-role`}
                          value={x.role}
                          onChange={(e) => set({ role: roleOf(e.target.value) })}
                          {...described(`${rid}-role`, roleErr)}
                        >
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {participationRoleLabel(t, r)}
                            </option>
                          ))}
                        </select>
                        <FieldError id={`${rid}-role`} error={roleErr} />
                      </td>
                      <td>
                        <label className="visually-hidden" htmlFor={`${rid}-since`}>
                          {t('programmes.form.sinceOf', { place: name })}
                        </label>
                        <input
                          id={`${rid}-since`}
                          type="text"
                          inputMode="numeric"
                          dir="ltr"
                          size={6}
                          value={x.since}
                          onChange={(e) => set({ since: e.target.value })}
                          {...described(`${rid}-since`, sinceErr)}
                        />
                        <FieldError id={`${rid}-since`} error={sinceErr} />
                      </td>
                      <td>
                        <button
                          type="button"
                          className="secondary small-button"
                          id={`${rid}-remove`}
                          onClick={() => {
                            const next = places[i + 1] ?? places[i - 1];
                            setPlaces(places.filter((y) => y.code !== x.code));
                            removeAndFocus(
                              next ? `${id}-place-${next.code.replace(/[^\w-]/g, '_')}-remove` : `${id}-place-add`,
                            );
                          }}
                        >
                          {t('programmes.edit.removePlace', { place: name })}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
        )}
        <PlacePicker
          id={`${id}-place-add`}
          label={t('programmes.edit.addPlace')}
          value={null}
          error={form.fields.places}
          onChange={(x) => {
            if (x && !places.some((y) => y.code === x.code))
              setPlaces([
                ...places,
                { code: x.code, level: x.level, names: x.names, role: 'participating', since: '', notes: {} },
              ]);
            removeAndFocus(`${id}-place-add`);
          }}
        />
      </fieldset>

      <fieldset className="programme-partners">
        <legend>{t('programmes.partners')}</legend>
        {partners.length === 0 ? (
          <p className="small muted">{t('programmes.form.noPartners')}</p>
        ) : (
          <ul className="chosen-places">
            {partners.map((x, i) => (
              <li key={x.organisationId !== null ? `o${x.organisationId}` : `n${i}`}>
                <UserText names={x.names} fallbackText={x.name ?? ''} />
                {x.organisationId === null && (
                  <span className="small muted"> ({t('programmes.form.outsideNetwork')})</span>
                )}{' '}
                <button
                  type="button"
                  className="secondary small-button"
                  id={`${id}-partner-${i}-remove`}
                  onClick={() => {
                    setPartners(partners.filter((_, j) => j !== i));
                    removeAndFocus(
                      partners.length > 1
                        ? `${id}-partner-${Math.max(0, i - (i === partners.length - 1 ? 1 : 0))}-remove`
                        : `${id}-partner-org`,
                    );
                  }}
                >
                  {t('programmes.form.removePartner', { name: partnerLabel(x) })}
                </button>
              </li>
            ))}
          </ul>
        )}
        <FieldError id={`${id}-partners`} error={form.fields.partners} />
        <div className="form-grid">
          <div className="field">
            <label htmlFor={`${id}-partner-org`}>{t('programmes.form.networkPartner')}</label>
            <div className="inline-add">
              <select id={`${id}-partner-org`} value={chosenPartner} onChange={(e) => setChosenPartner(e.target.value)}>
                <option value="">{t('programmes.form.choosePartner')}</option>
                {available.map((n) => (
                  <option key={n.id} value={String(n.id)} dir="auto">
                    {n.name ?? String(n.id)}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="secondary"
                disabled={!chosenPartner}
                onClick={() => {
                  const n = available.find((x) => String(x.id) === chosenPartner);
                  if (n) setPartners([...partners, { organisationId: n.id, names: n.names, name: n.name }]);
                  setChosenPartner('');
                }}
              >
                {t('programmes.form.addPartner')}
              </button>
            </div>
          </div>
        </div>
        <fieldset className="list-row">
          <legend>{t('programmes.form.partnerByName')}</legend>
          <LangFields
            id={`${id}-partner-name`}
            label={t('langFields.name')}
            values={partnerNames}
            onChange={setPartnerNames}
            errors={partnerError ? { [lang]: partnerError } : {}}
            maxLength={5000}
          />
          <button
            type="button"
            className="secondary"
            onClick={() => {
              const n = texts(partnerNames);
              if (!some(n)) {
                setPartnerError({ text: t('programmes.error.textNeeded') });
                removeAndFocus(`${id}-partner-name-${lang}`);
                return;
              }
              setPartners([...partners, { organisationId: null, names: n, name: null }]);
              setPartnerNames(sixOf({}));
              setPartnerError(undefined);
            }}
          >
            {t('programmes.form.addByName')}
          </button>
        </fieldset>
      </fieldset>

      <FormProblems problems={form.general} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {mode === 'add' ? t('programmes.form.create') : t('admin.save')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('admin.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The name of the programme just deleted, for the list page to say so once. */
let lastDeleted: string | null = null;

function countAll(rs: ResultView[]): number {
  return rs.reduce((n, r) => n + 1 + countAll(r.children), 0);
}

/**
 * On a programme's page, with the edit controls on, for administrators: the buttons that
 * open the programme's form and its deletion, the form, the question before deleting.
 */
export function ProgrammeControls() {
  const { t } = useTranslation();
  const { num, text } = usePrefs();
  const { send } = useSession();
  const edit = useEdit();
  const client = useQueryClient();
  const navigate = useNavigate();
  const form = useResultsForm([]);
  const { programme: p } = edit;
  if (!edit.editing || !edit.rights.admin) return null;
  const name = text(p.names).text || p.code;
  const results = countAll(p.results);
  return (
    <div className="no-print programme-controls">
      <div className="edit-controls">
        <button
          type="button"
          id="programme-edit"
          className="secondary"
          aria-expanded={edit.isOpen('programme-edit')}
          onClick={() =>
            edit.isOpen('programme-edit') ? edit.close() : edit.openForm({ type: 'programme-edit' }, 'programme-edit')
          }
        >
          {t('programmes.form.editButton')}
        </button>
        <button
          type="button"
          id="programme-delete"
          className="secondary danger-text"
          aria-expanded={edit.isOpen('programme-delete')}
          onClick={() =>
            edit.isOpen('programme-delete')
              ? edit.close()
              : edit.openForm({ type: 'programme-delete' }, 'programme-delete')
          }
        >
          {t('programmes.form.delete')}
        </button>
      </div>
      {edit.flash?.at === 'programme' && <Done className="notice">{edit.flash.text}</Done>}
      {edit.isOpen('programme-edit') && (
        <ProgrammeForm
          programme={p}
          onCancel={() => edit.close()}
          onSaved={async () => {
            await edit.refresh();
            edit.setFlash({ at: 'programme', text: t('programmes.edit.saved') });
            edit.close();
          }}
        />
      )}
      {edit.isOpen('programme-delete') && (
        <div className="admin">
          <ConfirmBox
            text={t('programmes.form.deleteConfirm', { name, n: num(results, 0), count: results })}
            yes={t('programmes.form.delete')}
            onNo={() => edit.close()}
            onYes={async () => {
              const res = await send(`/programmes/${encodeURIComponent(p.code)}`, 'DELETE');
              if (!res.ok) {
                await form.fromResponse(res);
                return;
              }
              client.removeQueries({ queryKey: ['programme', p.code] });
              // The list is not on screen, so invalidating only marks it stale: without this, the list
              // page showed its cached copy, deleted programme included, until the refetch landed.
              client.setQueriesData<{ items: ProgrammeListItem[] }>({ queryKey: ['programmes'] }, (old) =>
                old ? { ...old, items: old.items.filter((x) => x.code !== p.code) } : old,
              );
              await client.invalidateQueries({ queryKey: ['programmes'] });
              lastDeleted = name;
              await navigate({ to: '/programmes' });
            }}
          />
          <FormProblems problems={form.general} />
        </div>
      )}
    </div>
  );
}

/** On the list of programmes, for administrators: the button and form that add a programme. */
export function NewProgramme() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [deleted] = useState(() => {
    const d = lastDeleted;
    lastDeleted = null;
    return d;
  });
  return (
    <div className="no-print new-programme">
      {deleted && <Done className="notice">{t('programmes.form.deleted', { name: deleted })}</Done>}
      <button
        type="button"
        id="programme-new"
        className={open ? '' : 'secondary'}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {t('programmes.form.new')}
      </button>
      {open && (
        <ProgrammeForm
          onCancel={() => {
            setOpen(false);
            setTimeout(() => document.getElementById('programme-new')?.focus(), 0);
          }}
          onSaved={async (code) => {
            await client.invalidateQueries({ queryKey: ['programmes'] });
            await navigate({ to: '/programmes/$code', params: { code } });
          }}
        />
      )}
    </div>
  );
}
