import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.tsx';
import { isAdministrator } from '../admin/admin-api.ts';
import { mayAuthor } from '../knowledge/knowledge-api.ts';
import './network-edit.css';

/**
 * The links of the network and workshop pages to the pages that add and edit, shown to those the API lets write
 * (network-routes.ts: partners and centres by administrators; workshop-routes.ts: workshops by editors, focal points
 * and administrators, each workshop by those its `canEdit` names).
 */
export function NetworkAddLinks() {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!isAdministrator(me?.roles)) return null;
  return (
    <p className="net-edit-links">
      <Link to="/network/partner">{t('network.edit.addPartner')}</Link>
      <Link to="/network/centre">{t('network.edit.addCentre')}</Link>
    </p>
  );
}

export function PartnerEditLink({ id, name }: { id: number; name: string | null }) {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!isAdministrator(me?.roles)) return null;
  return (
    <Link
      to="/network/partner"
      search={{ id }}
      className="net-edit-link"
      aria-label={t('network.edit.editNamed', { name: name ?? `#${id}` })}
    >
      {t('network.edit.edit')}
    </Link>
  );
}

export function CentreEditLink({ id, name }: { id: number; name: string | null }) {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!isAdministrator(me?.roles)) return null;
  return (
    <Link
      to="/network/centre"
      search={{ id }}
      className="net-edit-link"
      aria-label={t('network.edit.editNamed', { name: name ?? `#${id}` })}
    >
      {t('network.edit.edit')}
    </Link>
  );
}

export function WorkshopAddLink() {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!mayAuthor(me?.roles)) return null;
  return (
    <p className="net-edit-links">
      <Link to="/network/workshop">{t('network.edit.addWorkshop')}</Link>
    </p>
  );
}

export function WorkshopEditLink({ id, name, canEdit }: { id: number; name: string | null; canEdit: boolean }) {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!me || !canEdit) return null;
  return (
    <Link
      to="/network/workshop"
      search={{ id }}
      className="net-edit-link"
      aria-label={t('network.edit.editNamed', { name: name ?? `#${id}` })}
    >
      {t('network.edit.edit')}
    </Link>
  );
}

/**
 * Partners that left the network, which the network page does not list: shown to administrators only, each with its
 * edit link (a partner that left keeps its record; its date of leaving can be changed back).
 */
export function FormerPartnerLinks({ partners }: { partners: { id: number; name: string | null; member: boolean }[] }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const former = partners.filter((p) => !p.member);
  if (!isAdministrator(me?.roles) || former.length === 0) return null;
  return (
    <section aria-labelledby="partners-former">
      <h3 id="partners-former">{t('network.edit.former')}</h3>
      <ul className="plain-list">
        {former.map((p) => (
          <li key={p.id}>
            <span dir="auto">{p.name ?? `#${p.id}`}</span>
            <PartnerEditLink id={p.id} name={p.name} />
          </li>
        ))}
      </ul>
    </section>
  );
}
