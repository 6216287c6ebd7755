import type { SafetyMeasure, SafetyTheme } from '@marsad/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import {
  type FrameworkVersionView,
  type SafetyFrameworkIndicator,
  slotNumber,
  USM_SOURCE_INDICATORS,
} from './safety-types.ts';
import './safety.css';

/** Where an element's place in the structure comes from, as a badge. */
export function PlacementBadge({ placement }: { placement: 'source' | 'marsad' | 'administrator' }) {
  const { t } = useTranslation();
  const tone = placement === 'source' ? 'good' : placement === 'marsad' ? 'warn' : 'none';
  return <span className={`badge ${tone}`}>{t(`safetyMonitor.placement.${placement}`)}</span>;
}

/** An indicator's name, or "Empty slot N" for an empty slot. */
export function IndicatorName({ indicator }: { indicator: SafetyFrameworkIndicator }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  if (indicator.status === 'slot') return <>{t('safetyMonitor.slot', { n: num(slotNumber(indicator.code), 0) })}</>;
  return <UserText names={indicator.names} />;
}

function Measure({ m }: { m: SafetyMeasure }) {
  const { t } = useTranslation();
  return (
    <li>
      <strong>
        <UserText names={m.names} />
      </strong>{' '}
      <PlacementBadge placement={m.placement} />
      <ul>
        <li>
          {t('safetyMonitor.catalogueIndicators')}:{' '}
          {m.indicators.length === 0
            ? t('safetyMonitor.noCatalogueIndicator')
            : m.indicators.map((c, i) => (
                <span key={c}>
                  {i > 0 && ', '}
                  <Link to="/indicators/$code" params={{ code: c }}>
                    {c}
                  </Link>
                </span>
              ))}
        </li>
        <li>
          {t('safetyMonitor.dataSources')}: {m.sources.length === 0 && t('safetyMonitor.none')}
          {m.sources.map((d, i) => (
            <span key={d.code}>
              {i > 0 && '; '}
              <UserText names={d.names} /> <PlacementBadge placement={d.placement} />
            </span>
          ))}
        </li>
      </ul>
    </li>
  );
}

function Indicator({ indicator }: { indicator: SafetyFrameworkIndicator }) {
  const { t } = useTranslation();
  return (
    <section className="safety-indicator">
      <h3>
        <IndicatorName indicator={indicator} />
        <span
          className={`badge ${indicator.status === 'slot' ? 'none' : indicator.status === 'named' ? 'good' : 'fair'}`}
        >
          {t(`safetyMonitor.status.${indicator.status}`)}
        </span>
      </h3>
      {indicator.status === 'slot' ? (
        <p className="muted">{t('safetyMonitor.slotHelp')}</p>
      ) : indicator.measures.length === 0 ? (
        <p className="muted">{t('safetyMonitor.noMeasure')}</p>
      ) : (
        <ul className="safety-tree">
          {indicator.measures.map((m) => (
            <Measure key={m.code} m={m} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Theme({ theme }: { theme: SafetyTheme }) {
  const { t } = useTranslation();
  return (
    <section>
      <h2>
        <UserText names={theme.names} /> <PlacementBadge placement={theme.placement} />
      </h2>
      {theme.indicators.length === 0 ? (
        <p className="muted">{t('safetyMonitor.themeEmpty')}</p>
      ) : (
        theme.indicators.map((i) => <Indicator key={i.code} indicator={i} />)
      )}
    </section>
  );
}

/** `/safety/monitor`: UN-Habitat's Urban Safety Monitor as Marsad holds it, a version at a time, with its source. */
export function SafetyMonitorPage() {
  const { t } = useTranslation();
  const { num, date } = usePrefs();
  const { me } = useSession();
  const id = useId();
  const search = useSearch({ from: '/safety/monitor' });
  const navigate = useNavigate({ from: '/safety/monitor' });
  const versions = useQuery({
    queryKey: ['safety-monitor', 'versions'],
    queryFn: () =>
      getJson<{ items: { version: number; note: string; createdAt: string }[] }>('/safety-monitor/framework/versions'),
  });
  const q = useQuery({
    queryKey: ['safety-monitor', 'framework', search.version ?? 'latest'],
    queryFn: () =>
      getJson<FrameworkVersionView>(
        search.version ? `/safety-monitor/framework/versions/${search.version}` : '/safety-monitor/framework',
      ),
  });
  const admin = !!me?.roles.some((r) => r.role === 'administrator');
  if (q.error instanceof ApiError && q.error.status === 404) return <NotFoundPage />;
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorMessage error={q.error} />;
  const f = q.data;
  const s = f.structure;
  return (
    <article>
      <Breadcrumbs
        items={[{ to: '/safety', label: t('safetyMonitor.landing.title') }, { label: t('safetyMonitor.usm.title') }]}
      />
      <h1>
        <UserText names={s.names} />
      </h1>
      <p>
        <span className="badge fair">{t('safetyMonitor.usm.label')}</span>
      </p>
      <p className="safety-source">
        {t('safetyMonitor.source')}: <cite lang="en">{s.source.citation}</cite>
      </p>
      <p className="notice">
        <UserText names={s.source.note} />
      </p>
      {!s.themeSplitConfirmed && (
        <p className="notice warn">{t('safetyMonitor.splitNotConfirmed', { count: num(USM_SOURCE_INDICATORS, 0) })}</p>
      )}
      <p>
        {t('safetyMonitor.notTheMatrix')} <Link to="/safety">{t('safetyMonitor.sideBySide')}</Link>
      </p>
      <div className="safety-actions">
        <label htmlFor={`${id}-v`}>{t('safetyMonitor.version')}</label>
        <select
          id={`${id}-v`}
          value={String(f.version)}
          onChange={(e) => void navigate({ search: { version: Number(e.target.value) } })}
        >
          {(versions.data?.items ?? [{ version: f.version, note: '', createdAt: f.createdAt }]).map((v) => (
            <option key={v.version} value={v.version}>
              {t('safetyMonitor.versionOption', { n: num(v.version, 0), date: date(v.createdAt) })}
            </option>
          ))}
        </select>
        {admin && <Link to="/safety/monitor/edit">{t('safetyMonitor.edit.open')}</Link>}
      </div>
      {f.note && (
        <p className="muted">
          {t('safetyMonitor.versionNote')}: <span dir="auto">{f.note}</span>
        </p>
      )}
      <h2 className="visually-hidden">{t('safetyMonitor.legend')}</h2>
      <ul className="small">
        <li>
          <PlacementBadge placement="source" /> {t('safetyMonitor.placementHelp.source')}
        </li>
        <li>
          <PlacementBadge placement="marsad" /> {t('safetyMonitor.placementHelp.marsad')}
        </li>
        <li>
          <PlacementBadge placement="administrator" /> {t('safetyMonitor.placementHelp.administrator')}
        </li>
      </ul>
      {s.themes.map((th) => (
        <Theme key={th.code} theme={th} />
      ))}
      {s.unplaced.length > 0 && (
        <section>
          <h2>{t('safetyMonitor.unplaced')}</h2>
          <p className="muted">{t('safetyMonitor.unplacedHelp', { count: num(USM_SOURCE_INDICATORS, 0) })}</p>
          {s.unplaced.map((i) => (
            <Indicator key={i.code} indicator={i} />
          ))}
        </section>
      )}
    </article>
  );
}
