import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { languageLabel } from '../admin/admin-api.ts';
import { type Facet, kindLabel, mayAuthor, type SearchAnswer, typeLabel } from './knowledge-api.ts';
import { FACET_KEYS, type FacetKey, type KnowledgeSearch } from './knowledge-search-params.ts';
import { Snippet } from './RichText.tsx';
import './knowledge.css';

const PAGE_SIZE = 10;

const list = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : []);

function facetLegend(t: TFunction, k: FacetKey): string {
  switch (k) {
    case 'type':
      return t('knowledge.facet.type');
    case 'language':
      return t('knowledge.facet.language');
    case 'place':
      return t('knowledge.facet.place');
    case 'framework':
      return t('knowledge.facet.framework');
    case 'sdg':
      return t('knowledge.facet.sdg');
    case 'year':
      return t('knowledge.facet.year');
  }
}

/** The repository's search: one box, ranked results with highlighted snippets, facets that filter, pages. */
export function KnowledgeSearchPage() {
  const { t } = useTranslation();
  const { lang, num, date } = usePrefs();
  const { me } = useSession();
  const search = useSearch({ from: '/knowledge' });
  const navigate = useNavigate({ from: '/knowledge' });
  const id = useId();
  const [text, setText] = useState(search.q ?? '');
  useEffect(() => {
    setText(search.q ?? '');
  }, [search.q]);
  const page = search.page ?? 1;
  const answer = useQuery({
    queryKey: ['knowledge-search', search, lang],
    queryFn: () =>
      getJson<SearchAnswer>('/knowledge/search', {
        q: search.q,
        lang,
        type: search.type,
        language: search.language,
        place: search.place,
        framework: search.framework,
        sdg: search.sdg,
        year: search.year,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });
  const toggle = (k: FacetKey, value: string, on: boolean) => {
    const values = new Set(list(search[k]));
    if (on) values.add(value);
    else values.delete(value);
    void navigate({ search: (s) => ({ ...s, [k]: values.size ? [...values].join(',') : undefined, page: undefined }) });
  };
  const facetOf = (k: FacetKey): Facet[] => {
    const f = answer.data?.facets;
    if (!f) return [];
    return k === 'sdg' ? f.sdgTarget : f[k];
  };
  const facetName = (k: FacetKey, f: Facet) => {
    if (k === 'type') return typeLabel(t, f.value);
    if (k === 'language') return languageLabel(t, f.value);
    if (k === 'year') return num(Number(f.value), 0);
    return f.label ?? f.value;
  };
  const total = answer.data?.facets?.total ?? answer.data?.total ?? null;
  const filtered = FACET_KEYS.some((k) => search[k]);
  return (
    <section className="knowledge">
      <h1>{t('knowledge.title')}</h1>
      <p className="lead">{t('knowledge.intro')}</p>
      <p className="knowledge-links">
        <Link to="/network">{t('nav.network')}</Link> · <Link to="/workshops">{t('workshops.title')}</Link>
        {mayAuthor(me?.roles) && (
          <>
            {' '}
            · <Link to="/knowledge/new">{t('knowledge.new')}</Link>
          </>
        )}
      </p>
      <div role="search">
        <form
          className="search-box"
          onSubmit={(e) => {
            e.preventDefault();
            void navigate({ search: (s) => ({ ...s, q: text.trim() || undefined, page: undefined }) });
          }}
        >
          <label htmlFor={`${id}-q`} className="visually-hidden">
            {t('knowledge.searchLabel')}
          </label>
          <input
            id={`${id}-q`}
            type="search"
            dir="auto"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('knowledge.searchPlaceholder')}
            autoComplete="off"
          />
          <button type="submit">{t('search.button')}</button>
        </form>
      </div>
      <div className="knowledge-layout">
        <aside className="facets" aria-label={t('knowledge.filters')}>
          <h2 className="small-heading">{t('knowledge.filters')}</h2>
          {filtered && (
            <button
              type="button"
              className="secondary small-button"
              onClick={() => void navigate({ search: (s) => ({ q: s.q }) })}
            >
              {t('knowledge.clearFilters')}
            </button>
          )}
          {FACET_KEYS.map((k) => {
            const values = facetOf(k);
            const chosen = list(search[k]);
            if (!values.length && !chosen.length) return null;
            const shown = [
              ...values,
              ...chosen.filter((c) => !values.some((v) => v.value === c)).map((c) => ({ value: c, count: 0 })),
            ];
            return (
              <fieldset key={k} className="facet">
                <legend>{facetLegend(t, k)}</legend>
                <ul>
                  {shown.map((f) => (
                    <li key={f.value}>
                      <label>
                        <input
                          type="checkbox"
                          checked={chosen.includes(f.value)}
                          onChange={(e) => toggle(k, f.value, e.target.checked)}
                        />{' '}
                        <span dir="auto">{facetName(k, f)}</span> <span className="muted">({num(f.count, 0)})</span>
                      </label>
                    </li>
                  ))}
                </ul>
              </fieldset>
            );
          })}
        </aside>
        <div className="knowledge-results">
          {answer.error ? (
            <ErrorMessage error={answer.error} />
          ) : !answer.data ? (
            <Loading />
          ) : (
            <>
              <p aria-live="polite" className="result-count">
                {total === null
                  ? t('knowledge.countMore', { n: num(answer.data.items.length, 0) })
                  : search.q
                    ? t('knowledge.count', { n: num(total, 0), count: total, query: search.q })
                    : t('knowledge.countAll', { n: num(total, 0), count: total })}
              </p>
              {answer.data.items.length === 0 ? (
                <p className="empty">{t('knowledge.none')}</p>
              ) : (
                <ol className="hits" start={(page - 1) * PAGE_SIZE + 1}>
                  {answer.data.items.map((h) => (
                    <li key={h.id} className="hit">
                      <h3>
                        <Link to="/knowledge/$id" params={{ id: String(h.id) }}>
                          <span dir="auto" lang={h.language}>
                            {h.title}
                          </span>
                        </Link>
                      </h3>
                      <p className="hit-meta muted small">
                        <span className="tag">{typeLabel(t, h.type)}</span>
                        {h.kind && <span className="tag">{kindLabel(t, h.kind)}</span>}
                        {h.dateStart && <span>{date(h.dateStart)}</span>}
                        {' · '}
                        {new Intl.ListFormat(lang).format(h.languages.map((l) => languageLabel(t, l)))}
                      </p>
                      {h.snippet && <Snippet snippet={h.snippet} lang={h.language} />}
                    </li>
                  ))}
                </ol>
              )}
              <nav className="pager" aria-label={t('knowledge.pages')}>
                {page > 1 && (
                  <Link
                    to="/knowledge"
                    search={(s: KnowledgeSearch) => ({ ...s, page: page > 2 ? page - 1 : undefined })}
                  >
                    {t('knowledge.previous')}
                  </Link>
                )}
                <span>{t('knowledge.page', { n: num(page, 0) })}</span>
                {answer.data.hasMore && (
                  <Link to="/knowledge" search={(s: KnowledgeSearch) => ({ ...s, page: page + 1 })}>
                    {t('knowledge.next')}
                  </Link>
                )}
              </nav>
            </>
          )}
        </div>
      </div>
    </section>
  );
}
