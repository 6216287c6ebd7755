import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { UserText } from '../../components/UserText.tsx';
import type { SearchPlace, Shown } from './admin-api.ts';
import { described, FieldError } from './forms.tsx';

export interface PickedPlace {
  code: string;
  level: string;
  names: SearchPlace['names'];
}

/**
 * Chooses a place by searching its name (any language, Arabic spellings folded) or code.
 * The results are a list of buttons after the box: arrow down from the box reaches them,
 * arrows move between them, Escape returns to the box. `levels` keeps the places of those
 * levels only (e.g. a country for a national focal point).
 */
export function PlacePicker({
  id,
  label,
  value,
  onChange,
  levels,
  error,
  required,
}: {
  id: string;
  label: string;
  value: PickedPlace | null;
  onChange(p: PickedPlace | null): void;
  levels?: readonly string[];
  error?: Shown;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const { lang, num } = usePrefs();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const changeRef = useRef<HTMLButtonElement>(null);
  const [justPicked, setJustPicked] = useState(false);
  useEffect(() => {
    const h = setTimeout(() => setQuery(text.trim()), 200);
    return () => clearTimeout(h);
  }, [text]);
  useEffect(() => {
    if (justPicked) {
      changeRef.current?.focus();
      setJustPicked(false);
    }
  }, [justPicked]);
  const results = useQuery({
    queryKey: ['search', query, lang, 20],
    enabled: query.length > 0 && !value,
    queryFn: () => getJson<{ places: SearchPlace[] }>('/search', { q: query, lang, limit: 20 }),
    staleTime: 30_000,
  });
  const places = (results.data?.places ?? []).filter((p) => !levels || levels.includes(p.level));
  const buttons = () => [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
  const onListKey = (e: KeyboardEvent) => {
    const all = buttons();
    const i = all.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      all[Math.min(i + 1, all.length - 1)]?.focus();
    }
    if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (i <= 0) inputRef.current?.focus();
      else all[i - 1]?.focus();
    }
    if (e.key === 'Home') {
      e.preventDefault();
      all[0]?.focus();
    }
    if (e.key === 'End') {
      e.preventDefault();
      all[all.length - 1]?.focus();
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      inputRef.current?.focus();
    }
  };

  if (value) {
    return (
      <div className="field place-picker">
        <span className="label" id={`${id}-label`}>
          {label}
        </span>
        <p className="picked" id={id}>
          <strong>
            <UserText names={value.names} fallbackText={value.code} />
          </strong>{' '}
          <span className="muted small">
            {t(`level.${value.level}`)} · <code>{value.code}</code>
          </span>{' '}
          <button
            ref={changeRef}
            type="button"
            className="secondary small-button"
            aria-describedby={`${id}-label`}
            onClick={() => {
              onChange(null);
              setTimeout(() => inputRef.current?.focus(), 0);
            }}
          >
            {t('admin.picker.change')}
          </button>
        </p>
        <FieldError id={id} error={error} />
      </div>
    );
  }
  return (
    <div className="field place-picker">
      <label htmlFor={id}>{label}</label>
      <p id={`${id}-hint`} className="hint">
        {t('admin.picker.hint')}
      </p>
      <input
        ref={inputRef}
        id={id}
        type="search"
        dir="auto"
        autoComplete="off"
        value={text}
        required={required}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            buttons()[0]?.focus();
          }
          if (e.key === 'Enter') {
            e.preventDefault();
            setQuery(text.trim());
          }
        }}
        {...described(id, error, true)}
      />
      <FieldError id={id} error={error} />
      <div aria-live="polite" className="picker-results">
        {query && results.isFetching && !results.data && <p className="muted small">{t('common.loading')}</p>}
        {query &&
          results.data &&
          (places.length === 0 ? (
            <p className="muted small">{t('admin.picker.none', { query })}</p>
          ) : (
            <>
              <p className="visually-hidden">{t('admin.picker.count', { n: num(places.length, 0) })}</p>
              <ul ref={listRef} className="picker-list" aria-label={t('admin.picker.results')} onKeyDown={onListKey}>
                {places.map((p) => (
                  <li key={p.code}>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => {
                        onChange({ code: p.code, level: p.level, names: p.names });
                        setText('');
                        setQuery('');
                        setJustPicked(true);
                      }}
                    >
                      <UserText names={p.names} fallbackText={p.code} />
                      <span className="muted small">
                        {' '}
                        · {t(`level.${p.level}`)}
                        {p.parent ? (
                          <>
                            {' '}
                            · <span dir="auto">{p.parent.name ?? p.parent.code}</span>
                          </>
                        ) : null}{' '}
                        · <code>{p.code}</code>
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          ))}
      </div>
    </div>
  );
}
