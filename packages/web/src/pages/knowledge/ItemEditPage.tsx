import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { isAdministrator, languageLabel, type Shown, splitMessage, translateProblem } from '../admin/admin-api.ts';
import { described, Field, FieldError, FormProblems, useFormProblems } from '../admin/forms.tsx';
import { type PickedPlace, PlacePicker } from '../admin/PlacePicker.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import {
  authorPlaces,
  ITEM_TYPES,
  type Item,
  type ItemType,
  kindLabel,
  mayAuthor,
  type Options,
  TEXT_LANGS,
  typeLabel,
} from './knowledge-api.ts';
import { paragraphsToHtml, RichTextEditor } from './RichTextEditor.tsx';
import './knowledge.css';

interface TextForm {
  title: string;
  summary: string;
  body: string;
  translated: boolean;
}
interface FormState {
  type: ItemType;
  kind: string;
  status: 'draft' | 'published';
  originalLanguage: string;
  texts: Record<string, TextForm>;
  ownerPlace: string;
  places: PickedPlace[];
  dateStart: string;
  dateEnd: string;
  reference: string;
  sourceUrl: string;
  sdgTargets: string;
  nuaParagraphs: string;
  guidelinePrinciples: string;
  frameworks: string[];
  keywords: string;
}

const FIELDS = [
  'type',
  'kind',
  'status',
  'originalLanguage',
  'ownerPlace',
  'places',
  'dateStart',
  'dateEnd',
  'reference',
  'sourceUrl',
  'sdgTargets',
  'nuaParagraphs',
  'guidelinePrinciples',
  'frameworks',
  'keywords',
  ...TEXT_LANGS.flatMap((l) => [`texts.${l}.title`, `texts.${l}.summary`, `texts.${l}.body`, `texts.${l}.translated`]),
];

/** "texts.ar.title" stays; "texts.ar" is its title; "places.2" → "places". */
function fieldOf(path: string | null): string | null {
  if (!path) return null;
  const m = /^texts\.(\w+)(?:\.(\w+))?/.exec(path);
  if (m) return `texts.${m[1]}.${m[2] ?? 'title'}`;
  return path.split('.')[0] ?? null;
}

/** The repository's messages the form meets, translated; others go to the admin pages' list, then stay in English. */
const KNOWN: [RegExp, (t: TFunction, m: RegExpExecArray) => string][] = [
  [/^give a title/, (t) => t('knowledge.err.title')],
  [/^give the text in the original language/, (t) => t('knowledge.err.originalText')],
  [/^the text in the original language is not a translation/, (t) => t('knowledge.err.originalTranslated')],
  [/^is before dateStart/, (t) => t('knowledge.err.dateOrder')],
  [/^no SDG target "([^"]+)"/, (t, m) => t('knowledge.err.sdg', { code: m[1]! })],
  [/^no framework "([^"]+)"/, (t, m) => t('knowledge.err.framework', { code: m[1]! })],
  [/^You may not edit item/, (t) => t('knowledge.err.forbidden')],
  [/^the item is at version (\d+) now/, (t) => t('knowledge.err.conflict')],
  [/^The item was changed by someone else/, (t) => t('knowledge.err.conflict')],
  [/^Invalid ISO date|a date as YYYY-MM-DD/, (t) => t('knowledge.err.date')],
  [/^an http\(s\) address/, (t) => t('knowledge.err.url')],
];
function translate(t: TFunction, text: string): Shown {
  for (const [re, f] of KNOWN) {
    const m = re.exec(text);
    if (m) return { text: f(t, m) };
  }
  return translateProblem(t, text);
}

const splitList = (s: string) =>
  s
    .split(/[,،;\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

function fromItem(item: Item): FormState {
  return {
    type: item.type,
    kind: item.kind ?? '',
    status: item.status,
    originalLanguage: item.originalLanguage,
    texts: Object.fromEntries(
      Object.entries(item.texts).map(([l, x]) => [
        l,
        { title: x.title, summary: x.summary, body: x.body, translated: x.translated },
      ]),
    ),
    ownerPlace: item.ownerPlace?.code ?? '',
    places: item.places.map((p) => ({
      code: p.code,
      level: p.level ?? '',
      names: p.name ? { [document.documentElement.lang || 'en']: p.name } : {},
    })),
    dateStart: item.dateStart ?? '',
    dateEnd: item.dateEnd ?? '',
    reference: item.reference ?? '',
    sourceUrl: item.sourceUrl ?? '',
    sdgTargets: item.sdgTargets.map((s) => s.code).join(', '),
    nuaParagraphs: item.nuaParagraphs.join(', '),
    guidelinePrinciples: item.guidelinePrinciples.join('\n'),
    frameworks: item.frameworks.map((f) => f.code),
    keywords: item.keywords.join(', '),
  };
}

export function ItemNewPage() {
  const { t } = useTranslation();
  const { me, loading } = useSession();
  const { lang } = usePrefs();
  if (loading) return <Loading />;
  if (!mayAuthor(me?.roles)) {
    return (
      <section className="knowledge">
        <h1>{t('knowledge.new')}</h1>
        <div className="notice warn">
          <p>{me ? t('knowledge.mayNotAdd') : t('knowledge.signInToAdd')}</p>
          {!me && (
            <p>
              <Link to="/sign-in">{t('account.signIn')}</Link>
            </p>
          )}
        </div>
      </section>
    );
  }
  const own = authorPlaces(me?.roles);
  const initial: FormState = {
    type: 'practice',
    kind: '',
    status: 'draft',
    originalLanguage: lang === 'en' ? 'en' : lang,
    texts: { [lang]: { title: '', summary: '', body: '', translated: false } },
    ownerPlace: own[0] ?? '',
    places: [],
    dateStart: '',
    dateEnd: '',
    reference: '',
    sourceUrl: '',
    sdgTargets: '',
    nuaParagraphs: '',
    guidelinePrinciples: '',
    frameworks: [],
    keywords: '',
  };
  return <ItemForm initial={initial} item={null} />;
}

export function ItemEditPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: '/knowledge/$id/edit' });
  const { me, loading } = useSession();
  const valid = /^\d{1,9}$/.test(id);
  const item = useQuery({
    queryKey: ['knowledge-item', id, 'edit', me?.user.id ?? null],
    enabled: valid && !loading,
    queryFn: () => getJson<Item>(`/knowledge/items/${id}`),
    retry: false,
  });
  if (!valid || (item.error instanceof ApiError && item.error.status === 404))
    return <NotFoundPage what={t('knowledge.itemNamed', { id })} />;
  if (item.error) return <ErrorMessage error={item.error} />;
  if (!item.data) return <Loading />;
  if (!item.data.canEdit) {
    return (
      <section className="knowledge">
        <h1>{t('knowledge.editTitle')}</h1>
        <div className="notice warn">
          <p>{me ? t('knowledge.err.forbidden') : t('knowledge.signInToAdd')}</p>
          <p>
            <Link to="/knowledge/$id" params={{ id }}>
              {t('knowledge.backToItem')}
            </Link>
          </p>
        </div>
      </section>
    );
  }
  return <ItemForm key={`${item.data.id}-${item.data.version}`} initial={fromItem(item.data)} item={item.data} />;
}

function ItemForm({ initial, item }: { initial: FormState; item: Item | null }) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const { me, send } = useSession();
  const navigate = useNavigate();
  const client = useQueryClient();
  const id = useId();
  const [f, setF] = useState<FormState>(initial);
  const [busy, setBusy] = useState(false);
  const [addLang, setAddLang] = useState('');
  const p = useFormProblems(FIELDS, fieldOf);
  const options = useQuery({
    queryKey: ['knowledge-options', lang],
    queryFn: () => getJson<Options>('/knowledge/options', { lang }),
    staleTime: 300_000,
  });
  const admin = isAdministrator(me?.roles);
  const own = authorPlaces(me?.roles);
  const placeNames = new Map((me?.roles ?? []).filter((r) => r.place).map((r) => [r.place!, r.placeName ?? r.place!]));
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setF((s) => ({ ...s, [k]: v }));
  const setText = (l: string, k: keyof TextForm, v: string | boolean) =>
    setF((s) => ({ ...s, texts: { ...s.texts, [l]: { ...s.texts[l]!, [k]: v } } }));
  const langs = Object.keys(f.texts);
  const kinds = options.data?.kinds[f.type] ?? [];

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    p.clear();
    const nua = splitList(f.nuaParagraphs).map((x) =>
      Number(x.replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))),
    );
    if (nua.some((n) => !Number.isInteger(n) || n < 1 || n > 175)) {
      p.setLocal({ nuaParagraphs: { text: t('knowledge.err.nua') } });
      return;
    }
    const texts = Object.fromEntries(
      langs.map((l) => {
        const x = f.texts[l]!;
        return [
          l,
          {
            title: x.title,
            summary: x.summary,
            body: paragraphsToHtml(x.body),
            results: item?.texts[l]?.results ?? '',
            translated: l === f.originalLanguage ? false : x.translated,
          },
        ];
      }),
    );
    const removed = item
      ? Object.fromEntries(
          Object.keys(item.texts)
            .filter((l) => !f.texts[l])
            .map((l) => [l, null]),
        )
      : {};
    const body = {
      kind: kinds.length ? f.kind || null : null,
      status: f.status,
      originalLanguage: f.originalLanguage,
      texts: { ...texts, ...removed },
      ownerPlace: f.ownerPlace || null,
      places: f.places.map((x) => x.code),
      dateStart: f.dateStart || null,
      dateEnd: f.dateEnd || null,
      reference: f.reference.trim() || null,
      sourceUrl: f.sourceUrl.trim() || null,
      sdgTargets: splitList(f.sdgTargets),
      nuaParagraphs: nua,
      guidelinePrinciples: f.guidelinePrinciples
        .split('\n')
        .map((x) => x.trim())
        .filter(Boolean),
      frameworks: f.frameworks,
      keywords: splitList(f.keywords),
    };
    setBusy(true);
    const res = item
      ? await send(`/knowledge/items/${item.id}`, 'PATCH', { ...body, expectedVersion: item.version })
      : await send('/knowledge/items', 'POST', { type: f.type, ...body });
    setBusy(false);
    if (!res.ok) {
      let message = `${res.status} ${res.statusText}`;
      try {
        message = ((await res.json()) as { message?: string }).message ?? message;
      } catch {
        /* not JSON */
      }
      const fields: Record<string, Shown> = {};
      const general: Shown[] = [];
      if (res.status === 401) general.push({ text: t('apiError.signIn') });
      else {
        for (const part of splitMessage(message)) {
          const shown = translate(t, part.text);
          const name = fieldOf(part.path);
          if (name && FIELDS.includes(name) && !fields[name]) fields[name] = shown;
          else general.push(shown);
        }
      }
      p.setLocal(fields, general);
      return;
    }
    const answer = (await res.json()) as Item | { item: Item };
    const saved = 'item' in answer ? answer.item : answer;
    await client.invalidateQueries({ queryKey: ['knowledge-item'] });
    await client.invalidateQueries({ queryKey: ['knowledge-search'] });
    void navigate({ to: '/knowledge/$id', params: { id: String(saved.id) } });
  };

  const title = item ? t('knowledge.editTitle') : t('knowledge.new');
  return (
    <section className="knowledge admin">
      <Breadcrumbs
        items={[
          { to: '/knowledge', label: t('knowledge.title') },
          ...(item
            ? [{ to: '/knowledge/$id', params: { id: String(item.id) }, label: <span dir="auto">{item.title}</span> }]
            : []),
          { label: title },
        ]}
      />
      <h1>{title}</h1>
      <p className="lead">{t('knowledge.formIntro')}</p>
      {options.error && <ErrorMessage error={options.error} />}
      <form ref={p.formRef} className="form item-form" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset>
          <legend>{t('knowledge.form.what')}</legend>
          <div className="form-grid">
            <Field id={`${id}-type`} label={t('knowledge.field.type')} error={p.fields.type}>
              <select
                id={`${id}-type`}
                value={f.type}
                disabled={!!item}
                onChange={(e) => setF((s) => ({ ...s, type: e.target.value as ItemType, kind: '' }))}
                {...described(`${id}-type`, p.fields.type)}
              >
                {ITEM_TYPES.map((x) => (
                  <option key={x} value={x}>
                    {typeLabel(t, x)}
                  </option>
                ))}
              </select>
            </Field>
            {kinds.length > 0 && (
              <Field id={`${id}-kind`} label={t('knowledge.field.kind')} error={p.fields.kind}>
                <select
                  id={`${id}-kind`}
                  value={f.kind}
                  onChange={(e) => set('kind', e.target.value)}
                  {...described(`${id}-kind`, p.fields.kind)}
                >
                  <option value="">{t('knowledge.form.noKind')}</option>
                  {kinds.map((k) => (
                    <option key={k} value={k}>
                      {kindLabel(t, k)}
                    </option>
                  ))}
                </select>
              </Field>
            )}
            <Field
              id={`${id}-status`}
              label={t('knowledge.field.status')}
              error={p.fields.status}
              hint={t('knowledge.form.statusHint')}
            >
              <select
                id={`${id}-status`}
                value={f.status}
                onChange={(e) => set('status', e.target.value === 'published' ? 'published' : 'draft')}
                {...described(`${id}-status`, p.fields.status, true)}
              >
                <option value="draft">{t('knowledge.status.draft')}</option>
                <option value="published">{t('knowledge.status.published')}</option>
              </select>
            </Field>
            <Field id={`${id}-orig`} label={t('knowledge.field.originalLanguage')} error={p.fields.originalLanguage}>
              <select
                id={`${id}-orig`}
                value={f.originalLanguage}
                onChange={(e) => set('originalLanguage', e.target.value)}
                {...described(`${id}-orig`, p.fields.originalLanguage)}
              >
                {langs.map((l) => (
                  <option key={l} value={l}>
                    {languageLabel(t, l)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        </fieldset>

        {langs.map((l) => {
          const x = f.texts[l]!;
          const k = (name: string) => `texts.${l}.${name}`;
          return (
            <fieldset key={l} lang={l === lang ? undefined : l} className="text-fieldset">
              <legend>{t('knowledge.form.textIn', { language: languageLabel(t, l) })}</legend>
              <Field id={`${id}-${l}-title`} label={t('knowledge.field.title')} error={p.fields[k('title')]}>
                <input
                  id={`${id}-${l}-title`}
                  type="text"
                  dir="auto"
                  lang={l}
                  value={x.title}
                  onChange={(e) => setText(l, 'title', e.target.value)}
                  required
                  {...described(`${id}-${l}-title`, p.fields[k('title')])}
                />
              </Field>
              <Field id={`${id}-${l}-summary`} label={t('knowledge.field.summary')} error={p.fields[k('summary')]}>
                <textarea
                  id={`${id}-${l}-summary`}
                  dir="auto"
                  lang={l}
                  rows={3}
                  value={x.summary}
                  onChange={(e) => setText(l, 'summary', e.target.value)}
                  {...described(`${id}-${l}-summary`, p.fields[k('summary')])}
                />
              </Field>
              <div className="field">
                <label htmlFor={`${id}-${l}-body`}>{t('knowledge.field.body')}</label>
                <p id={`${id}-${l}-body-hint`} className="hint">
                  {t('knowledge.form.bodyHint')}
                </p>
                <RichTextEditor
                  id={`${id}-${l}-body`}
                  value={x.body}
                  onChange={(v) => setText(l, 'body', v)}
                  lang={l}
                  describedBy={[`${id}-${l}-body-hint`, p.fields[k('body')] ? `${id}-${l}-body-error` : '']
                    .filter(Boolean)
                    .join(' ')}
                  invalid={!!p.fields[k('body')]}
                />
                <FieldError id={`${id}-${l}-body`} error={p.fields[k('body')]} />
              </div>
              {l !== f.originalLanguage && (
                <label className="check-line">
                  <input
                    type="checkbox"
                    checked={x.translated}
                    onChange={(e) => setText(l, 'translated', e.target.checked)}
                  />{' '}
                  {t('knowledge.form.isTranslation')}
                </label>
              )}
              {langs.length > 1 && l !== f.originalLanguage && (
                <button
                  type="button"
                  className="secondary small-button"
                  onClick={() =>
                    setF((s) => {
                      const texts = { ...s.texts };
                      delete texts[l];
                      return { ...s, texts };
                    })
                  }
                >
                  {t('knowledge.form.removeLanguage', { language: languageLabel(t, l) })}
                </button>
              )}
            </fieldset>
          );
        })}
        {langs.length < TEXT_LANGS.length && (
          <div className="inline-field">
            <label htmlFor={`${id}-addlang`}>{t('knowledge.form.addLanguage')}</label>
            <select id={`${id}-addlang`} value={addLang} onChange={(e) => setAddLang(e.target.value)}>
              <option value="">—</option>
              {TEXT_LANGS.filter((l) => !f.texts[l]).map((l) => (
                <option key={l} value={l}>
                  {languageLabel(t, l)}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="secondary"
              disabled={!addLang}
              onClick={() => {
                if (addLang) {
                  setF((s) => ({
                    ...s,
                    texts: { ...s.texts, [addLang]: { title: '', summary: '', body: '', translated: true } },
                  }));
                  setAddLang('');
                }
              }}
            >
              {t('knowledge.form.add')}
            </button>
          </div>
        )}

        <fieldset>
          <legend>{t('knowledge.form.whereWhen')}</legend>
          <div className="form-grid">
            {(own.length > 0 || admin) && (
              <Field
                id={`${id}-owner`}
                label={t('knowledge.field.ownerPlace')}
                error={p.fields.ownerPlace}
                hint={t('knowledge.form.ownerHint')}
              >
                <select
                  id={`${id}-owner`}
                  value={f.ownerPlace}
                  onChange={(e) => set('ownerPlace', e.target.value)}
                  {...described(`${id}-owner`, p.fields.ownerPlace, true)}
                >
                  {admin && <option value="">{t('knowledge.form.noOwner')}</option>}
                  {[...new Set([...own, ...(f.ownerPlace ? [f.ownerPlace] : [])])].map((c) => (
                    <option key={c} value={c}>
                      {placeNames.get(c) ?? (item?.ownerPlace?.code === c ? (item.ownerPlace.name ?? c) : c)}
                    </option>
                  ))}
                </select>
              </Field>
            )}
            <Field id={`${id}-start`} label={t('knowledge.field.dateStart')} error={p.fields.dateStart}>
              <input
                id={`${id}-start`}
                type="date"
                value={f.dateStart}
                onChange={(e) => set('dateStart', e.target.value)}
                {...described(`${id}-start`, p.fields.dateStart)}
              />
            </Field>
            <Field id={`${id}-end`} label={t('knowledge.field.dateEnd')} error={p.fields.dateEnd}>
              <input
                id={`${id}-end`}
                type="date"
                value={f.dateEnd}
                onChange={(e) => set('dateEnd', e.target.value)}
                {...described(`${id}-end`, p.fields.dateEnd)}
              />
            </Field>
          </div>
          <div className="field">
            <span className="label" id={`${id}-places-label`}>
              {t('knowledge.field.places')}
            </span>
            {f.places.length > 0 && (
              <ul className="picked-places" aria-labelledby={`${id}-places-label`}>
                {f.places.map((x) => (
                  <li key={x.code}>
                    <span dir="auto">{x.names[lang] ?? x.names.en ?? Object.values(x.names)[0] ?? x.code}</span>{' '}
                    <button
                      type="button"
                      className="link-button"
                      onClick={() =>
                        set(
                          'places',
                          f.places.filter((y) => y.code !== x.code),
                        )
                      }
                    >
                      {t('knowledge.form.removePlace', { place: x.names[lang] ?? x.code })}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <PlacePicker
              id={`${id}-places`}
              label={t('knowledge.form.addPlace')}
              value={null}
              error={p.fields.places}
              onChange={(x) => {
                if (x && !f.places.some((y) => y.code === x.code)) set('places', [...f.places, x]);
              }}
            />
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('knowledge.form.tags')}</legend>
          <div className="form-grid">
            <Field
              id={`${id}-sdg`}
              label={t('knowledge.field.sdgTargets')}
              hint={t('knowledge.form.sdgHint')}
              error={p.fields.sdgTargets}
            >
              <input
                id={`${id}-sdg`}
                type="text"
                dir="ltr"
                value={f.sdgTargets}
                onChange={(e) => set('sdgTargets', e.target.value)}
                {...described(`${id}-sdg`, p.fields.sdgTargets, true)}
              />
            </Field>
            <Field
              id={`${id}-nua`}
              label={t('knowledge.field.nuaParagraphs')}
              hint={t('knowledge.form.nuaHint')}
              error={p.fields.nuaParagraphs}
            >
              <input
                id={`${id}-nua`}
                type="text"
                dir="ltr"
                value={f.nuaParagraphs}
                onChange={(e) => set('nuaParagraphs', e.target.value)}
                {...described(`${id}-nua`, p.fields.nuaParagraphs, true)}
              />
            </Field>
            <Field
              id={`${id}-kw`}
              label={t('knowledge.field.keywords')}
              hint={t('knowledge.form.listHint')}
              error={p.fields.keywords}
            >
              <input
                id={`${id}-kw`}
                type="text"
                dir="auto"
                value={f.keywords}
                onChange={(e) => set('keywords', e.target.value)}
                {...described(`${id}-kw`, p.fields.keywords, true)}
              />
            </Field>
            <Field id={`${id}-ref`} label={t('knowledge.field.reference')} error={p.fields.reference}>
              <input
                id={`${id}-ref`}
                type="text"
                dir="auto"
                value={f.reference}
                onChange={(e) => set('reference', e.target.value)}
                {...described(`${id}-ref`, p.fields.reference)}
              />
            </Field>
            <Field id={`${id}-url`} label={t('knowledge.field.sourceUrl')} error={p.fields.sourceUrl}>
              <input
                id={`${id}-url`}
                type="url"
                dir="ltr"
                value={f.sourceUrl}
                onChange={(e) => set('sourceUrl', e.target.value)}
                {...described(`${id}-url`, p.fields.sourceUrl)}
              />
            </Field>
          </div>
          <Field
            id={`${id}-gp`}
            label={t('knowledge.field.guidelinePrinciples')}
            hint={t('knowledge.form.linesHint')}
            error={p.fields.guidelinePrinciples}
          >
            <textarea
              id={`${id}-gp`}
              dir="auto"
              rows={3}
              value={f.guidelinePrinciples}
              onChange={(e) => set('guidelinePrinciples', e.target.value)}
              {...described(`${id}-gp`, p.fields.guidelinePrinciples, true)}
            />
          </Field>
          {options.data && (
            <fieldset
              className="checks-fieldset"
              {...(p.fields.frameworks ? { 'aria-describedby': `${id}-fw-error` } : {})}
            >
              <legend>{t('knowledge.field.frameworks')}</legend>
              <div className="checks">
                {options.data.frameworks.map((fw) => (
                  <label key={fw.code}>
                    <input
                      type="checkbox"
                      checked={f.frameworks.includes(fw.code)}
                      onChange={(e) =>
                        set(
                          'frameworks',
                          e.target.checked ? [...f.frameworks, fw.code] : f.frameworks.filter((x) => x !== fw.code),
                        )
                      }
                    />{' '}
                    <span dir="auto">{fw.name ?? fw.code}</span>
                  </label>
                ))}
              </div>
              <FieldError id={`${id}-fw`} error={p.fields.frameworks} />
            </fieldset>
          )}
        </fieldset>
        <FormProblems problems={p.general} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {item ? t('knowledge.form.save') : t('knowledge.form.create')}
          </button>
          {item ? (
            <Link to="/knowledge/$id" params={{ id: String(item.id) }}>
              {t('admin.cancel')}
            </Link>
          ) : (
            <Link to="/knowledge">{t('admin.cancel')}</Link>
          )}
        </div>
        {!item && <p className="muted small">{t('knowledge.form.filesAfter')}</p>}
      </form>
    </section>
  );
}
