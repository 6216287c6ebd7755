import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';

export function Breadcrumbs({
  items,
}: {
  items: { to?: string; params?: Record<string, string>; label: React.ReactNode }[];
}) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('layout.breadcrumbs')} className="breadcrumbs">
      <ol>
        {items.map((it, i) => (
          <li key={i}>
            {it.to ? (
              <Link to={it.to as never} params={it.params as never}>
                {it.label}
              </Link>
            ) : (
              <span aria-current="page">{it.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
