import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

export function NotFoundPage({ what }: { what?: string }) {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p>{what ? t('notFound.named', { what }) : t('notFound.text')}</p>
      <p>
        <Link to="/">{t('notFound.home')}</Link> · <Link to="/indicators">{t('nav.indicators')}</Link> ·{' '}
        <Link to="/places">{t('nav.places')}</Link>
      </p>
    </section>
  );
}
