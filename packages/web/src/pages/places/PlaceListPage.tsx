import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Page, PlaceItem } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';

export function PlaceListPage() {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const [level, setLevel] = useState<'city' | 'country'>('city');
  const pilots = useQuery({
    queryKey: ['pilots', lang],
    queryFn: () => getJson<Page<PlaceItem>>('/places', { pilot: true, lang, limit: 100 }),
  });
  const all = useQuery({
    queryKey: ['places', level, lang],
    queryFn: () => getJson<Page<PlaceItem>>('/places', { level, lang, limit: 1000 }),
  });
  const sortName = (a: PlaceItem, b: PlaceItem) => (a.name ?? a.code).localeCompare(b.name ?? b.code, lang);
  return (
    <>
      <h1>{t('places.title')}</h1>
      <h2>{t('places.pilots')}</h2>
      <p className="small muted">{t('home.pilotsNote')}</p>
      {pilots.isPending ? (
        <Loading />
      ) : pilots.error ? (
        <ErrorMessage error={pilots.error} />
      ) : (
        <ul className="grid" style={{ listStyle: 'none', padding: 0 }}>
          {[...pilots.data.items].sort(sortName).map((p) => (
            <li key={p.code} className="card">
              <Link to="/places/$code" params={{ code: p.code }}>
                <UserText names={p.names} />
              </Link>
              <div className="small muted">
                {t(`level.${p.level}`)}
                {p.codes.unlocode ? ` · UN/LOCODE ${p.codes.unlocode}` : ''}
              </div>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('places.all')}</h2>
      <label>
        {t('places.level')}{' '}
        <select value={level} onChange={(e) => setLevel(e.target.value === 'country' ? 'country' : 'city')}>
          <option value="city">{t('level.city')}</option>
          <option value="country">{t('level.country')}</option>
        </select>
      </label>
      {all.isPending ? (
        <Loading />
      ) : all.error ? (
        <ErrorMessage error={all.error} />
      ) : (
        <ul className="grid" style={{ listStyle: 'none', padding: 0, marginBlockStart: '1rem' }}>
          {[...all.data.items].sort(sortName).map((p) => (
            <li key={p.code}>
              <Link to="/places/$code" params={{ code: p.code }}>
                <UserText names={p.names} />
              </Link>{' '}
              <span className="small muted">{p.code}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
