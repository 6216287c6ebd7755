import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Names } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { UserText } from '../../components/UserText.tsx';

interface SearchResult {
  indicators: { code: string; name: string | null; names: Names; status: string }[];
  places: { code: string; level: string; name: string | null; names: Names; pilot: boolean }[];
  /** Knowledge items (issue 5), when the API gives them. */
  items?: { id: number; type: string; title: string; language: string }[];
}

/** Finds indicators and places by name in any of the six languages (Arabic letter variants folded). */
export function SearchBox() {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const id = useId();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const h = setTimeout(() => setQuery(text.trim()), 250);
    return () => clearTimeout(h);
  }, [text]);
  const results = useQuery({
    queryKey: ['search', query, lang],
    enabled: query.length > 0,
    queryFn: () => getJson<SearchResult>('/search', { q: query, lang, limit: 12 }),
  });
  const items = results.data?.items ?? [];
  const count = results.data ? results.data.indicators.length + results.data.places.length + items.length : 0;
  return (
    <div role="search">
      <form
        className="search-box"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(text.trim());
        }}
      >
        <label htmlFor={id} className="visually-hidden">
          {t('search.label')}
        </label>
        <input
          id={id}
          type="search"
          // Empty, it takes the page's direction, so that the placeholder reads in the page's language (dir="auto"
          // on an empty field is left to right: the Arabic placeholder began with its "11.1.1").
          dir={text ? 'auto' : undefined}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('search.placeholder')}
          autoComplete="off"
        />
        <button type="submit">{t('search.button')}</button>
      </form>
      <div aria-live="polite">
        {query &&
          results.data &&
          (count === 0 ? (
            <p className="muted">{t('search.none', { query })}</p>
          ) : (
            <div className="grid">
              {results.data.indicators.length > 0 && (
                <div>
                  <h2 className="small">{t('search.indicators')}</h2>
                  <ul className="results">
                    {results.data.indicators.map((i) => (
                      <li key={i.code}>
                        <Link to="/indicators/$code" params={{ code: i.code }}>
                          {i.code}
                        </Link>{' '}
                        <UserText names={i.names} />
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              {results.data.places.length > 0 && (
                <div>
                  <h2 className="small">{t('search.places')}</h2>
                  <ul className="results">
                    {results.data.places.map((p) => (
                      <li key={p.code}>
                        <Link to="/places/$code" params={{ code: p.code }}>
                          <UserText names={p.names} />
                        </Link>{' '}
                        <span className="muted small">{t(`level.${p.level}`)}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              {items.length > 0 && (
                <div>
                  <h2 className="small">{t('search.knowledge')}</h2>
                  <ul className="results">
                    {items.map((i) => (
                      <li key={i.id}>
                        <Link to="/knowledge/$id" params={{ id: String(i.id) }}>
                          <span dir="auto" lang={i.language}>
                            {i.title}
                          </span>
                        </Link>
                      </li>
                    ))}
                  </ul>
                  <p className="small">
                    <Link to="/knowledge" search={{ q: query }}>
                      {t('search.moreKnowledge')}
                    </Link>
                  </p>
                </div>
              )}
            </div>
          ))}
      </div>
    </div>
  );
}
