import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { languageLabel, roleLabel } from '../admin/admin-api.ts';
import { Done, FormProblems, useFormProblems } from '../admin/forms.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { fileSize, type Item, kindLabel, statusLabel, typeLabel } from './knowledge-api.ts';
import { PilotSection } from './PilotSection.tsx';
import { RichText } from './RichText.tsx';
import { VersionsSection } from './VersionsSection.tsx';
import './knowledge.css';
import { TableScroll } from '../../components/TableScroll.tsx';

/**
 * One item of the repository: its texts (a switcher when there are several), tags, files, versions; for a tool, its
 * pilots.
 */
export function ItemPage() {
  const { t } = useTranslation();
  const { id } = useParams({ from: '/knowledge/$id' });
  const { lang } = usePrefs();
  const { me } = useSession();
  const valid = /^\d{1,9}$/.test(id);
  const item = useQuery({
    queryKey: ['knowledge-item', id, lang, me?.user.id ?? null],
    enabled: valid,
    queryFn: () => getJson<Item>(`/knowledge/items/${id}`, { lang }),
    retry: (n, e) => !(e instanceof ApiError && e.status === 404) && n < 2,
  });
  if (!valid || (item.error instanceof ApiError && item.error.status === 404))
    return <NotFoundPage what={t('knowledge.itemNamed', { id })} />;
  if (item.error) return <ErrorMessage error={item.error} />;
  if (!item.data) return <Loading />;
  return <ItemView item={item.data} />;
}

function ItemView({ item }: { item: Item }) {
  const { t } = useTranslation();
  const { lang, num, date } = usePrefs();
  const langs = Object.keys(item.texts);
  const [chosen, setChosen] = useState<string | null>(null);
  const shownLang = chosen && item.texts[chosen] ? chosen : (item.language ?? langs[0] ?? lang);
  const text = item.texts[shownLang];
  const list = (xs: string[]) => new Intl.ListFormat(lang, { type: 'conjunction' }).format(xs);
  return (
    <article className="knowledge item-page">
      <Breadcrumbs
        items={[
          { to: '/knowledge', label: t('knowledge.title') },
          {
            label: (
              <span dir="auto" lang={shownLang}>
                {text?.title ?? item.title}
              </span>
            ),
          },
        ]}
      />
      <p className="muted item-kind">
        <span className="tag">{typeLabel(t, item.type)}</span>
        {item.kind && <span className="tag">{kindLabel(t, item.kind)}</span>}
        {item.status === 'draft' && <span className="tag warn">{statusLabel(t, 'draft')}</span>}
      </p>
      <h1 dir="auto" lang={shownLang}>
        {text?.title ?? item.title}
      </h1>
      {item.canEdit && (
        <p>
          <Link to="/knowledge/$id/edit" params={{ id: String(item.id) }} className="button-link">
            {t('knowledge.edit')}
          </Link>
        </p>
      )}
      {langs.length > 1 && (
        <div className="lang-switch" role="group" aria-label={t('knowledge.textLanguage')}>
          <span>{t('knowledge.textLanguage')}:</span>
          {langs.map((l) => (
            <button
              key={l}
              type="button"
              className={l === shownLang ? '' : 'secondary'}
              aria-pressed={l === shownLang}
              lang={l}
              onClick={() => setChosen(l)}
            >
              {languageLabel(t, l)}
            </button>
          ))}
        </div>
      )}
      {text && (
        <>
          <p className="muted small">
            {t('knowledge.writtenIn', { language: languageLabel(t, shownLang) })}
            {text.translated && (
              <> · {t('knowledge.translation', { language: languageLabel(t, item.originalLanguage) })}</>
            )}
          </p>
          {text.summary && (
            <p className="item-summary" dir="auto" lang={shownLang}>
              {text.summary}
            </p>
          )}
          {text.body && <RichText html={text.body} lang={shownLang} />}
          {text.results && (
            <section aria-labelledby="item-results">
              <h2 id="item-results">{t('knowledge.field.results')}</h2>
              <RichText html={text.results} lang={shownLang} />
            </section>
          )}
        </>
      )}

      <h2>{t('knowledge.about')}</h2>
      <dl className="facts">
        {(item.dateStart || item.dateEnd) && (
          <>
            <dt>{t('knowledge.dates')}</dt>
            <dd>
              {item.dateStart ? date(item.dateStart) : ''}
              {item.dateEnd ? ` – ${date(item.dateEnd)}` : ''}
            </dd>
          </>
        )}
        {item.issuerName && (
          <>
            <dt>{t('knowledge.field.issuer')}</dt>
            <dd dir="auto">{item.issuerName}</dd>
          </>
        )}
        {item.reference && (
          <>
            <dt>{t('knowledge.field.reference')}</dt>
            <dd dir="auto">{item.reference}</dd>
          </>
        )}
        {item.sourceUrl && (
          <>
            <dt>{t('knowledge.field.sourceUrl')}</dt>
            <dd>
              <a href={item.sourceUrl} rel="nofollow noopener noreferrer" dir="ltr">
                {item.sourceUrl}
              </a>
            </dd>
          </>
        )}
        {item.places.length > 0 && (
          <>
            <dt>{t('knowledge.field.places')}</dt>
            <dd>
              <ul className="inline-list">
                {item.places.map((p) => (
                  <li key={p.code}>
                    <Link to="/places/$code" params={{ code: p.code }}>
                      <span dir="auto">{p.name ?? p.code}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {item.ownerPlace && (
          <>
            <dt>{t('knowledge.field.ownerPlace')}</dt>
            <dd>
              <Link to="/places/$code" params={{ code: item.ownerPlace.code }}>
                <span dir="auto">{item.ownerPlace.name ?? item.ownerPlace.code}</span>
              </Link>
            </dd>
          </>
        )}
        {item.sdgTargets.length > 0 && (
          <>
            <dt>{t('knowledge.field.sdgTargets')}</dt>
            <dd>
              <ul className="plain-list">
                {item.sdgTargets.map((s) => (
                  <li key={s.code}>
                    <Link to="/knowledge" search={{ sdg: s.code }}>
                      {s.code}
                    </Link>{' '}
                    <span dir="auto">{s.name}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {item.nuaParagraphs.length > 0 && (
          <>
            <dt>{t('knowledge.field.nuaParagraphs')}</dt>
            <dd>{list(item.nuaParagraphs.map((n) => num(n, 0)))}</dd>
          </>
        )}
        {item.guidelinePrinciples.length > 0 && (
          <>
            <dt>{t('knowledge.field.guidelinePrinciples')}</dt>
            <dd>
              <ul className="plain-list">
                {item.guidelinePrinciples.map((g) => (
                  <li key={g} dir="auto">
                    {g}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {item.frameworks.length > 0 && (
          <>
            <dt>{t('knowledge.field.frameworks')}</dt>
            <dd>
              <ul className="inline-list">
                {item.frameworks.map((f) => (
                  <li key={f.code}>
                    <Link to="/knowledge" search={{ framework: f.code }}>
                      <span dir="auto">{f.name ?? f.code}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {item.keywords.length > 0 && (
          <>
            <dt>{t('knowledge.field.keywords')}</dt>
            <dd>
              <ul className="inline-list">
                {item.keywords.map((k) => (
                  <li key={k}>
                    <span className="tag" dir="auto">
                      {k}
                    </span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {item.contacts.length > 0 && (
          <>
            <dt>{t('knowledge.field.contacts')}</dt>
            <dd>
              <ul className="plain-list">
                {item.contacts.map((c, i) => (
                  <li key={i}>
                    {t('knowledge.contactRole', { role: roleLabel(t, c.role), place: c.place.name ?? c.place.code })}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        <dt>{t('knowledge.languages')}</dt>
        <dd>{list(item.languages.map((l) => languageLabel(t, l)))}</dd>
        {item.publishedAt && (
          <>
            <dt>{t('knowledge.published')}</dt>
            <dd>{date(item.publishedAt.slice(0, 10))}</dd>
          </>
        )}
        <dt>{t('knowledge.updated')}</dt>
        <dd>{date(item.updatedAt.slice(0, 10))}</dd>
      </dl>

      <Attachments item={item} />
      {item.type === 'tool' && <PilotSection item={item} />}
      {item.workshops.length > 0 && (
        <section aria-labelledby="item-workshops">
          <h2 id="item-workshops">{t('knowledge.usedInWorkshops')}</h2>
          <ul>
            {item.workshops.map((w) => (
              <li key={w.id}>
                <Link to="/workshops/$id" params={{ id: String(w.id) }}>
                  <span dir="auto">{w.title}</span>
                </Link>{' '}
                <span className="muted">{date(w.startsOn)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {item.canEdit && <VersionsSection item={item} />}
    </article>
  );
}

function Attachments({ item }: { item: Item }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const { me } = useSession();
  const client = useQueryClient();
  const id = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const problems = useFormProblems(['fileName', 'body']);
  const upload = async (e: React.FormEvent) => {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) {
      problems.setLocal({ fileName: { text: t('knowledge.chooseFile') } });
      return;
    }
    setBusy(true);
    problems.clear();
    setAdded(null);
    const res = await fetch(
      `/api/v1/knowledge/items/${item.id}/attachments?fileName=${encodeURIComponent(file.name)}`,
      {
        method: 'POST',
        body: file,
        headers: {
          'Content-Type': 'application/octet-stream',
          Accept: 'application/json',
          ...(me?.csrfToken ? { 'X-CSRF-Token': me.csrfToken } : {}),
        },
      },
    );
    setBusy(false);
    if (!res.ok) {
      await problems.fromResponse(res);
      return;
    }
    setAdded(file.name);
    if (fileRef.current) fileRef.current.value = '';
    await client.invalidateQueries({ queryKey: ['knowledge-item', String(item.id)] });
    await client.invalidateQueries({ queryKey: ['knowledge-versions', item.id] });
  };
  const remove = async (attachment: number) => {
    const res = await fetch(`/api/v1/knowledge/attachments/${attachment}`, {
      method: 'DELETE',
      headers: { Accept: 'application/json', ...(me?.csrfToken ? { 'X-CSRF-Token': me.csrfToken } : {}) },
    });
    if (!res.ok) {
      await problems.fromResponse(res);
      return;
    }
    await client.invalidateQueries({ queryKey: ['knowledge-item', String(item.id)] });
    await client.invalidateQueries({ queryKey: ['knowledge-versions', item.id] });
  };
  if (!item.attachments.length && !item.canEdit) return null;
  return (
    <section aria-labelledby="item-files" className="admin">
      <h2 id="item-files">{t('knowledge.field.attachments')}</h2>
      {item.attachments.length === 0 ? (
        <p className="muted">{t('knowledge.noFiles')}</p>
      ) : (
        <TableScroll>
          <table className="data attachments">
            <thead>
              <tr>
                <th scope="col">{t('knowledge.file')}</th>
                <th scope="col">{t('knowledge.size')}</th>
                <th scope="col">{t('knowledge.checksum')}</th>
                {item.canEdit && (
                  <th scope="col">
                    <span className="visually-hidden">{t('knowledge.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {item.attachments.map((a) => (
                <tr key={a.id}>
                  <td>
                    <a href={a.url} download={a.fileName}>
                      <span dir="auto">{a.fileName}</span>
                    </a>{' '}
                    <span className="muted small">({a.mediaType})</span>
                  </td>
                  <td className="num">{fileSize(num, t, a.size)}</td>
                  <td>
                    <code className="checksum" dir="ltr" title={t('knowledge.sha256')}>
                      SHA-256 {a.sha256}
                    </code>
                  </td>
                  {item.canEdit && (
                    <td>
                      <button type="button" className="secondary small-button" onClick={() => void remove(a.id)}>
                        {t('knowledge.removeFile', { name: a.fileName })}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {item.canEdit && (
        <form ref={problems.formRef} className="form upload" onSubmit={(e) => void upload(e)}>
          <div className="field">
            <label htmlFor={`${id}-file`}>{t('knowledge.addFile')}</label>
            <p id={`${id}-file-hint`} className="hint">
              {t('knowledge.fileHint')}
            </p>
            <input
              id={`${id}-file`}
              ref={fileRef}
              type="file"
              {...((problems.fields.fileName ?? problems.fields.body) ? { 'aria-invalid': true } : {})}
              aria-describedby={[
                `${id}-file-hint`,
                (problems.fields.fileName ?? problems.fields.body) ? `${id}-file-error` : '',
              ]
                .filter(Boolean)
                .join(' ')}
            />
            {(problems.fields.fileName ?? problems.fields.body) && (
              <p id={`${id}-file-error`} className="field-error">
                <span aria-hidden="true">⚠ </span>
                <span lang={(problems.fields.fileName ?? problems.fields.body)!.lang} dir="auto">
                  {(problems.fields.fileName ?? problems.fields.body)!.text}
                </span>
              </p>
            )}
          </div>
          <FormProblems problems={problems.general} />
          <button type="submit" disabled={busy}>
            {t('knowledge.upload')}
          </button>
          {added && <Done>{t('knowledge.fileAdded', { name: added })}</Done>}
        </form>
      )}
    </section>
  );
}
