import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Names } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import type { EntrySearch } from './EntryPage.tsx';

interface PlaceItem {
  code: string;
  level: string;
  names: Names;
  parent: string | null;
}

const WRITER_ROLES = ['national-focal-point', 'city-focal-point'];

/**
 * The places the signed-in user may enter values for: the places of their focal-point roles
 * and the places below them (administrators: the pilot places), and the period.
 */
export function EntryPlacePicker({ initial, onOpen }: { initial: EntrySearch; onOpen: (s: EntrySearch) => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { text, lang } = usePrefs();
  const admin = !!me?.roles.some((r) => r.role === 'administrator');
  const roots = [
    ...new Set((me?.roles ?? []).filter((r) => WRITER_ROLES.includes(r.role) && r.place).map((r) => r.place!)),
  ];
  const places = useQuery({
    queryKey: ['entry-places', roots.join(','), admin, lang],
    queryFn: async () => {
      const lists = await Promise.all([
        ...roots.map((code) => getJson<PlaceItem>(`/places/${encodeURIComponent(code)}`).then((p) => [p])),
        ...roots.map((code) =>
          getJson<{ items: PlaceItem[] }>('/places', { within: code, limit: 500 }).then((r) => r.items),
        ),
        ...(admin
          ? [getJson<{ items: PlaceItem[] }>('/places', { pilot: true, limit: 500 }).then((r) => r.items)]
          : []),
      ]);
      const seen = new Set<string>();
      return lists.flat().filter((p) => {
        if (seen.has(p.code)) return false;
        seen.add(p.code);
        return true;
      });
    },
  });
  const [place, setPlace] = useState(initial.place ?? '');
  const [period, setPeriod] = useState(initial.period ?? String(new Date().getFullYear() - 1));
  const chosen = place || places.data?.[0]?.code || '';
  if (!admin && roots.length === 0) return <p className="notice">{t('entry.noPlaces')}</p>;
  return (
    <form
      className="entry-picker"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen && period.trim()) onOpen({ place: chosen, period: period.trim(), framework: initial.framework });
      }}
    >
      <div className="field-row">
        <label htmlFor="entry-place">{t('entry.place')}</label>
        <select id="entry-place" value={chosen} onChange={(e) => setPlace(e.target.value)}>
          {(places.data ?? []).map((p) => (
            <option key={p.code} value={p.code}>
              {text(p.names).text || p.code} ({p.code})
            </option>
          ))}
        </select>
      </div>
      <div className="field-row">
        <label htmlFor="entry-period">{t('entry.period')}</label>
        <input
          id="entry-period"
          dir="ltr"
          value={period}
          onChange={(e) => setPeriod(e.target.value)}
          aria-describedby="entry-period-hint"
          size={12}
        />
        <span id="entry-period-hint" className="small muted">
          {t('entry.periodHint')} <bdi dir="ltr">2024 · 2024-Q1 · 2024-03 · 2017-18</bdi>
        </span>
      </div>
      <button type="submit">{t('entry.open')}</button>
    </form>
  );
}
