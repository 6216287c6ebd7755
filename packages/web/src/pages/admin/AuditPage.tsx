import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiUrl, getJson } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Empty } from '../../components/States.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { localeTag } from '../../format/numbers.ts';
import { AdminShell, Loaded } from './AdminShell.tsx';
import type { AuditEntry } from './admin-api.ts';
import { Field } from './forms.tsx';
import { Pager } from './Pager.tsx';

const LIMIT = 50;
const ENTITY_TYPES = [
  'user',
  'role',
  'grant',
  'token',
  'place',
  'places',
  'indicator',
  'target',
  'import_batch',
  'observation',
  'catalogue',
];
const ACTIONS = [
  'create',
  'update',
  'delete',
  'import',
  'revoke',
  'disable',
  'enable',
  'reset-link',
  'password-change',
  'password-set',
  'update-rules',
  'update-metadata',
  'load',
  'restore',
];

interface Filters {
  entityType: string;
  entityId: string;
  actor: string;
  action: string;
  from: string;
  to: string;
}
const EMPTY: Filters = { entityType: '', entityId: '', actor: '', action: '', from: '', to: '' };

/** The audit log for administrators: filtered, paged, and downloaded as CSV with the same filters. */
export function AuditPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { num, lang, digits } = usePrefs();
  const id = useId();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [offset, setOffset] = useState(0);
  const log = useQuery({
    queryKey: ['admin', 'audit', applied, offset],
    enabled: !!me,
    placeholderData: keepPreviousData,
    queryFn: () => getJson<Page<AuditEntry>>('/audit', { ...applied, limit: LIMIT, offset }),
  });
  const when = (iso: string) =>
    new Intl.DateTimeFormat(localeTag(lang, digits), { dateStyle: 'medium', timeStyle: 'medium' }).format(
      new Date(iso),
    );
  const input = (k: keyof Filters, label: string, extra: Record<string, string> = {}) => (
    <Field id={`${id}-${k}`} label={label}>
      <input
        id={`${id}-${k}`}
        dir="ltr"
        autoComplete="off"
        value={draft[k]}
        onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
        type="text"
        {...extra}
      />
    </Field>
  );
  return (
    <AdminShell title={t('admin.audit.title')}>
      <p className="lead">{t('admin.audit.intro')}</p>
      <Loaded q={log}>
        {(page) => (
          <>
            <form
              className="filters"
              aria-label={t('admin.audit.filters')}
              onSubmit={(e) => {
                e.preventDefault();
                setApplied({ ...draft });
                setOffset(0);
              }}
            >
              {input('entityType', t('admin.audit.entityType'), { list: `${id}-types` })}
              <datalist id={`${id}-types`}>
                {ENTITY_TYPES.map((x) => (
                  <option key={x} value={x} />
                ))}
              </datalist>
              {input('entityId', t('admin.audit.entityId'))}
              {input('actor', t('admin.audit.actor'), { placeholder: 'user:name@example.org' })}
              {input('action', t('admin.audit.action'), { list: `${id}-actions` })}
              <datalist id={`${id}-actions`}>
                {ACTIONS.map((x) => (
                  <option key={x} value={x} />
                ))}
              </datalist>
              {input('from', t('admin.audit.from'), { type: 'date' })}
              {input('to', t('admin.audit.to'), { type: 'date' })}
              <div className="filter-buttons">
                <button type="submit">{t('admin.audit.apply')}</button>{' '}
                <button
                  type="button"
                  className="secondary"
                  onClick={() => {
                    setDraft(EMPTY);
                    setApplied(EMPTY);
                    setOffset(0);
                  }}
                >
                  {t('admin.audit.clear')}
                </button>
              </div>
            </form>
            <p className="row">
              <span aria-live="polite" className="small muted">
                {t('admin.audit.found', { n: num(page.total, 0) })}
              </span>
              <a href={apiUrl('/audit/export', { ...applied })} download className="button-link">
                {t('admin.audit.csv')}
              </a>
            </p>
            {page.items.length === 0 ? (
              <Empty>{t('admin.audit.none')}</Empty>
            ) : (
              <TableScroll>
                <table className="data audit-table">
                  <caption className="visually-hidden">{t('admin.audit.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('admin.audit.at')}</th>
                      <th scope="col">{t('admin.audit.actor')}</th>
                      <th scope="col">{t('admin.audit.action')}</th>
                      <th scope="col">{t('admin.audit.entity')}</th>
                      <th scope="col">{t('admin.audit.details')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((e) => (
                      <tr key={e.id}>
                        <td className="nowrap">{when(e.at)}</td>
                        <td>
                          <code dir="ltr">{e.actor_label}</code>
                          {e.ip && (
                            <div className="small muted">
                              <bdi dir="ltr">{e.ip}</bdi>
                            </div>
                          )}
                        </td>
                        <td>
                          <code>{e.action}</code>
                        </td>
                        <td>
                          <code>{e.entity_type}</code>
                          {e.entity_id && (
                            <>
                              {' '}
                              <code dir="auto">{e.entity_id}</code>
                            </>
                          )}
                          {e.batch_id !== null && e.entity_type !== 'import_batch' && (
                            <div className="small muted">{t('admin.audit.batch', { id: String(e.batch_id) })}</div>
                          )}
                        </td>
                        <td>
                          {e.summary && (
                            <div dir="auto" lang="en">
                              {e.summary}
                            </div>
                          )}
                          {(e.before != null || e.after != null) && (
                            <details>
                              <summary>{t('admin.audit.show')}</summary>
                              {e.before != null && (
                                <>
                                  <h3 className="small">{t('admin.audit.before')}</h3>
                                  <pre dir="ltr">{JSON.stringify(e.before, null, 2)}</pre>
                                </>
                              )}
                              {e.after != null && (
                                <>
                                  <h3 className="small">{t('admin.audit.after')}</h3>
                                  <pre dir="ltr">{JSON.stringify(e.after, null, 2)}</pre>
                                </>
                              )}
                            </details>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
            <Pager total={page.total} limit={LIMIT} offset={offset} onOffset={setOffset} />
          </>
        )}
      </Loaded>
    </AdminShell>
  );
}
