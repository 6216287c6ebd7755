import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { LangFields, langErrors, langKeys, sixOf } from '../../components/LangFields.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { isAdministrator, type Shown } from '../admin/admin-api.ts';
import { described, Field, FieldError, FormProblems, numberOf } from '../admin/forms.tsx';
import { type PickedPlace, PlacePicker } from '../admin/PlacePicker.tsx';
import {
  authorPlaces,
  mayAuthor,
  orgTypeLabel,
  type SearchHit,
  statusLabel,
  typeLabel,
  workshopKindLabel,
} from '../knowledge/knowledge-api.ts';
import { NotFoundPage } from '../NotFoundPage.tsx';
import {
  filled,
  type Names,
  nameOf,
  type PartnerFull,
  RemoveButton,
  setFlash,
  useAnnouncer,
  useNetworkProblems,
  type WorkshopFull,
} from './network-edit-kit.tsx';
import './network-edit.css';

const KINDS = ['workshop', 'training'] as const;
const STATUSES = ['draft', 'published'] as const;
const ORG_TYPES = [
  'national-government',
  'local-government',
  'civil-society',
  'academia',
  'private-sector',
  'un-entity',
  'other-international',
  'other',
] as const;
const SEX = ['female', 'male', 'unspecified'] as const;
const SEX_LABEL = { female: 'workshops.female', male: 'workshops.male', unspecified: 'workshops.unspecified' } as const;

interface Material {
  id: number;
  type: string;
  title: string | null;
}
interface WorkshopForm {
  kind: string;
  status: string;
  titles: Record<string, string>;
  descriptions: Record<string, string>;
  place: PickedPlace | null;
  online: boolean;
  startsOn: string;
  endsOn: string;
  partners: number[];
  /** Organisers that are not partners: one a line, in the reader's language (their other languages kept). */
  others: string;
  otherNames: Names[];
  topics: string;
  materials: Material[];
  total: string;
  sex: Record<string, string>;
  org: Record<string, string>;
}
const FIELDS = [
  'kind',
  'status',
  ...langKeys('titles'),
  ...langKeys('descriptions'),
  'place',
  'online',
  'startsOn',
  'endsOn',
  'organisers',
  'topics',
  'materials',
  'participants.total',
  'participants.sex',
  'participants.org',
];

const count = (v: number | undefined) => (v === undefined ? '' : String(v));

/** Adds (no `id` in the address) or edits a workshop or training, with its participants and materials. */
export function WorkshopEditPage() {
  const { id } = useSearch({ from: '/network/workshop' });
  const { lang } = usePrefs();
  const { t } = useTranslation();
  const { me, loading } = useSession();
  const valid = id === undefined || id > 0;
  const w = useQuery({
    queryKey: ['workshop-edit', id, lang, me?.user.id ?? null],
    enabled: valid && id !== undefined && !loading,
    queryFn: () => getJson<WorkshopFull>(`/workshops/${id}`, { lang }),
    retry: (n, e) => !(e instanceof ApiError && e.status === 404) && n < 2,
  });
  if (!valid || (w.error instanceof ApiError && w.error.status === 404))
    return <NotFoundPage what={t('workshops.named', { id: String(id ?? '') })} />;
  if (w.error) return <ErrorMessage error={w.error} />;
  if (loading || (id !== undefined && !w.data)) return <Loading />;
  const x = w.data;
  // As the API: adding needs an editor's, a focal point's or an administrator's role; changing, the workshop's canEdit.
  if (x ? !x.canEdit : !mayAuthor(me?.roles))
    return (
      <section className="admin network-edit">
        <h1>{t(x ? 'knowledge.form.net.editWorkshop' : 'knowledge.form.net.addWorkshop')}</h1>
        <div className="notice warn">
          <p>{me ? t('knowledge.err.net.forbidden') : t('knowledge.form.net.signInWorkshop')}</p>
          <p>
            <Link to="/workshops">{t('knowledge.form.net.backToWorkshops')}</Link>
          </p>
        </div>
      </section>
    );
  const others = x?.organisers.filter((o) => !o.organisation) ?? [];
  const initial: WorkshopForm = x
    ? {
        kind: x.kind,
        status: x.status,
        titles: sixOf(x.titles as Record<string, string>),
        descriptions: sixOf(x.descriptions as Record<string, string>),
        place: x.place
          ? { code: x.place.code, level: x.place.level ?? 'city', names: { [lang]: x.place.name ?? x.place.code } }
          : null,
        online: x.online,
        startsOn: x.startsOn,
        endsOn: x.endsOn ?? '',
        partners: x.organisers.flatMap((o) => (o.organisation ? [o.organisation.id] : [])),
        others: others.map((o) => o.name ?? '').join('\n'),
        otherNames: others.map((o) => o.names ?? {}),
        topics: x.topics.join('\n'),
        materials: x.materials,
        total: count(x.participants.total),
        sex: Object.fromEntries(SEX.map((s) => [s, x.participants.bySex ? String(x.participants.bySex[s]) : ''])),
        org: Object.fromEntries(ORG_TYPES.map((o) => [o, count(x.participants.byOrganisationType?.[o])])),
      }
    : {
        kind: 'workshop',
        status: 'draft',
        titles: sixOf({}),
        descriptions: sixOf({}),
        // One who is not an administrator writes workshops of their places: the first is chosen.
        place:
          !isAdministrator(me?.roles) && authorPlaces(me?.roles)[0]
            ? { code: authorPlaces(me?.roles)[0]!, level: '', names: {} }
            : null,
        online: false,
        startsOn: '',
        endsOn: '',
        partners: [],
        others: '',
        otherNames: [],
        topics: '',
        materials: [],
        total: '',
        sex: {},
        org: {},
      };
  return <WorkshopFormView key={id ?? 'new'} id={x?.id ?? null} initial={initial} />;
}

function WorkshopFormView({ id, initial }: { id: number | null; initial: WorkshopForm }) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const { me, send } = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const fid = useId();
  const [f, setF] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [removed, setRemoved] = useState(false);
  const [status, announce] = useAnnouncer();
  const p = useNetworkProblems(FIELDS, lang);
  const admin = isAdministrator(me?.roles);
  const own = authorPlaces(me?.roles);
  const placeNames = new Map((me?.roles ?? []).filter((r) => r.place).map((r) => [r.place!, r.placeName ?? r.place!]));
  const ownChoices = f.place && !own.includes(f.place.code) ? [f.place.code, ...own] : own;
  const partners = useQuery({
    queryKey: ['network-partners', lang],
    queryFn: () => getJson<{ items: PartnerFull[] }>('/network/partners', { lang }),
  });
  const set = <K extends keyof WorkshopForm>(k: K, v: WorkshopForm[K]) => setF((s) => ({ ...s, [k]: v }));
  const title = nameOf(filled(f.titles), lang);

  const participants = () => {
    const num = (s: string | undefined) => numberOf(s ?? '');
    const out: { total?: number; bySex?: Record<string, number>; byOrganisationType?: Record<string, number> } = {};
    const total = num(f.total);
    if (total !== undefined) out.total = total;
    if (SEX.some((s) => num(f.sex[s]) !== undefined))
      out.bySex = Object.fromEntries(SEX.map((s) => [s, num(f.sex[s]) ?? 0]));
    const org = ORG_TYPES.flatMap((o) => {
      const n = num(f.org[o]);
      return n === undefined ? [] : [[o, n] as const];
    });
    if (org.length) out.byOrganisationType = Object.fromEntries(org);
    return out;
  };
  const organisers = () => {
    const before = new Map(f.otherNames.map((n) => [nameOf(n, lang), n]));
    const lines = f.others
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    return [
      ...f.partners.map((o) => ({ organisation: o })),
      ...lines.map((l) => ({ names: before.get(l) ?? { [lang]: l } })),
    ];
  };
  // After a removal the page's own query is left as it is: read again, it would be "not found".
  const refresh = async (removed = false) => {
    for (const k of removed ? ['workshops', 'workshop'] : ['workshops', 'workshop', 'workshop-edit'])
      await client.invalidateQueries({ queryKey: [k] });
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    p.clear();
    announce('');
    const local: Record<string, Shown> = {};
    if (!f.startsOn) local.startsOn = { text: t('knowledge.form.net.dateNeeded') };
    const nums = [f.total, ...Object.values(f.sex), ...Object.values(f.org)];
    if (nums.some((s) => Number.isNaN(numberOf(s))))
      local['participants.total'] = { text: t('knowledge.err.net.count') };
    if (Object.keys(local).length) {
      p.setLocal(local);
      return;
    }
    setBusy(true);
    try {
      const body = {
        kind: f.kind,
        status: f.status,
        titles: filled(f.titles),
        descriptions: filled(f.descriptions),
        place: f.place?.code ?? null,
        online: f.online,
        startsOn: f.startsOn,
        endsOn: f.endsOn || null,
        organisers: organisers(),
        topics: f.topics
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
        materials: f.materials.map((m) => m.id),
        participants: participants(),
      };
      const res = await send(id === null ? '/workshops' : `/workshops/${id}`, id === null ? 'POST' : 'PATCH', body);
      if (!res.ok) {
        await p.fromResponse(res);
        return;
      }
      const saved = (await res.json()) as WorkshopFull;
      await refresh();
      if (id === null) {
        setFlash(t('knowledge.form.net.workshopAdded', { name: nameOf(saved.titles, lang) }));
        void navigate({ to: '/network/workshop', search: { id: saved.id }, replace: true });
      } else announce(t('knowledge.form.net.saved'));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (id === null) return;
    p.clear();
    const res = await send(`/workshops/${id}`, 'DELETE');
    if (!res.ok) {
      await p.fromResponse(res);
      return;
    }
    await refresh(true);
    setRemoved(true);
    announce(t('knowledge.form.net.workshopRemoved', { name: title }));
  };
  const heading = id === null ? t('knowledge.form.net.addWorkshop') : t('knowledge.form.net.editWorkshop');
  const numberField = (key: string, label: string, value: string, onChange: (v: string) => void, error?: Shown) => (
    <Field id={`${fid}-${key}`} label={label} error={error}>
      <input
        id={`${fid}-${key}`}
        type="text"
        inputMode="numeric"
        dir="ltr"
        className="net-count"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...described(`${fid}-${key}`, error)}
      />
    </Field>
  );
  return (
    <section className="admin network-edit">
      <Breadcrumbs
        items={[
          { to: '/workshops', label: t('workshops.title') },
          ...(id !== null
            ? [{ to: '/workshops/$id', params: { id: String(id) }, label: <span dir="auto">{title}</span> }]
            : []),
          { label: heading },
        ]}
      />
      <h1>{heading}</h1>
      {status}
      {removed ? (
        <p>
          <Link to="/workshops">{t('knowledge.form.net.backToWorkshops')}</Link>
        </p>
      ) : (
        <form ref={p.formRef} className="form net-form" onSubmit={(e) => void submit(e)} noValidate>
          <div className="form-grid">
            <Field id={`${fid}-kind`} label={t('knowledge.form.net.kind')} error={p.fields.kind}>
              <select
                id={`${fid}-kind`}
                value={f.kind}
                onChange={(e) => set('kind', e.target.value)}
                {...described(`${fid}-kind`, p.fields.kind)}
              >
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {workshopKindLabel(t, k)}
                  </option>
                ))}
              </select>
            </Field>
            <Field id={`${fid}-status`} label={t('knowledge.form.net.status')} error={p.fields.status}>
              <select
                id={`${fid}-status`}
                value={f.status}
                onChange={(e) => set('status', e.target.value)}
                {...described(`${fid}-status`, p.fields.status)}
              >
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {statusLabel(t, s)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <LangFields
            id={`${fid}-titles`}
            label={t('knowledge.form.net.workshopTitle')}
            values={f.titles}
            onChange={(v) => set('titles', v)}
            errors={langErrors(p.fields, 'titles')}
            maxLength={500}
            autoFocus={id === null}
          />
          <div className="form-grid">
            {admin ? (
              <PlacePicker
                id={`${fid}-place`}
                label={t('knowledge.form.net.workshopPlace')}
                value={f.place}
                onChange={(v) => set('place', v)}
                error={p.fields.place}
              />
            ) : (
              <Field id={`${fid}-place`} label={t('knowledge.form.net.workshopPlace')} error={p.fields.place}>
                <select
                  id={`${fid}-place`}
                  value={f.place?.code ?? ''}
                  onChange={(e) => set('place', { code: e.target.value, level: '', names: {} })}
                  {...described(`${fid}-place`, p.fields.place)}
                >
                  {ownChoices.map((c) => (
                    <option key={c} value={c}>
                      {placeNames.get(c) ?? (f.place?.code === c ? nameOf(f.place.names, lang) || c : c)}
                    </option>
                  ))}
                </select>
              </Field>
            )}
            <div className="field net-check">
              <input
                id={`${fid}-online`}
                type="checkbox"
                checked={f.online}
                onChange={(e) => set('online', e.target.checked)}
              />
              <label htmlFor={`${fid}-online`}>{t('knowledge.form.net.online')}</label>
            </div>
            <Field id={`${fid}-start`} label={t('knowledge.form.net.startsOn')} error={p.fields.startsOn}>
              <input
                id={`${fid}-start`}
                type="date"
                required
                value={f.startsOn}
                onChange={(e) => set('startsOn', e.target.value)}
                {...described(`${fid}-start`, p.fields.startsOn)}
              />
            </Field>
            <Field id={`${fid}-end`} label={t('knowledge.form.net.endsOn')} error={p.fields.endsOn}>
              <input
                id={`${fid}-end`}
                type="date"
                value={f.endsOn}
                onChange={(e) => set('endsOn', e.target.value)}
                {...described(`${fid}-end`, p.fields.endsOn)}
              />
            </Field>
          </div>
          <LangFields
            id={`${fid}-descriptions`}
            label={t('knowledge.form.net.description')}
            values={f.descriptions}
            onChange={(v) => set('descriptions', v)}
            errors={langErrors(p.fields, 'descriptions')}
            multiline
            maxLength={20000}
          />

          <fieldset>
            <legend>{t('workshops.organisers')}</legend>
            {(partners.data?.items.length ?? 0) > 0 && (
              <ul className="net-choices">
                {partners.data!.items.map((o) => (
                  <li key={o.id}>
                    <input
                      id={`${fid}-org-${o.id}`}
                      type="checkbox"
                      checked={f.partners.includes(o.id)}
                      onChange={(e) =>
                        set('partners', e.target.checked ? [...f.partners, o.id] : f.partners.filter((x) => x !== o.id))
                      }
                    />
                    <label htmlFor={`${fid}-org-${o.id}`} dir="auto">
                      {o.name ?? `#${o.id}`}
                    </label>
                  </li>
                ))}
              </ul>
            )}
            <Field
              id={`${fid}-others`}
              label={t('knowledge.form.net.otherOrganisers')}
              hint={t('knowledge.form.net.oneALine')}
              error={p.fields.organisers}
            >
              <textarea
                id={`${fid}-others`}
                dir="auto"
                rows={3}
                value={f.others}
                onChange={(e) => set('others', e.target.value)}
                {...described(`${fid}-others`, p.fields.organisers, true)}
              />
            </Field>
          </fieldset>

          <Field
            id={`${fid}-topics`}
            label={t('workshops.topics')}
            hint={t('knowledge.form.net.oneALine')}
            error={p.fields.topics}
          >
            <textarea
              id={`${fid}-topics`}
              dir="auto"
              rows={3}
              value={f.topics}
              onChange={(e) => set('topics', e.target.value)}
              {...described(`${fid}-topics`, p.fields.topics, true)}
            />
          </Field>

          <fieldset>
            <legend>{t('workshops.participants')}</legend>
            <p className="hint">{t('knowledge.form.net.countsOnly')}</p>
            <div className="form-grid net-counts">
              {numberField(
                'total',
                t('workshops.total'),
                f.total,
                (v) => set('total', v),
                p.fields['participants.total'],
              )}
              {SEX.map((s) =>
                numberField(
                  s,
                  t(SEX_LABEL[s]),
                  f.sex[s] ?? '',
                  (v) => set('sex', { ...f.sex, [s]: v }),
                  s === 'female' ? p.fields['participants.sex'] : undefined,
                ),
              )}
            </div>
            <details className="net-orgs" open={!!p.fields['participants.org'] || undefined}>
              <summary>{t('workshops.byOrganisation')}</summary>
              <div className="form-grid net-counts">
                {ORG_TYPES.map((o, i) =>
                  numberField(
                    `org-${o}`,
                    orgTypeLabel(t, o),
                    f.org[o] ?? '',
                    (v) => set('org', { ...f.org, [o]: v }),
                    i === 0 ? p.fields['participants.org'] : undefined,
                  ),
                )}
              </div>
            </details>
          </fieldset>

          <Materials
            id={`${fid}-materials`}
            value={f.materials}
            onChange={(v) => set('materials', v)}
            error={p.fields.materials}
          />

          <FormProblems problems={p.general} />
          <div className="net-actions">
            <button type="submit" disabled={busy}>
              {id === null ? t('knowledge.form.net.add') : t('knowledge.form.net.save')}
            </button>
            {id !== null ? (
              <Link to="/workshops/$id" params={{ id: String(id) }}>
                {t('knowledge.form.net.seeWorkshop')}
              </Link>
            ) : (
              <Link to="/workshops">{t('knowledge.form.net.backToWorkshops')}</Link>
            )}
            {id !== null && (
              <RemoveButton
                label={t('knowledge.form.net.remove')}
                question={t('knowledge.form.net.removeWorkshopQuestion', { name: title })}
                onYes={() => void remove()}
              />
            )}
          </div>
        </form>
      )}
    </section>
  );
}

/** The materials of a workshop: items of the repository, found by searching their titles; each can be taken off. */
function Materials({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: Material[];
  onChange(v: Material[]): void;
  error?: Shown;
}) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const h = setTimeout(() => setQuery(text.trim()), 250);
    return () => clearTimeout(h);
  }, [text]);
  const hits = useQuery({
    queryKey: ['workshop-materials-search', query, lang],
    enabled: query.length > 0,
    queryFn: () => getJson<{ items: SearchHit[] }>('/knowledge/search', { q: query, lang, limit: 8, facets: false }),
  });
  const found = (hits.data?.items ?? []).filter((h) => !value.some((m) => m.id === h.id));
  return (
    <fieldset>
      <legend>{t('workshops.materials')}</legend>
      {value.length === 0 ? (
        <p className="muted">{t('workshops.noMaterials')}</p>
      ) : (
        <ul className="net-materials">
          {value.map((m) => (
            <li key={m.id}>
              <span dir="auto">{m.title ?? `#${m.id}`}</span> <span className="tag">{typeLabel(t, m.type)}</span>{' '}
              <button
                type="button"
                className="secondary small"
                aria-label={t('knowledge.form.net.takeOffNamed', { name: m.title ?? `#${m.id}` })}
                onClick={() => onChange(value.filter((x) => x.id !== m.id))}
              >
                {t('knowledge.form.net.takeOff')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor={id}>{t('knowledge.form.net.findMaterial')}</label>
        <input
          id={id}
          type="search"
          dir="auto"
          value={text}
          onChange={(e) => setText(e.target.value)}
          {...described(id, error)}
        />
        <FieldError id={id} error={error} />
      </div>
      {query && hits.data && (
        <ul className="net-material-hits" aria-label={t('knowledge.form.net.materialHits')}>
          {found.length === 0 ? (
            <li className="muted">{t('knowledge.form.net.noMaterialHit')}</li>
          ) : (
            found.map((h) => (
              <li key={h.id}>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => {
                    onChange([...value, { id: h.id, type: h.type, title: h.title }]);
                    setText('');
                  }}
                >
                  <span className="visually-hidden">{t('knowledge.form.net.addMaterial')} </span>
                  <span dir="auto">{h.title}</span>
                </button>{' '}
                <span className="tag">{typeLabel(t, h.type)}</span>
              </li>
            ))
          )}
        </ul>
      )}
    </fieldset>
  );
}
