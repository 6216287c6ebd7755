import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Names, Page, PlaceDetail, PlaceItem } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';
import { AdminShell } from './AdminShell.tsx';
import { focalPlaces, isAdministrator, LANGS, LEVELS, type Level, languageLabel, type Shown } from './admin-api.ts';
import { Done, described, Field, FieldError, FormProblems, numberOf, useFormProblems } from './forms.tsx';
import { PlacePicker } from './PlacePicker.tsx';

interface TreePlace {
  code: string;
  level: string;
  names: Names;
}

const byName = (lang: string) => (a: TreePlace, b: TreePlace) =>
  (a.names[lang] ?? a.names.en ?? a.code).localeCompare(b.names[lang] ?? b.names.en ?? b.code, lang);

/**
 * Places: the tree country → region → city → district, a search, and for the chosen place
 * its names in the six languages and its coordinates, and a form to add a place under it.
 * Administrators see every country and add countries; focal points see their own places.
 */
export function PlacesAdminPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { lang } = usePrefs();
  const id = useId();
  const admin = isAdministrator(me?.roles);
  const focal = focalPlaces(me?.roles);
  const [selected, setSelected] = useState<string | null>(null);
  const [focusPanel, setFocusPanel] = useState(0);
  const select = (code: string) => {
    setSelected(code);
    setFocusPanel((n) => n + 1);
  };
  const countries = useQuery({
    queryKey: ['admin', 'place-children', null, lang],
    enabled: admin,
    queryFn: () => getJson<Page<PlaceItem>>('/places', { level: 'country', lang, limit: 1000 }),
  });
  const own = useQueries({
    queries: (admin ? [] : focal).map((code) => ({
      queryKey: ['admin', 'place', code, lang],
      queryFn: () => getJson<PlaceDetail>(`/places/${encodeURIComponent(code)}`, { lang }),
    })),
  });
  const roots: TreePlace[] | null = admin
    ? countries.data
      ? [...countries.data.items].sort(byName(lang))
      : null
    : own.every((q) => q.data)
      ? own.map((q) => q.data!).sort(byName(lang))
      : null;
  const rootError = admin ? countries.error : own.find((q) => q.error)?.error;
  return (
    <AdminShell title={t('admin.places.title')}>
      {!admin && focal.length === 0 ? (
        <div className="notice warn refused">
          <p>
            <strong>{t('admin.refused')}</strong>
          </p>
          <p>{t('admin.places.noRole')}</p>
        </div>
      ) : (
        <>
          <p className="lead">{admin ? t('admin.places.introAdmin') : t('admin.places.introFocal')}</p>
          <div className="split">
            <div>
              <PlacePicker
                id={`${id}-find`}
                label={t('admin.places.find')}
                value={null}
                onChange={(p) => {
                  if (p) select(p.code);
                }}
              />
              <h2 id={`${id}-tree`}>{admin ? t('admin.places.tree') : t('admin.places.yourPlaces')}</h2>
              {rootError ? (
                <ErrorMessage error={rootError} />
              ) : !roots ? (
                <Loading />
              ) : (
                <div className="tree-box">
                  <ul className="tree" aria-labelledby={`${id}-tree`}>
                    {roots.map((p) => (
                      <TreeNode key={p.code} place={p} selected={selected} onSelect={select} />
                    ))}
                  </ul>
                </div>
              )}
              {admin && (
                <details className="add-country">
                  <summary>{t('admin.places.addCountry')}</summary>
                  <AddPlaceForm parent={null} onAdded={select} />
                </details>
              )}
            </div>
            <div className="panel-column">
              {selected ? (
                <PlacePanel
                  key={selected}
                  code={selected}
                  focusSignal={focusPanel}
                  admin={admin}
                  focal={focal}
                  onSelect={select}
                />
              ) : (
                <p className="empty">{t('admin.places.choose')}</p>
              )}
            </div>
          </div>
        </>
      )}
    </AdminShell>
  );
}

/** One place of the tree; its children load when it is opened. */
function TreeNode({
  place,
  selected,
  onSelect,
}: {
  place: TreePlace;
  selected: string | null;
  onSelect(code: string): void;
}) {
  const { t } = useTranslation();
  const { lang, text } = usePrefs();
  const [open, setOpen] = useState(false);
  const children = useQuery({
    queryKey: ['admin', 'place-children', place.code, lang],
    enabled: open,
    queryFn: () => getJson<Page<PlaceItem>>('/places', { parent: place.code, lang, limit: 1000 }),
  });
  const name = text(place.names).text || place.code;
  return (
    <li>
      <div className="tree-row">
        {place.level !== 'district' ? (
          <button
            type="button"
            className="tree-toggle"
            aria-expanded={open}
            aria-label={t('admin.places.under', { name })}
            onClick={() => setOpen(!open)}
          >
            <span aria-hidden="true">{open ? '−' : '+'}</span>
          </button>
        ) : (
          <span className="tree-toggle-space" aria-hidden="true" />
        )}
        <button
          type="button"
          className="link-button"
          aria-current={selected === place.code ? 'true' : undefined}
          onClick={() => onSelect(place.code)}
        >
          <UserText names={place.names} fallbackText={place.code} />
        </button>
        <span className="muted small">
          {t(`level.${place.level}`)} · <code>{place.code}</code>
        </span>
      </div>
      {open &&
        (children.isPending ? (
          <p className="muted small tree-note">{t('common.loading')}</p>
        ) : children.error ? (
          <ErrorMessage error={children.error} />
        ) : children.data.items.length === 0 ? (
          <p className="muted small tree-note">{t('admin.places.noChildren')}</p>
        ) : (
          <ul>
            {[...children.data.items].sort(byName(lang)).map((c) => (
              <TreeNode key={c.code} place={c} selected={selected} onSelect={onSelect} />
            ))}
          </ul>
        ))}
    </li>
  );
}

/** The chosen place: where it is, its names and coordinates, the places that may be added under it. */
function PlacePanel({
  code,
  focusSignal,
  admin,
  focal,
  onSelect,
}: {
  code: string;
  focusSignal: number;
  admin: boolean;
  focal: string[];
  onSelect(code: string): void;
}) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const heading = useRef<HTMLHeadingElement>(null);
  const place = useQuery({
    queryKey: ['admin', 'place', code, lang],
    queryFn: () => getJson<PlaceDetail>(`/places/${encodeURIComponent(code)}`, { lang }),
  });
  // Focus moves when another place opens or the list asks for it, not on a refetch.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on purpose, see above
  useEffect(() => {
    if (place.data) heading.current?.focus();
  }, [focusSignal, place.data?.code]);
  if (place.isPending) return <Loading />;
  if (place.error) return <ErrorMessage error={place.error} />;
  const p = place.data;
  const ancestors = p.ancestors.map((a) => a.code);
  // The same checks as the API's: a focal point adds under its places and edits the places under them.
  const canEdit = admin || ancestors.some((c) => focal.includes(c));
  const canAdd = p.level !== 'district' && (admin || [...ancestors, p.code].some((c) => focal.includes(c)));
  return (
    <section className="card place-panel" aria-labelledby={`panel-${code}`}>
      <h2 id={`panel-${code}`} ref={heading} tabIndex={-1}>
        <UserText names={p.names} fallbackText={p.code} />
      </h2>
      <p className="small muted">
        {t(`level.${p.level}`)} · <code>{p.code}</code>
        {p.ancestors.length > 0 && (
          <>
            {' '}
            ·{' '}
            {p.ancestors.map((a, i) => (
              <span key={a.code}>
                {i > 0 && ' › '}
                <button type="button" className="link-button" onClick={() => onSelect(a.code)}>
                  <span dir="auto">{a.name ?? a.code}</span>
                </button>
              </span>
            ))}
          </>
        )}
        {' · '}
        <Link to="/places/$code" params={{ code: p.code }}>
          {t('admin.places.publicPage')}
        </Link>
      </p>
      {canEdit ? (
        <EditPlaceForm place={p} />
      ) : (
        <p className="notice">
          {p.level === 'country' ? t('admin.places.countryAdminOnly') : t('admin.places.cannotEdit')}
        </p>
      )}
      {canAdd && (
        <>
          <h3>
            {t('admin.places.addUnder')} <UserText names={p.names} fallbackText={p.code} />
          </h3>
          <AddPlaceForm parent={{ code: p.code, level: p.level as Level }} onAdded={onSelect} />
        </>
      )}
    </section>
  );
}

const NAME_FIELDS = [...LANGS, 'names', 'lat', 'lon', 'code', 'level'] as const;

function NameInputs({
  idBase,
  names,
  setNames,
  errors,
}: {
  idBase: string;
  names: Record<string, string>;
  setNames(n: Record<string, string>): void;
  errors: Record<string, Shown>;
}) {
  const { t } = useTranslation();
  return (
    <fieldset>
      <legend>{t('admin.places.names')}</legend>
      <p className="hint" id={`${idBase}-names-hint`}>
        {t('admin.places.namesHint')}
      </p>
      <FieldError id={`${idBase}-names`} error={errors.names} />
      <div className="form-grid">
        {LANGS.map((l) => (
          <Field key={l} id={`${idBase}-${l}`} label={languageLabel(t, l)} error={errors[l]}>
            <input
              id={`${idBase}-${l}`}
              type="text"
              lang={l}
              dir="auto"
              autoComplete="off"
              value={names[l] ?? ''}
              onChange={(e) => setNames({ ...names, [l]: e.target.value })}
              {...(errors[l] || errors.names ? { 'aria-invalid': true as const } : {})}
              aria-describedby={[
                `${idBase}-names-hint`,
                errors.names ? `${idBase}-names-error` : '',
                errors[l] ? `${idBase}-${l}-error` : '',
              ]
                .filter(Boolean)
                .join(' ')}
            />
          </Field>
        ))}
      </div>
    </fieldset>
  );
}

function CoordinateInputs({
  idBase,
  lat,
  lon,
  setLat,
  setLon,
  errors,
}: {
  idBase: string;
  lat: string;
  lon: string;
  setLat(v: string): void;
  setLon(v: string): void;
  errors: Record<string, Shown>;
}) {
  const { t } = useTranslation();
  return (
    <div className="form-grid">
      <Field id={`${idBase}-lat`} label={t('admin.places.lat')} error={errors.lat}>
        <input
          id={`${idBase}-lat`}
          type="text"
          inputMode="decimal"
          dir="ltr"
          autoComplete="off"
          value={lat}
          onChange={(e) => setLat(e.target.value)}
          {...described(`${idBase}-lat`, errors.lat)}
        />
      </Field>
      <Field id={`${idBase}-lon`} label={t('admin.places.lon')} error={errors.lon}>
        <input
          id={`${idBase}-lon`}
          type="text"
          inputMode="decimal"
          dir="ltr"
          autoComplete="off"
          value={lon}
          onChange={(e) => setLon(e.target.value)}
          {...described(`${idBase}-lon`, errors.lon)}
        />
      </Field>
    </div>
  );
}

/** Checks the coordinates typed; returns them, or the problems to show. */
function coordinates(
  t: (k: string) => string,
  lat: string,
  lon: string,
): { lat: number | null; lon: number | null; errors: Record<string, Shown> } {
  const errors: Record<string, Shown> = {};
  const la = numberOf(lat);
  const lo = numberOf(lon);
  if (Number.isNaN(la) || (la !== undefined && (la < -90 || la > 90)))
    errors.lat = { text: t('admin.places.latRange') };
  if (Number.isNaN(lo) || (lo !== undefined && (lo < -180 || lo > 180)))
    errors.lon = { text: t('admin.places.lonRange') };
  return { lat: la ?? null, lon: lo ?? null, errors };
}

function EditPlaceForm({ place }: { place: PlaceDetail }) {
  const { t } = useTranslation();
  const { send } = useSession();
  const client = useQueryClient();
  const id = useId();
  const [names, setNames] = useState<Record<string, string>>({ ...place.names });
  const [lat, setLat] = useState(place.lat === null ? '' : String(place.lat));
  const [lon, setLon] = useState(place.lon === null ? '' : String(place.lon));
  const [done, setDone] = useState(false);
  const problems = useFormProblems(NAME_FIELDS);
  return (
    <form
      ref={problems.formRef}
      className="form"
      noValidate
      aria-labelledby={`${id}-title`}
      onSubmit={async (e) => {
        e.preventDefault();
        problems.clear();
        setDone(false);
        const c = coordinates(t, lat, lon);
        if (Object.keys(c.errors).length) {
          problems.setLocal(c.errors);
          return;
        }
        const changed: Record<string, string> = {};
        for (const l of LANGS)
          if ((names[l] ?? '').trim() !== (place.names[l] ?? '')) changed[l] = (names[l] ?? '').trim();
        const res = await send(`/places/${encodeURIComponent(place.code)}`, 'PATCH', {
          names: changed,
          lat: c.lat,
          lon: c.lon,
        });
        if (!res.ok) {
          await problems.fromResponse(res);
          return;
        }
        setDone(true);
        await client.invalidateQueries({ queryKey: ['admin', 'place'] });
        await client.invalidateQueries({ queryKey: ['admin', 'place-children'] });
      }}
    >
      <h3 id={`${id}-title`}>{t('admin.places.edit')}</h3>
      <NameInputs idBase={id} names={names} setNames={setNames} errors={problems.fields} />
      <CoordinateInputs idBase={id} lat={lat} lon={lon} setLat={setLat} setLon={setLon} errors={problems.fields} />
      <FormProblems problems={problems.general} />
      <button type="submit">{t('admin.save')}</button>
      {done && <Done>{t('admin.saved')}</Done>}
    </form>
  );
}

const LEVEL_RANK: Record<Level, number> = { country: 0, region: 1, city: 2, district: 3 };

/** Adds one place under a parent (or a country, for administrators). */
function AddPlaceForm({
  parent,
  onAdded,
}: {
  parent: { code: string; level: Level } | null;
  onAdded(code: string): void;
}) {
  const { t } = useTranslation();
  const { send } = useSession();
  const client = useQueryClient();
  const id = useId();
  const levels = parent ? LEVELS.filter((l) => LEVEL_RANK[l] > LEVEL_RANK[parent.level]) : (['country'] as Level[]);
  const [code, setCode] = useState('');
  const [level, setLevel] = useState<Level>(levels[0]!);
  const [names, setNames] = useState<Record<string, string>>({});
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [added, setAdded] = useState<string | null>(null);
  const problems = useFormProblems(NAME_FIELDS);
  return (
    <form
      ref={problems.formRef}
      className="form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        problems.clear();
        setAdded(null);
        const local: Record<string, Shown> = {};
        if (!code.trim()) local.code = { text: t('apiError.required') };
        const given = Object.fromEntries(
          Object.entries(names)
            .map(([l, n]) => [l, n.trim()])
            .filter(([, n]) => n),
        );
        if (Object.keys(given).length === 0) local.names = { text: t('apiError.nameNeeded') };
        const c = coordinates(t, lat, lon);
        Object.assign(local, c.errors);
        if (Object.keys(local).length) {
          problems.setLocal(local);
          return;
        }
        const res = await send('/places', 'POST', {
          places: [{ code: code.trim(), parent: parent?.code ?? null, level, names: given, lat: c.lat, lon: c.lon }],
          // A new place: a code that exists is refused, never an update of that place.
          existing: 'refuse',
        });
        if (!res.ok) {
          await problems.fromResponse(res);
          return;
        }
        setAdded(code.trim());
        setCode('');
        setNames({});
        setLat('');
        setLon('');
        await client.invalidateQueries({ queryKey: ['admin', 'place-children', parent?.code ?? null] });
      }}
    >
      <div className="form-grid">
        <Field
          id={`${id}-code`}
          label={t('admin.places.code')}
          hint={t('admin.places.codeHint')}
          error={problems.fields.code}
        >
          <input
            id={`${id}-code`}
            type="text"
            dir="ltr"
            autoComplete="off"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            {...described(`${id}-code`, problems.fields.code, true)}
          />
        </Field>
        <Field id={`${id}-level`} label={t('admin.places.level')} error={problems.fields.level}>
          <select
            id={`${id}-level`}
            value={level}
            onChange={(e) => setLevel(e.target.value as Level)}
            disabled={levels.length === 1}
            {...described(`${id}-level`, problems.fields.level)}
          >
            {levels.map((l) => (
              <option key={l} value={l}>
                {t(`level.${l}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <NameInputs idBase={id} names={names} setNames={setNames} errors={problems.fields} />
      <CoordinateInputs idBase={id} lat={lat} lon={lon} setLat={setLat} setLon={setLon} errors={problems.fields} />
      <FormProblems problems={problems.general} />
      <button type="submit">{t('admin.places.add')}</button>
      {added && (
        <Done focus>
          {t('admin.places.added')} <code>{added}</code>{' '}
          <button type="button" className="link-button" onClick={() => onAdded(added)}>
            {t('admin.places.open')}
          </button>
        </Done>
      )}
    </form>
  );
}
