import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { LangFields, langErrors, langKeys, sixOf } from '../../components/LangFields.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { isAdministrator } from '../admin/admin-api.ts';
import { described, Field, FormProblems } from '../admin/forms.tsx';
import { type PickedPlace, PlacePicker } from '../admin/PlacePicker.tsx';
import { type PlaceRef, partnerTypeLabel } from '../knowledge/knowledge-api.ts';
import { NotFoundPage } from '../NotFoundPage.tsx';
import {
  type CentreFull,
  filled,
  nameOf,
  type PartnerFull,
  RemoveButton,
  setFlash,
  useAnnouncer,
  useNetworkProblems,
} from './network-edit-kit.tsx';
import './network-edit.css';

const PARTNER_TYPES = [
  'local-government-network',
  'civil-society',
  'academia',
  'private-sector',
  'un-entity',
  'funder',
] as const;

/** The network's queries to refresh after a change. */
const NETWORK_KEYS = ['network-summary', 'network-partners', 'network-centres', 'network-pilots'];

function picked(p: PlaceRef | null, lang: string): PickedPlace | null {
  return p ? { code: p.code, level: p.level ?? 'city', names: { [lang]: p.name ?? p.code } } : null;
}

/** Administrators only, as the API's routes of partners and centres (adminGuard). */
function AdminOnly({ titleKey, children }: { titleKey: string; children: React.ReactNode }) {
  const { t } = useTranslation();
  const { me, loading } = useSession();
  if (loading) return <Loading />;
  if (!isAdministrator(me?.roles))
    return (
      <section className="admin network-edit">
        <h1>{t(titleKey)}</h1>
        <div className="notice warn">
          <p>{me ? t('knowledge.form.net.adminsOnly') : t('knowledge.form.net.signIn')}</p>
          <p>
            <Link to="/network">{t('knowledge.form.net.backToNetwork')}</Link>
          </p>
        </div>
      </section>
    );
  return <>{children}</>;
}

// ---- partner organisations ---------------------------------------------------------------------

interface PartnerForm {
  names: Record<string, string>;
  descriptions: Record<string, string>;
  type: string;
  country: PickedPlace | null;
  website: string;
  joinedOn: string;
  leftOn: string;
}
const PARTNER_FIELDS = [
  ...langKeys('names'),
  ...langKeys('descriptions'),
  'type',
  'country',
  'website',
  'joinedOn',
  'leftOn',
];

/** Adds (no `id` in the address) or edits a partner organisation of the network. */
export function PartnerEditPage() {
  const { id } = useSearch({ from: '/network/partner' });
  const { lang } = usePrefs();
  const { t } = useTranslation();
  const valid = id === undefined || id > 0;
  const partner = useQuery({
    queryKey: ['network-partner-edit', id, lang],
    enabled: valid && id !== undefined,
    queryFn: () => getJson<PartnerFull>(`/network/partners/${id}`, { lang }),
    retry: (n, e) => !(e instanceof ApiError && e.status === 404) && n < 2,
  });
  if (!valid || (partner.error instanceof ApiError && partner.error.status === 404))
    return <NotFoundPage what={t('knowledge.form.net.partnerNamed', { id: String(id ?? '') })} />;
  if (partner.error) return <ErrorMessage error={partner.error} />;
  if (id !== undefined && !partner.data) return <Loading />;
  const p = partner.data;
  const initial: PartnerForm = p
    ? {
        names: sixOf(p.names as Record<string, string>),
        descriptions: sixOf(p.descriptions as Record<string, string>),
        type: p.type,
        country: picked(p.country, lang),
        website: p.website ?? '',
        joinedOn: p.joinedOn ?? '',
        leftOn: p.leftOn ?? '',
      }
    : {
        names: sixOf({}),
        descriptions: sixOf({}),
        type: 'civil-society',
        country: null,
        website: '',
        joinedOn: '',
        leftOn: '',
      };
  return (
    <AdminOnly titleKey={p ? 'knowledge.form.net.editPartner' : 'knowledge.form.net.addPartner'}>
      <PartnerFormView key={id ?? 'new'} id={p?.id ?? null} initial={initial} />
    </AdminOnly>
  );
}

function PartnerFormView({ id, initial }: { id: number | null; initial: PartnerForm }) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const { send } = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const fid = useId();
  const [f, setF] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [removed, setRemoved] = useState(false);
  const [status, announce] = useAnnouncer();
  const p = useNetworkProblems(PARTNER_FIELDS, lang);
  const set = <K extends keyof PartnerForm>(k: K, v: PartnerForm[K]) => setF((s) => ({ ...s, [k]: v }));
  const name = nameOf(filled(f.names), lang);

  // After a removal the page's own query is left as it is: read again, it would be "not found".
  const refresh = async (removed = false) => {
    for (const k of removed ? NETWORK_KEYS : [...NETWORK_KEYS, 'network-partner-edit'])
      await client.invalidateQueries({ queryKey: [k] });
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    p.clear();
    announce('');
    setBusy(true);
    try {
      const body = {
        names: filled(f.names),
        descriptions: filled(f.descriptions),
        type: f.type,
        country: f.country?.code ?? null,
        website: f.website.trim() || null,
        joinedOn: f.joinedOn || null,
        leftOn: f.leftOn || null,
      };
      const res = await send(
        id === null ? '/network/partners' : `/network/partners/${id}`,
        id === null ? 'POST' : 'PATCH',
        body,
      );
      if (!res.ok) {
        await p.fromResponse(res);
        return;
      }
      const saved = (await res.json()) as PartnerFull;
      await refresh();
      if (id === null) {
        setFlash(t('knowledge.form.net.partnerAdded', { name: saved.name ?? '' }));
        void navigate({ to: '/network/partner', search: { id: saved.id }, replace: true });
      } else announce(t('knowledge.form.net.saved'));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (id === null) return;
    p.clear();
    const res = await send(`/network/partners/${id}`, 'DELETE');
    if (!res.ok) {
      await p.fromResponse(res);
      return;
    }
    await refresh(true);
    setRemoved(true);
    announce(t('knowledge.form.net.partnerRemoved', { name }));
  };
  const title = id === null ? t('knowledge.form.net.addPartner') : t('knowledge.form.net.editPartner');
  return (
    <section className="admin network-edit">
      <Breadcrumbs items={[{ to: '/network', label: t('network.title') }, { label: title }]} />
      <h1>{title}</h1>
      {status}
      {removed ? (
        <p>
          <Link to="/network" hash="partners">
            {t('knowledge.form.net.backToNetwork')}
          </Link>
        </p>
      ) : (
        <form ref={p.formRef} className="form net-form" onSubmit={(e) => void submit(e)} noValidate>
          <LangFields
            id={`${fid}-names`}
            label={t('knowledge.form.net.name')}
            values={f.names}
            onChange={(v) => set('names', v)}
            errors={langErrors(p.fields, 'names')}
            maxLength={300}
            autoFocus={id === null}
          />
          <div className="form-grid">
            <Field id={`${fid}-type`} label={t('knowledge.form.net.type')} error={p.fields.type}>
              <select
                id={`${fid}-type`}
                value={f.type}
                onChange={(e) => set('type', e.target.value)}
                {...described(`${fid}-type`, p.fields.type)}
              >
                {PARTNER_TYPES.map((ty) => (
                  <option key={ty} value={ty}>
                    {partnerTypeLabel(t, ty)}
                  </option>
                ))}
              </select>
            </Field>
            <PlacePicker
              id={`${fid}-country`}
              label={t('knowledge.form.net.country')}
              value={f.country}
              onChange={(v) => set('country', v)}
              levels={['country']}
              error={p.fields.country}
            />
            <Field id={`${fid}-website`} label={t('knowledge.form.net.website')} error={p.fields.website}>
              <input
                id={`${fid}-website`}
                type="url"
                dir="ltr"
                inputMode="url"
                value={f.website}
                onChange={(e) => set('website', e.target.value)}
                {...described(`${fid}-website`, p.fields.website)}
              />
            </Field>
            <Field id={`${fid}-joined`} label={t('knowledge.form.net.joinedOn')} error={p.fields.joinedOn}>
              <input
                id={`${fid}-joined`}
                type="date"
                value={f.joinedOn}
                onChange={(e) => set('joinedOn', e.target.value)}
                {...described(`${fid}-joined`, p.fields.joinedOn)}
              />
            </Field>
            <Field id={`${fid}-left`} label={t('knowledge.form.net.leftOn')} error={p.fields.leftOn}>
              <input
                id={`${fid}-left`}
                type="date"
                value={f.leftOn}
                onChange={(e) => set('leftOn', e.target.value)}
                {...described(`${fid}-left`, p.fields.leftOn)}
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
            maxLength={5000}
          />
          <FormProblems problems={p.general} />
          <div className="net-actions">
            <button type="submit" disabled={busy}>
              {id === null ? t('knowledge.form.net.add') : t('knowledge.form.net.save')}
            </button>
            <Link to="/network" hash="partners">
              {t('knowledge.form.net.backToNetwork')}
            </Link>
            {id !== null && (
              <RemoveButton
                label={t('knowledge.form.net.remove')}
                question={t('knowledge.form.net.removePartnerQuestion', { name })}
                onYes={() => void remove()}
              />
            )}
          </div>
        </form>
      )}
    </section>
  );
}

// ---- coordination centres ----------------------------------------------------------------------

interface CentreForm {
  names: Record<string, string>;
  descriptions: Record<string, string>;
  place: PickedPlace | null;
  organisation: string;
  designatedOn: string;
}
const CENTRE_FIELDS = [...langKeys('names'), ...langKeys('descriptions'), 'place', 'organisation', 'designatedOn'];

/** Adds (no `id` in the address) or edits a designated coordination centre. */
export function CentreEditPage() {
  const { id } = useSearch({ from: '/network/centre' });
  const { lang } = usePrefs();
  const { t } = useTranslation();
  const valid = id === undefined || id > 0;
  // The API lists the centres (no route of one): the one edited is taken from the list, with its texts.
  const centres = useQuery({
    queryKey: ['network-centres-edit', lang],
    enabled: valid && id !== undefined,
    queryFn: () => getJson<{ items: CentreFull[] }>('/network/centres', { lang }),
  });
  const c = id === undefined ? undefined : centres.data?.items.find((x) => x.id === id);
  if (!valid || (centres.data && id !== undefined && !c))
    return <NotFoundPage what={t('knowledge.form.net.centreNamed', { id: String(id ?? '') })} />;
  if (centres.error) return <ErrorMessage error={centres.error} />;
  if (id !== undefined && !c) return <Loading />;
  const initial: CentreForm = c
    ? {
        names: sixOf(c.names as Record<string, string>),
        descriptions: sixOf(c.descriptions as Record<string, string>),
        place: picked(c.place, lang),
        organisation: c.organisation ? String(c.organisation.id) : '',
        designatedOn: c.designatedOn ?? '',
      }
    : { names: sixOf({}), descriptions: sixOf({}), place: null, organisation: '', designatedOn: '' };
  return (
    <AdminOnly titleKey={c ? 'knowledge.form.net.editCentre' : 'knowledge.form.net.addCentre'}>
      <CentreFormView key={id ?? 'new'} id={c?.id ?? null} initial={initial} />
    </AdminOnly>
  );
}

function CentreFormView({ id, initial }: { id: number | null; initial: CentreForm }) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const { send } = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const fid = useId();
  const [f, setF] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [removed, setRemoved] = useState(false);
  const [status, announce] = useAnnouncer();
  const p = useNetworkProblems(CENTRE_FIELDS, lang);
  const partners = useQuery({
    queryKey: ['network-partners', lang],
    queryFn: () => getJson<{ items: PartnerFull[] }>('/network/partners', { lang }),
  });
  const set = <K extends keyof CentreForm>(k: K, v: CentreForm[K]) => setF((s) => ({ ...s, [k]: v }));
  const name = nameOf(filled(f.names), lang);

  const refresh = async (removed = false) => {
    for (const k of removed ? NETWORK_KEYS : [...NETWORK_KEYS, 'network-centres-edit'])
      await client.invalidateQueries({ queryKey: [k] });
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (busy) return;
    p.clear();
    announce('');
    if (!f.place) {
      p.setLocal({ place: { text: t('knowledge.form.net.placeNeeded') } });
      return;
    }
    setBusy(true);
    try {
      const body = {
        names: filled(f.names),
        descriptions: filled(f.descriptions),
        place: f.place.code,
        organisation: f.organisation ? Number(f.organisation) : null,
        designatedOn: f.designatedOn || null,
      };
      const res = await send(
        id === null ? '/network/centres' : `/network/centres/${id}`,
        id === null ? 'POST' : 'PATCH',
        body,
      );
      if (!res.ok) {
        await p.fromResponse(res);
        return;
      }
      const saved = (await res.json()) as CentreFull;
      await refresh();
      if (id === null) {
        setFlash(t('knowledge.form.net.centreAdded', { name: saved.name ?? '' }));
        void navigate({ to: '/network/centre', search: { id: saved.id }, replace: true });
      } else announce(t('knowledge.form.net.saved'));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (id === null) return;
    p.clear();
    const res = await send(`/network/centres/${id}`, 'DELETE');
    if (!res.ok) {
      await p.fromResponse(res);
      return;
    }
    await refresh(true);
    setRemoved(true);
    announce(t('knowledge.form.net.centreRemoved', { name }));
  };
  const title = id === null ? t('knowledge.form.net.addCentre') : t('knowledge.form.net.editCentre');
  return (
    <section className="admin network-edit">
      <Breadcrumbs items={[{ to: '/network', label: t('network.title') }, { label: title }]} />
      <h1>{title}</h1>
      {status}
      {removed ? (
        <p>
          <Link to="/network" hash="centres">
            {t('knowledge.form.net.backToNetwork')}
          </Link>
        </p>
      ) : (
        <form ref={p.formRef} className="form net-form" onSubmit={(e) => void submit(e)} noValidate>
          <LangFields
            id={`${fid}-names`}
            label={t('knowledge.form.net.name')}
            values={f.names}
            onChange={(v) => set('names', v)}
            errors={langErrors(p.fields, 'names')}
            maxLength={300}
            autoFocus={id === null}
          />
          <div className="form-grid">
            <PlacePicker
              id={`${fid}-place`}
              label={t('knowledge.form.net.centrePlace')}
              value={f.place}
              onChange={(v) => set('place', v)}
              error={p.fields.place}
              required
            />
            <Field id={`${fid}-org`} label={t('knowledge.form.net.runBy')} error={p.fields.organisation}>
              <select
                id={`${fid}-org`}
                value={f.organisation}
                onChange={(e) => set('organisation', e.target.value)}
                {...described(`${fid}-org`, p.fields.organisation)}
              >
                <option value="">{t('knowledge.form.net.noOrganisation')}</option>
                {(partners.data?.items ?? []).map((o) => (
                  <option key={o.id} value={String(o.id)}>
                    {o.name ?? `#${o.id}`}
                  </option>
                ))}
              </select>
            </Field>
            <Field id={`${fid}-designated`} label={t('knowledge.form.net.designatedOn')} error={p.fields.designatedOn}>
              <input
                id={`${fid}-designated`}
                type="date"
                value={f.designatedOn}
                onChange={(e) => set('designatedOn', e.target.value)}
                {...described(`${fid}-designated`, p.fields.designatedOn)}
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
            maxLength={5000}
          />
          <FormProblems problems={p.general} />
          <div className="net-actions">
            <button type="submit" disabled={busy}>
              {id === null ? t('knowledge.form.net.add') : t('knowledge.form.net.save')}
            </button>
            <Link to="/network" hash="centres">
              {t('knowledge.form.net.backToNetwork')}
            </Link>
            {id !== null && (
              <RemoveButton
                label={t('knowledge.form.net.remove')}
                question={t('knowledge.form.net.removeCentreQuestion', { name })}
                onYes={() => void remove()}
              />
            )}
          </div>
        </form>
      )}
    </section>
  );
}
