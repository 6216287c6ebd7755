import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Names, Page } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Empty, ErrorMessage, Loading } from '../../components/States.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { UserText } from '../../components/UserText.tsx';
import { AdminShell, Refused } from './AdminShell.tsx';
import { isAdministrator } from './admin-api.ts';
import { Field } from './forms.tsx';
import { Pager } from './Pager.tsx';

interface IndicatorRow {
  code: string;
  name: string | null;
  names: Names;
  status: string;
  unit: string | null;
  local: boolean;
}

const LIMIT = 50;

/**
 * Indicators, to choose one whose validation and suppression rules to set. The list itself is
 * public; the rules are for administrators (the API refuses others when they save).
 */
export function IndicatorsAdminPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { lang, num } = usePrefs();
  const id = useId();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    const h = setTimeout(() => {
      setQ(text.trim());
      setOffset(0);
    }, 250);
    return () => clearTimeout(h);
  }, [text]);
  const list = useQuery({
    queryKey: ['admin', 'indicators', q, status, offset, lang],
    enabled: !!me,
    placeholderData: keepPreviousData,
    queryFn: () => getJson<Page<IndicatorRow>>('/indicators', { q, status, lang, limit: LIMIT, offset }),
  });
  if (me && !isAdministrator(me.roles)) {
    return (
      <AdminShell title={t('admin.indicators.title')}>
        <Refused />
      </AdminShell>
    );
  }
  return (
    <AdminShell title={t('admin.indicators.title')}>
      <p className="lead">{t('admin.indicators.intro')}</p>
      <form
        className="filters"
        role="search"
        aria-label={t('admin.indicators.title')}
        onSubmit={(e) => e.preventDefault()}
      >
        <Field id={`${id}-q`} label={t('admin.indicators.search')}>
          <input id={`${id}-q`} type="search" dir="auto" value={text} onChange={(e) => setText(e.target.value)} />
        </Field>
        <Field id={`${id}-status`} label={t('table.status')}>
          <select
            id={`${id}-status`}
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">{t('admin.any')}</option>
            <option value="active">{t('indicatorStatus.active')}</option>
            <option value="draft">{t('indicatorStatus.draft')}</option>
            <option value="retired">{t('indicatorStatus.retired')}</option>
          </select>
        </Field>
      </form>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorMessage error={list.error} />
      ) : (
        <>
          <p aria-live="polite" className="small muted">
            {t('admin.indicators.found', { n: num(list.data.total, 0) })}
          </p>
          {list.data.items.length === 0 ? (
            <Empty>{t('admin.indicators.none')}</Empty>
          ) : (
            <TableScroll>
              <table className="data">
                <caption className="visually-hidden">{t('admin.indicators.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.indicators.code')}</th>
                    <th scope="col">{t('table.indicator')}</th>
                    <th scope="col">{t('table.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((i) => (
                    <tr key={i.code}>
                      <th scope="row">
                        <Link
                          to="/admin/indicators/$code"
                          params={{ code: i.code }}
                          aria-label={t('admin.indicators.rulesOf', { code: i.code })}
                        >
                          <code>{i.code}</code>
                        </Link>
                      </th>
                      <td>
                        <UserText names={i.names} fallbackText={i.name ?? ''} />
                      </td>
                      <td>{t(`indicatorStatus.${i.status}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          <Pager total={list.data.total} limit={LIMIT} offset={offset} onOffset={setOffset} />
        </>
      )}
    </AdminShell>
  );
}
