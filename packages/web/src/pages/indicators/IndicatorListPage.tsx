import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { FrameworkDetail, FrameworkItem, Names, Page } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';

interface IndicatorRow {
  code: string;
  name: string | null;
  names: Names;
  unit: string | null;
  status: string;
  local: boolean;
  reviewNeeded: boolean;
}

export function IndicatorListPage() {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const search = useSearch({ from: '/indicators' });
  const navigate = useNavigate({ from: '/indicators' });
  const framework = search.framework ?? 'sdg';
  const frameworks = useQuery({
    queryKey: ['frameworks', lang],
    queryFn: () => getJson<{ items: FrameworkItem[] }>('/frameworks', { lang }),
  });
  const detail = useQuery({
    queryKey: ['framework', framework, lang],
    queryFn: () => getJson<FrameworkDetail>(`/frameworks/${encodeURIComponent(framework)}`, { lang }),
  });
  const list = useQuery({
    queryKey: ['indicators', framework, lang],
    queryFn: () =>
      getJson<Page<IndicatorRow>>('/indicators', {
        framework,
        lang,
        limit: 1000,
        ...(framework === 'sdg' ? { goal: undefined } : {}),
      }),
  });
  const groups = detail.data?.groups ?? [];
  const groupOf = new Map(detail.data?.indicators.map((i) => [i.code, i.group]) ?? []);
  const rows = list.data?.items ?? [];
  // SDG: goals 11 and 16 first, the people of this observatory work on them.
  const sorted =
    framework === 'sdg'
      ? [...rows.filter((r) => /^(11|16)\./.test(r.code)), ...rows.filter((r) => !/^(11|16)\./.test(r.code))]
      : rows;
  const sections = groups.length
    ? [
        ...groups.map((g) => ({
          key: g.code,
          title: <UserText names={g.names} />,
          items: sorted.filter((r) => groupOf.get(r.code) === g.code),
        })),
        { key: '_other', title: <>{t('indicators.otherGroup')}</>, items: sorted.filter((r) => !groupOf.get(r.code)) },
      ]
    : [{ key: '_all', title: null, items: sorted }];
  return (
    <>
      <h1>{t('indicators.title')}</h1>
      <div className="row">
        <label>
          {t('indicators.framework')}{' '}
          <select value={framework} onChange={(e) => void navigate({ search: { framework: e.target.value } })}>
            {frameworks.data?.items.map((f) => (
              <option key={f.code} value={f.code}>
                {f.name ?? f.code}
              </option>
            ))}
          </select>
        </label>
      </div>
      {detail.error && <ErrorMessage error={detail.error} />}
      {detail.data?.description && (
        <p className="lead" dir="auto">
          {detail.data.description}
        </p>
      )}
      {detail.data?.draft && <p className="notice warn">{t('indicators.draftFramework')}</p>}
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorMessage error={list.error} />
      ) : (
        sections
          .filter((s) => s.items.length > 0)
          .map((s) => (
            <section key={s.key}>
              {s.title && <h2>{s.title}</h2>}
              <ul className="results">
                {s.items.map((i) => (
                  <li key={i.code}>
                    <Link to="/indicators/$code" params={{ code: i.code }}>
                      {i.code}
                    </Link>{' '}
                    <UserText names={i.names} />
                    {i.status !== 'active' && <span className="tag">{t(`indicatorStatus.${i.status}`)}</span>}
                    {i.local && <span className="tag">{t('indicators.local')}</span>}
                  </li>
                ))}
              </ul>
            </section>
          ))
      )}
    </>
  );
}
