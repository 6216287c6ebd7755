import type { SafetyDataSource, SafetyMeasure, SafetyTexts } from '@marsad/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { LangFields, type LangValues, sixOf } from '../../components/LangFields.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';
import { IndicatorName, PlacementBadge } from './SafetyMonitorPage.tsx';
import {
  type FrameworkVersionView,
  indicatorsOf,
  type SafetyFrameworkIndicator,
  type SafetyFrameworkStructure,
} from './safety-types.ts';
import './safety.css';

/** Texts of a form (six fields, some empty) as stored: the filled languages only. */
function textsOf(v: LangValues): SafetyTexts {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (x.trim()) out[k] = x.trim();
  return out as SafetyTexts;
}

let made = 0;
/** A new code that no other measure or source uses. */
const newCode = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(made++).toString(36)}`;

/** Moves an indicator under a theme (or out of every theme) and applies `change` to it. */
function withIndicator(
  s: SafetyFrameworkStructure,
  code: string,
  change: (i: SafetyFrameworkIndicator) => SafetyFrameworkIndicator,
  moveTo?: string | null,
): SafetyFrameworkStructure {
  const next = structuredClone(s);
  const found = indicatorsOf(next).find((x) => x.indicator.code === code);
  if (!found) return s;
  const changed = change(found.indicator);
  const target = moveTo === undefined ? found.theme : moveTo;
  const remove = (list: SafetyFrameworkIndicator[]) => list.filter((i) => i.code !== code);
  next.themes = next.themes.map((t) => ({ ...t, indicators: remove(t.indicators) }));
  next.unplaced = remove(next.unplaced);
  const place = (list: SafetyFrameworkIndicator[]) => {
    const at =
      target === found.theme
        ? indicatorsOf(s)
            .filter((x) => x.theme === target)
            .findIndex((x) => x.indicator.code === code)
        : -1;
    const copy = [...list];
    copy.splice(at < 0 ? copy.length : at, 0, changed);
    return copy;
  };
  if (target === null) next.unplaced = place(next.unplaced);
  else next.themes = next.themes.map((t) => (t.code === target ? { ...t, indicators: place(t.indicators) } : t));
  return next;
}

/** Slots an administrator named become added indicators; an added one emptied again becomes a slot. */
function settled(s: SafetyFrameworkStructure): SafetyFrameworkStructure {
  const fix = (i: SafetyFrameworkIndicator): SafetyFrameworkIndicator => {
    const named = Object.values(i.names).some((x) => !!x);
    if (i.status === 'slot' && (named || i.measures.length))
      return { ...i, status: 'added', placement: 'administrator' };
    if (i.status === 'added' && !named && !i.measures.length) return { ...i, status: 'slot', placement: 'marsad' };
    return i;
  };
  return {
    ...s,
    themes: s.themes.map((t) => ({ ...t, indicators: t.indicators.map(fix) })),
    unplaced: s.unplaced.map(fix),
  };
}

/** `/safety/monitor/edit`: administrators fill the empty slots, move indicators under themes, add measures and sources; saving makes a new version. */
export function SafetyMonitorEditPage() {
  const { t } = useTranslation();
  const { me, send, loading } = useSession();
  const q = useQuery({
    queryKey: ['safety-monitor', 'framework', 'latest'],
    queryFn: () => getJson<FrameworkVersionView>('/safety-monitor/framework'),
  });
  const admin = !!me?.roles.some((r) => r.role === 'administrator');
  if (loading) return <Loading />;
  if (!me || !admin)
    return (
      <article>
        <h1>{t('safetyMonitor.edit.title')}</h1>
        <p className="notice">{t(me ? 'safetyMonitor.edit.adminsOnly' : 'safetyMonitor.edit.signIn')}</p>
      </article>
    );
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorMessage error={q.error} />;
  return <Editor base={q.data} send={send} />;
}

function Editor({
  base,
  send,
}: {
  base: FrameworkVersionView;
  send: (path: string, method: 'PUT', body: unknown) => Promise<Response>;
}) {
  const { t } = useTranslation();
  const { text } = usePrefs();
  const id = useId();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [s, setS] = useState<SafetyFrameworkStructure>(base.structure);
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<{ code: string; lines: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [codesText, setCodesText] = useState<Record<string, string>>({});

  const update = (
    code: string,
    change: (i: SafetyFrameworkIndicator) => SafetyFrameworkIndicator,
    moveTo?: string | null,
  ) => setS((cur) => withIndicator(cur, code, change, moveTo));
  const updateMeasure = (code: string, mcode: string, change: (m: SafetyMeasure) => SafetyMeasure) =>
    update(code, (i) => ({ ...i, measures: i.measures.map((m) => (m.code === mcode ? change(m) : m)) }));

  const save = async () => {
    setBusy(true);
    setProblems(null);
    try {
      const res = await send('/safety-monitor/framework', 'PUT', {
        basedOn: base.version,
        note,
        structure: settled(s),
      });
      if (res.ok) {
        const v = (await res.json()) as FrameworkVersionView;
        await client.invalidateQueries({ queryKey: ['safety-monitor'] });
        await navigate({ to: '/safety/monitor', search: { version: v.version } });
        return;
      }
      const body = (await res.json().catch(() => ({}))) as {
        error?: string;
        message?: string;
        details?: { problems?: { path: string; message: string }[] };
      };
      setProblems({
        code: body.error ?? 'error',
        lines: body.details?.problems?.map((p) => `${p.path}: ${p.message}`) ?? [body.message ?? res.statusText],
      });
    } finally {
      setBusy(false);
    }
  };

  const themeOptions = [
    ...s.themes.map((th) => ({ value: th.code, names: th.names })),
    { value: '', names: null as SafetyTexts | null },
  ];

  return (
    <article className="safety-editor">
      <Breadcrumbs
        items={[
          { to: '/safety', label: t('safetyMonitor.landing.title') },
          { to: '/safety/monitor', label: t('safetyMonitor.usm.title') },
          { label: t('safetyMonitor.edit.title') },
        ]}
      />
      <h1>{t('safetyMonitor.edit.title')}</h1>
      <p className="lead">{t('safetyMonitor.edit.intro', { version: base.version })}</p>
      <p className="notice warn">{t('safetyMonitor.edit.inventNothing')}</p>
      {indicatorsOf(s).map(({ theme, indicator }) => {
        const fid = `${id}-${indicator.code}`;
        return (
          <fieldset key={indicator.code} className="safety-indicator">
            <legend>
              <IndicatorName indicator={indicator} />{' '}
              {indicator.status !== 'slot' && <PlacementBadge placement={indicator.placement} />}
            </legend>
            <div className="field">
              <label htmlFor={`${fid}-theme`}>{t('safetyMonitor.edit.theme')}</label>
              <select
                id={`${fid}-theme`}
                value={theme ?? ''}
                onChange={(e) => update(indicator.code, (i) => i, e.target.value || null)}
              >
                {themeOptions.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.names ? text(o.names as Record<string, string>).text : t('safetyMonitor.edit.noTheme')}
                  </option>
                ))}
              </select>
            </div>
            <LangFields
              id={`${fid}-names`}
              label={t('safetyMonitor.edit.indicatorName')}
              values={sixOf(indicator.names as Record<string, string>)}
              maxLength={300}
              onChange={(v) => update(indicator.code, (i) => ({ ...i, names: textsOf(v) }))}
            />
            {indicator.measures.map((m) => (
              <fieldset key={m.code} className="safety-indicator">
                <legend>
                  {t('safetyMonitor.edit.measure')}: <UserText names={m.names} />{' '}
                  <PlacementBadge placement={m.placement} />
                </legend>
                <LangFields
                  id={`${fid}-${m.code}-names`}
                  label={t('safetyMonitor.edit.measureName')}
                  values={sixOf(m.names as Record<string, string>)}
                  maxLength={300}
                  onChange={(v) => updateMeasure(indicator.code, m.code, (x) => ({ ...x, names: textsOf(v) }))}
                />
                <div className="field">
                  <label htmlFor={`${fid}-${m.code}-codes`}>{t('safetyMonitor.edit.codes')}</label>
                  <input
                    id={`${fid}-${m.code}-codes`}
                    type="text"
                    dir="ltr"
                    value={codesText[m.code] ?? m.indicators.join(', ')}
                    onChange={(e) => {
                      const text = e.target.value;
                      setCodesText((c) => ({ ...c, [m.code]: text }));
                      updateMeasure(indicator.code, m.code, (x) => ({
                        ...x,
                        indicators: text.split(/[\s,;]+/).filter(Boolean),
                      }));
                    }}
                  />
                </div>
                {m.sources.map((d: SafetyDataSource) => (
                  <div key={d.code} className="safety-indicator">
                    <LangFields
                      id={`${fid}-${m.code}-${d.code}`}
                      label={t('safetyMonitor.edit.sourceName')}
                      values={sixOf(d.names as Record<string, string>)}
                      maxLength={300}
                      onChange={(v) =>
                        updateMeasure(indicator.code, m.code, (x) => ({
                          ...x,
                          sources: x.sources.map((y) => (y.code === d.code ? { ...y, names: textsOf(v) } : y)),
                        }))
                      }
                    />
                    <button
                      type="button"
                      onClick={() =>
                        updateMeasure(indicator.code, m.code, (x) => ({
                          ...x,
                          sources: x.sources.filter((y) => y.code !== d.code),
                        }))
                      }
                    >
                      {t('safetyMonitor.edit.removeSource')}
                    </button>
                  </div>
                ))}
                <div className="safety-actions">
                  <button
                    type="button"
                    onClick={() =>
                      updateMeasure(indicator.code, m.code, (x) => ({
                        ...x,
                        sources: [...x.sources, { code: newCode('s'), names: {}, placement: 'administrator' }],
                      }))
                    }
                  >
                    {t('safetyMonitor.edit.addSource')}
                  </button>
                  <button
                    type="button"
                    onClick={() =>
                      update(indicator.code, (i) => ({ ...i, measures: i.measures.filter((x) => x.code !== m.code) }))
                    }
                  >
                    {t('safetyMonitor.edit.removeMeasure')}
                  </button>
                </div>
              </fieldset>
            ))}
            <button
              type="button"
              onClick={() =>
                update(indicator.code, (i) => ({
                  ...i,
                  measures: [
                    ...i.measures,
                    { code: newCode('m'), names: {}, placement: 'administrator', indicators: [], sources: [] },
                  ],
                }))
              }
            >
              {t('safetyMonitor.edit.addMeasure')}
            </button>
          </fieldset>
        );
      })}
      <div className="field">
        <label htmlFor={`${id}-note`}>{t('safetyMonitor.edit.note')}</label>
        <input
          id={`${id}-note`}
          type="text"
          dir="auto"
          maxLength={1000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      {problems && (
        <div role="alert" className="notice warn">
          <p>
            {t(
              problems.code === 'safety_version_conflict'
                ? 'safetyMonitor.edit.conflict'
                : 'safetyMonitor.edit.invalid',
            )}
          </p>
          <ul lang="en" dir="ltr">
            {problems.lines.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="safety-actions">
        <button type="button" onClick={() => void save()} disabled={busy}>
          {t('safetyMonitor.edit.save')}
        </button>
        <Link to="/safety/monitor">{t('safetyMonitor.edit.cancel')}</Link>
      </div>
    </article>
  );
}
