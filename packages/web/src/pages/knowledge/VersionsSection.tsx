import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import {
  type Comparison,
  type FieldChange,
  fieldLabel,
  type Item,
  statusLabel,
  type VersionRow,
} from './knowledge-api.ts';

/** The versions of an item (shown to those who may edit it) and the comparison of two of them. */
export function VersionsSection({ item }: { item: Item }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const id = useId();
  const versions = useQuery({
    queryKey: ['knowledge-versions', item.id, item.version],
    queryFn: () => getJson<{ versions: VersionRow[] }>(`/knowledge/items/${item.id}/versions`),
  });
  const rows = versions.data?.versions ?? [];
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [pair, setPair] = useState<{ from: number; to: number } | null>(null);
  const a = from ?? rows[1]?.version ?? null;
  const b = to ?? rows[0]?.version ?? null;
  const dateTime = (iso: string) =>
    new Intl.DateTimeFormat(document.documentElement.lang || 'en', { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(iso),
    );
  return (
    <section aria-labelledby={`${id}-title`} className="versions">
      <h2 id={`${id}-title`}>{t('knowledge.versions')}</h2>
      {versions.error ? (
        <ErrorMessage error={versions.error} />
      ) : !versions.data ? (
        <Loading />
      ) : (
        <>
          <TableScroll>
            <table className="data">
              <caption>{t('knowledge.versionsCaption', { n: num(rows.length, 0), count: rows.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('knowledge.version')}</th>
                  <th scope="col">{t('knowledge.savedAt')}</th>
                  <th scope="col">{t('knowledge.field.status')}</th>
                  <th scope="col">{t('knowledge.changed')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((v) => (
                  <tr key={v.version}>
                    <th scope="row">{num(v.version, 0)}</th>
                    <td>{dateTime(v.createdAt)}</td>
                    <td>{statusLabel(t, v.status)}</td>
                    <td>
                      {v.changed.length
                        ? [...new Set(v.changed.map((f) => fieldLabel(t, f)))].join(' · ')
                        : t('knowledge.firstVersion')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {rows.length > 1 && a !== null && b !== null && (
            <form
              className="compare-form"
              onSubmit={(e) => {
                e.preventDefault();
                setPair({ from: a, to: b });
              }}
            >
              <label>
                {t('knowledge.compareFrom')}{' '}
                <select value={a} onChange={(e) => setFrom(Number(e.target.value))}>
                  {rows.map((v) => (
                    <option key={v.version} value={v.version}>
                      {num(v.version, 0)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('knowledge.compareTo')}{' '}
                <select value={b} onChange={(e) => setTo(Number(e.target.value))}>
                  {rows.map((v) => (
                    <option key={v.version} value={v.version}>
                      {num(v.version, 0)}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit">{t('knowledge.compare')}</button>
            </form>
          )}
          {pair && <ComparisonView itemId={item.id} from={pair.from} to={pair.to} />}
        </>
      )}
    </section>
  );
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') return v;
  if (Array.isArray(v))
    return (
      v
        .map((x) =>
          typeof x === 'string' || typeof x === 'number'
            ? String(x)
            : x && typeof x === 'object' && 'fileName' in x
              ? String((x as { fileName: unknown }).fileName)
              : JSON.stringify(x),
        )
        .join(', ') || '—'
    );
  return JSON.stringify(v);
}

function ComparisonView({ itemId, from, to }: { itemId: number; from: number; to: number }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const META = new Set(['createdAt', 'version']);
  const cmp = useQuery({
    queryKey: ['knowledge-compare', itemId, from, to],
    queryFn: () => getJson<Comparison>(`/knowledge/items/${itemId}/compare`, { from, to }),
  });
  if (cmp.error) return <ErrorMessage error={cmp.error} />;
  if (!cmp.data) return <Loading />;
  return (
    <div className="comparison" aria-live="polite">
      <h3>{t('knowledge.comparing', { from: num(from, 0), to: num(to, 0) })}</h3>
      {cmp.data.changes.filter((c) => !META.has(c.field)).length === 0 ? (
        <p className="muted">{t('knowledge.noChanges')}</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('knowledge.fieldName')}</th>
              <th scope="col">{t('knowledge.versionN', { n: num(from, 0) })}</th>
              <th scope="col">{t('knowledge.versionN', { n: num(to, 0) })}</th>
            </tr>
          </thead>
          <tbody>
            {cmp.data.changes
              .filter((c) => !META.has(c.field))
              .map((c) => (
                <ChangeRow key={c.field} change={c} />
              ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * One changed field: before and after side by side; for texts the words deleted (left) and inserted (right), marked in
 * words too.
 */
function ChangeRow({ change }: { change: FieldChange }) {
  const { t } = useTranslation();
  if (change.words) {
    return (
      <tr>
        <th scope="row">{fieldLabel(t, change.field)}</th>
        <td dir="auto">
          {change.words
            .filter((w) => w.op !== 'insert')
            .map((w, i) =>
              w.op === 'delete' ? (
                <del key={i} title={t('knowledge.deleted')}>
                  {w.text}
                </del>
              ) : (
                <span key={i}>{w.text}</span>
              ),
            )}
        </td>
        <td dir="auto">
          {change.words
            .filter((w) => w.op !== 'delete')
            .map((w, i) =>
              w.op === 'insert' ? (
                <ins key={i} title={t('knowledge.inserted')}>
                  {w.text}
                </ins>
              ) : (
                <span key={i}>{w.text}</span>
              ),
            )}
        </td>
      </tr>
    );
  }
  return (
    <tr>
      <th scope="row">{fieldLabel(t, change.field)}</th>
      <td dir="auto">{show(change.before)}</td>
      <td dir="auto">{show(change.after)}</td>
    </tr>
  );
}
