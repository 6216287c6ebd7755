import { Link } from '@tanstack/react-router';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { SourceName } from '../../components/ValueMeta.tsx';
import type { Shown } from '../admin/admin-api.ts';
import { Done, described, Field, FieldError, FormProblems, numberOf } from '../admin/forms.tsx';
import { useEdit } from './programme-edit-context.tsx';
import { ProgressFigure, useLimitMessages, usePercent, useResultsForm, useYear } from './programme-kit.tsx';
import { judgementLabel, measureStatusLook, participationRoleLabel } from './programme-labels.ts';
import type { ComparisonView, Figures2030 } from './programme-types.ts';

/**
 * The 2030 targets of seed 000 computed from the data (docs/methods/results.md, "The 2030
 * targets of seed 000"): each figure with its definition and, expandable, the places behind it.
 * Lists follow the codes of the places, never their values: no ranking.
 */
export function Targets2030({ f }: { f: Figures2030 }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const pct = usePercent();
  const year = useYear();
  const edit = useEdit();
  const target = year(f.definitions.targetYear);
  const base = year(f.definitions.baselineYear);
  const u = f.urbanViolenceChange;
  const c = f.citiesWithLessViolence;
  const k = f.countriesImproved;
  const q = f.populationConcerned;
  const look = measureStatusLook(t, u.status);
  const share = (n: number, of: number) => (of > 0 ? Math.min(1, Math.max(0, n / of)) : null);
  const populationKnown = q.places.some((p) => p.population);
  return (
    <section aria-labelledby="targets-2030-heading" className="targets-2030">
      <h2 id="targets-2030-heading">{t('programmes.t2030.title', { target })}</h2>
      <p>
        {t('programmes.t2030.intro', {
          base,
          target,
          cities: num(f.definitions.targets.cities, 0),
          countries: num(f.definitions.targets.countries, 0),
          people: num(f.definitions.targets.population, 0),
        })}
      </p>
      <Participation f={f} />

      <div className="figures-2030">
        <Figure
          id="figure-violence"
          title={t('programmes.t2030.violence')}
          value={
            <data className="figure-number" value={u.valuePercent ?? ''}>
              {pct.change(u.valuePercent)}
            </data>
          }
          target={t('programmes.t2030.violenceTarget', { value: pct.change(u.targetPercent), base, target })}
          year={u.year}
          progress={u.progress}
          status={
            <span className={`badge ${look.tone}`}>
              <span aria-hidden="true">{look.icon}</span>
              <span>{look.label}</span>
            </span>
          }
          extra={
            u.expectedPercent !== null && u.year !== null
              ? t('programmes.t2030.expected', { year: year(u.year), value: pct.change(u.expectedPercent) })
              : null
          }
          definition={t('programmes.t2030.violenceDef')}
          how={t('programmes.t2030.violenceHow')}
        >
          <details className="print-open places-behind">
            <summary>
              {t('programmes.t2030.citiesBehind', { n: num(u.cities.length, 0), count: u.cities.length })}
            </summary>
            {u.cities.length === 0 ? (
              <p className="small muted">{t('programmes.t2030.noCities')}</p>
            ) : (
              <TableScroll>
                <table className="data">
                  <thead>
                    <tr>
                      <th scope="col">{t('programmes.t2030.city')}</th>
                      <th scope="col">{t('programmes.t2030.change')}</th>
                      <th scope="col">{t('programmes.t2030.indicatorsUsed')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {u.cities.map((x) => (
                      <tr key={x.place}>
                        <th scope="row">
                          <PlaceLink code={x.place} name={x.name} />
                        </th>
                        <td className="num">{pct.change(x.changePercent)}</td>
                        <td>
                          <Comparisons items={x.indicators} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
            {u.left.length > 0 && (
              <p className="small">
                {t('programmes.t2030.leftOut')}{' '}
                {u.left.map((l, i) => (
                  <span key={`${l.place}-${l.indicator}`}>
                    {i > 0 && t('programmes.sep')}
                    <PlaceLink code={l.place} name={null} /> {l.indicator} (
                    {l.reason === 'base-zero' ? t('programmes.t2030.baseZero') : t('programmes.t2030.singleValue')})
                  </span>
                ))}
              </p>
            )}
          </details>
        </Figure>

        <Figure
          id="figure-cities"
          title={t('programmes.t2030.cities')}
          value={
            <data className="figure-number" value={c.count}>
              {num(c.count, 0)}
            </data>
          }
          target={t('programmes.t2030.countTarget', { value: num(c.target, 0), target })}
          year={c.year}
          progress={share(c.count, c.target)}
          definition={t('programmes.t2030.citiesDef')}
          how={t('programmes.t2030.citiesHow')}
        >
          <details className="print-open places-behind">
            <summary>
              {t('programmes.t2030.citiesBehind', { n: num(c.cities.length, 0), count: c.cities.length })}
            </summary>
            {c.cities.length === 0 ? (
              <p className="small muted">{t('programmes.t2030.noCities')}</p>
            ) : (
              <TableScroll>
                <table className="data">
                  <thead>
                    <tr>
                      <th scope="col">{t('programmes.t2030.city')}</th>
                      <th scope="col">{t('programmes.t2030.counted')}</th>
                      <th scope="col">{t('programmes.judgement.better')}</th>
                      <th scope="col">{t('programmes.judgement.worse')}</th>
                      <th scope="col">{t('programmes.judgement.unchanged')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.cities.map((x) => (
                      <tr key={x.place}>
                        <th scope="row">
                          <PlaceLink code={x.place} name={x.name} />
                        </th>
                        <td>
                          <Counted yes={x.counted} />
                        </td>
                        <td>
                          <Comparisons items={x.better} />
                        </td>
                        <td>
                          <Comparisons items={x.worse} />
                        </td>
                        <td>
                          <Comparisons items={x.unchanged} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
            <WithoutData places={c.withoutData} />
          </details>
        </Figure>

        <Figure
          id="figure-countries"
          title={t('programmes.t2030.countries')}
          value={
            <data className="figure-number" value={k.count}>
              {num(k.count, 0)}
            </data>
          }
          target={t('programmes.t2030.countTarget', { value: num(k.target, 0), target })}
          year={k.year}
          progress={share(k.count, k.target)}
          definition={t('programmes.t2030.countriesDef')}
          how={t('programmes.t2030.countriesHow')}
        >
          <details className="print-open places-behind">
            <summary>
              {t('programmes.t2030.countriesBehind', { n: num(k.countries.length, 0), count: k.countries.length })}
            </summary>
            {k.countries.length === 0 ? (
              <p className="small muted">{t('programmes.t2030.noCountries')}</p>
            ) : (
              <TableScroll>
                <table className="data">
                  <thead>
                    <tr>
                      <th scope="col">{t('programmes.t2030.country')}</th>
                      <th scope="col">{t('programmes.t2030.counted')}</th>
                      <th scope="col">{t('programmes.t2030.indicatorsUsed')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {k.countries.map((x) => (
                      <tr key={x.place}>
                        <th scope="row">
                          <PlaceLink code={x.place} name={x.name} />
                        </th>
                        <td>
                          <Counted yes={x.counted} />
                        </td>
                        <td>
                          <ul className="plain-list">
                            {x.indicators.map((i) => (
                              <li key={i.indicator}>
                                <Link to="/indicators/$code" params={{ code: i.indicator }}>
                                  {i.indicator}
                                </Link>
                                :{' '}
                                {i.improved === 'national'
                                  ? t('programmes.t2030.improvedNational')
                                  : i.improved === 'cities'
                                    ? t('programmes.t2030.improvedCities', {
                                        n: num(i.citiesBetter.length, 0),
                                        of: num(i.citiesCompared, 0),
                                      })
                                    : t('programmes.t2030.notImproved')}
                                {i.national && (
                                  <div className="small">
                                    <ComparisonLine c={i.national} withIndicator={false} />
                                  </div>
                                )}
                                {i.cities.length === 0 && i.citiesCompared > 0 && (
                                  <div className="small muted">
                                    {t('programmes.t2030.citiesNotListed', { n: num(i.citiesCompared, 0) })}
                                  </div>
                                )}
                                {i.cities.length > 0 && (
                                  <div className="small">
                                    {i.cities.map((cc, n) => (
                                      <span key={cc.place}>
                                        {n > 0 && t('programmes.sep')}
                                        <PlaceLink code={cc.place} name={null} />:{' '}
                                        <ComparisonLine c={cc} withIndicator={false} />
                                      </span>
                                    ))}
                                  </div>
                                )}
                              </li>
                            ))}
                          </ul>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
            <WithoutData places={k.withoutData} />
          </details>
        </Figure>

        <Figure
          id="figure-population"
          title={t('programmes.t2030.population')}
          value={
            populationKnown ? (
              <data className="figure-number" value={q.total}>
                {num(q.total, 0)}
              </data>
            ) : (
              <span className="figure-none">{t('programmes.t2030.noPopulation')}</span>
            )
          }
          target={t('programmes.t2030.populationTarget', { value: num(q.target, 0), target })}
          year={q.year}
          progress={populationKnown ? share(q.total, q.target) : null}
          extra={q.missing.length > 0 && populationKnown ? t('programmes.t2030.lowerBound') : null}
          definition={t('programmes.t2030.populationDef')}
          how={t('programmes.t2030.populationHow')}
        >
          <details className="print-open places-behind">
            <summary>
              {t('programmes.t2030.placesBehind', { n: num(q.places.length, 0), count: q.places.length })}
            </summary>
            {q.places.length === 0 ? (
              <p className="small muted">{t('programmes.t2030.noCountries')}</p>
            ) : (
              <TableScroll>
                <table className="data">
                  <thead>
                    <tr>
                      <th scope="col">{t('table.place')}</th>
                      <th scope="col">{t('programmes.t2030.basis')}</th>
                      <th scope="col">{t('programmes.t2030.people')}</th>
                      <th scope="col">{t('table.source')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {q.places.map((x) => (
                      <tr key={x.place}>
                        <th scope="row">
                          <PlaceLink code={x.place} name={x.name} />
                        </th>
                        <td>
                          {x.basis === 'country'
                            ? t('programmes.t2030.basisCountry')
                            : t('programmes.t2030.basisCities')}
                        </td>
                        <td className="num">
                          {x.population ? (
                            <>
                              {num(x.population.value, 0)} ({year(x.population.year)})
                            </>
                          ) : (
                            t('programmes.t2030.populationMissing')
                          )}
                        </td>
                        <td dir="auto">
                          {x.source ? (
                            <>
                              <SourceName source={x.source} />
                              {x.source.synthetic && (
                                <>
                                  {' '}
                                  <span className="tag warn">{t('common.synthetic')}</span>
                                </>
                              )}
                            </>
                          ) : (
                            '—'
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
          </details>
        </Figure>
      </div>

      <Margins f={f} />
      {edit.editing && edit.rights.admin && (
        <div className="edit-controls no-print">
          <button
            type="button"
            id="edit-margins"
            className="secondary"
            aria-expanded={edit.isOpen('margins')}
            onClick={() => (edit.isOpen('margins') ? edit.close() : edit.openForm({ type: 'margins' }, 'edit-margins'))}
          >
            {t('programmes.margins.edit')}
          </button>
        </div>
      )}
      {edit.flash?.at === 'margins' && <Done className="notice no-print">{edit.flash.text}</Done>}
      {edit.isOpen('margins') && <MarginsForm f={f} />}
    </section>
  );
}

function Figure({
  id,
  title,
  value,
  target,
  year: y,
  progress,
  status,
  extra,
  definition,
  how,
  children,
}: {
  id: string;
  title: string;
  value: ReactNode;
  target: string;
  year: number | null;
  progress: number | null;
  status?: ReactNode;
  extra?: string | null;
  definition: string;
  how: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const year = useYear();
  return (
    <section className="figure-2030 card" id={id} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <p className="figure-value">
        {value} {y !== null && <span className="small muted">({year(y)})</span>}
      </p>
      <p className="small">{target}</p>
      {(progress !== null || status) && (
        <div>
          {progress !== null && <ProgressFigure progress={progress} showCoverage={false} />} {status}
        </div>
      )}
      {extra && <p className="small muted">{extra}</p>}
      <p className="figure-definition small">
        <strong>{t('programmes.t2030.definition')}</strong> {definition}
      </p>
      <details className="small print-open">
        <summary>{t('programmes.t2030.how')}</summary>
        <p>{how}</p>
      </details>
      {children}
    </section>
  );
}

function PlaceLink({ code, name }: { code: string; name: string | null }) {
  return (
    <Link to="/places/$code" params={{ code }}>
      <span dir="auto">{name ?? code}</span>
    </Link>
  );
}

function Counted({ yes }: { yes: boolean }) {
  const { t } = useTranslation();
  return yes ? (
    <span>
      <span aria-hidden="true">✔ </span>
      {t('programmes.t2030.countedYes')}
    </span>
  ) : (
    <span>
      <span aria-hidden="true">✗ </span>
      {t('programmes.t2030.countedNo')}
    </span>
  );
}

function ComparisonLine({ c, withIndicator = true }: { c: ComparisonView; withIndicator?: boolean }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const pct = usePercent();
  const year = useYear();
  return (
    <span>
      {withIndicator && (
        <>
          <Link to="/indicators/$code" params={{ code: c.indicator }}>
            {c.indicator}
          </Link>
          :{' '}
        </>
      )}
      <span className="nowrap">
        {t('programmes.t2030.fromTo', {
          base: num(c.base.value),
          baseYear: year(c.base.year),
          latest: num(c.latest.value),
          latestYear: year(c.latest.year),
        })}
      </span>
      {c.changePercent !== null && <> ({pct.change(c.changePercent)})</>}
      {' — '}
      {judgementLabel(t, c.judgement)}
      <span className="small muted">
        {' '}
        ({t('programmes.t2030.marginOf', { pct: pct.share(c.marginPercent / 100) })})
      </span>
      {c.sources.some((s) => s.synthetic) && (
        <>
          {' '}
          <span className="tag warn">{t('common.synthetic')}</span>
        </>
      )}
    </span>
  );
}

function Comparisons({ items }: { items: ComparisonView[] }) {
  if (!items.length) return <>—</>;
  return (
    <ul className="plain-list">
      {items.map((c) => (
        <li key={`${c.place}-${c.indicator}`}>
          <ComparisonLine c={c} />
        </li>
      ))}
    </ul>
  );
}

function WithoutData({ places }: { places: { place: string; name: string | null }[] }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  if (!places.length) return null;
  return (
    <p className="small">
      {t('programmes.t2030.withoutData', { n: num(places.length, 0), count: places.length })}{' '}
      {places.map((p, i) => (
        <span key={p.place}>
          {i > 0 && t('programmes.sep')}
          <PlaceLink code={p.place} name={p.name} />
        </span>
      ))}
    </p>
  );
}

function Participation({ f }: { f: Figures2030 }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const p = f.participating;
  return (
    <div className="participation">
      <p>
        {t('programmes.t2030.participating', {
          countries: num(p.countries.length, 0),
          cities: num(p.cities.length, 0),
        })}
      </p>
      <details className="print-open small">
        <summary>{t('programmes.t2030.recorded', { n: num(p.recorded.length, 0), count: p.recorded.length })}</summary>
        <p className="small muted">{t('programmes.t2030.participationRule')}</p>
        <ul className="place-columns">
          {p.recorded.map((x) => (
            <li key={x.place}>
              <PlaceLink code={x.place} name={x.name} />{' '}
              <span className="small muted">({participationRoleLabel(t, x.role)})</span>
            </li>
          ))}
        </ul>
        {p.cities.length > 0 && (
          <p>
            {t('programmes.t2030.citiesTakingPart')}{' '}
            {p.cities.map((c, i) => (
              <span key={c.place}>
                {i > 0 && t('programmes.sep')}
                <PlaceLink code={c.place} name={c.name} />
              </span>
            ))}
          </p>
        )}
      </details>
      <details className="small">
        <summary>{t('programmes.t2030.indicatorsTitle')}</summary>
        <p>{t('programmes.t2030.crimeIndicators')}</p>
        <ul className="plain-list">
          {f.indicators.crimeAndViolence.map((i) => (
            <li key={i.code}>
              <Link to="/indicators/$code" params={{ code: i.code }}>
                {i.code}
              </Link>{' '}
              <span dir="auto">{i.name}</span>
            </li>
          ))}
        </ul>
        <p>{t('programmes.t2030.safetyIndicators')}</p>
        <ul className="plain-list">
          {f.indicators.safety.map((i) => (
            <li key={i.code}>
              <Link to="/indicators/$code" params={{ code: i.code }}>
                {i.code}
              </Link>{' '}
              <span dir="auto">{i.name}</span>{' '}
              <span className="small muted">
                ({i.direction === 'higher' ? t('programmes.higherBetter') : t('programmes.lowerBetter')})
              </span>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

function Margins({ f }: { f: Figures2030 }) {
  const { t } = useTranslation();
  const pct = usePercent();
  const own = Object.entries(f.margins.byIndicator);
  return (
    <p className="margins small">
      <strong>{t('programmes.margins.title')}</strong>{' '}
      {t('programmes.margins.default', { pct: pct.share(f.margins.defaultMargin) })}
      {own.map(([code, m]) => (
        <span key={code}>
          {t('programmes.sep')}
          {t('programmes.margins.of', { code, pct: pct.share(m) })}
        </span>
      ))}
    </p>
  );
}

/** The margins of the 2030 figures: a default and per indicator, in percent (administrators). */
function MarginsForm({ f }: { f: Figures2030 }) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const { send } = useSession();
  const edit = useEdit();
  const id = useId();
  const asText = (share: number) => num(share * 100, 4).replace(/[,٬]/g, '');
  const [def, setDef] = useState(asText(f.margins.defaultMargin));
  const [rows, setRows] = useState(
    Object.entries(f.margins.byIndicator).map(([code, m]) => ({ code, value: asText(m) })),
  );
  const [adding, setAdding] = useState('');
  const [busy, setBusy] = useState(false);
  const fields = ['defaultMargin', ...rows.map((r) => `margin-${r.code}`)];
  const limits = useLimitMessages();
  const form = useResultsForm(fields, (path) => {
    if (!path) return null;
    const m = /^byIndicator\.(.+)$/.exec(path);
    return m ? `margin-${m[1]}` : path;
  });
  const codes = f.indicators.safety.map((i) => i.code);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, Shown> = {};
    const d = numberOf(def);
    if (d === undefined || Number.isNaN(d) || d < 0 || d > 100) local.defaultMargin = { text: limits.percent };
    const byIndicator: Record<string, number> = {};
    for (const r of rows) {
      const v = numberOf(r.value);
      if (!r.code) continue;
      if (v === undefined || Number.isNaN(v) || v < 0 || v > 100) local[`margin-${r.code}`] = { text: limits.percent };
      else byIndicator[r.code] = v / 100;
    }
    if (Object.keys(local).length) {
      form.setLocal(local);
      return;
    }
    setBusy(true);
    const res = await send('/settings/results-2030', 'PUT', { defaultMargin: d! / 100, byIndicator });
    setBusy(false);
    if (!res.ok) {
      await form.fromResponse(res);
      return;
    }
    await edit.refresh();
    edit.setFlash({ at: 'margins', text: t('programmes.margins.saved') });
    edit.close();
  };
  const unused = codes.filter((c) => !rows.some((r) => r.code === c));
  return (
    <form
      ref={form.formRef}
      className="admin edit-form form card no-print"
      onSubmit={submit}
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Escape') edit.close();
      }}
    >
      <h3 className="form-title">{t('programmes.margins.edit')}</h3>
      <p className="hint">{t('programmes.margins.hint')}</p>
      <div className="form-grid">
        <Field id={`${id}-default`} label={t('programmes.margins.defaultLabel')} error={form.fields.defaultMargin}>
          <input
            id={`${id}-default`}
            type="text"
            inputMode="decimal"
            dir="ltr"
            value={def}
            onChange={(e) => setDef(e.target.value)}
            autoFocus
            {...described(`${id}-default`, form.fields.defaultMargin)}
          />
        </Field>
        {rows.map((r, i) => (
          <div className="field" key={r.code}>
            <label htmlFor={`${id}-m-${i}`}>{t('programmes.margins.ofLabel', { code: r.code })}</label>
            <div className="inline-field">
              <input
                id={`${id}-m-${i}`}
                type="text"
                inputMode="decimal"
                dir="ltr"
                value={r.value}
                onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
                {...described(`${id}-m-${i}`, form.fields[`margin-${r.code}`])}
              />
              <button
                type="button"
                className="secondary small-button"
                onClick={() => {
                  setRows(rows.filter((_, j) => j !== i));
                  setTimeout(() => document.getElementById(`${id}-add`)?.focus(), 0);
                }}
              >
                {t('programmes.margins.remove', { code: r.code })}
              </button>
            </div>
            <FieldError id={`${id}-m-${i}`} error={form.fields[`margin-${r.code}`]} />
          </div>
        ))}
      </div>
      {unused.length > 0 && (
        <div className="field">
          <label htmlFor={`${id}-add`}>{t('programmes.margins.add')}</label>
          <div className="inline-field">
            <select id={`${id}-add`} value={adding} onChange={(e) => setAdding(e.target.value)}>
              <option value="">{t('programmes.margins.choose')}</option>
              {unused.map((c) => (
                <option key={c} value={c}>
                  {c} {f.indicators.safety.find((i) => i.code === c)?.name ?? ''}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="secondary small-button"
              disabled={!adding}
              onClick={() => {
                if (!adding) return;
                setRows([...rows, { code: adding, value: def }]);
                setAdding('');
                setTimeout(() => document.getElementById(`${id}-m-${rows.length}`)?.focus(), 0);
              }}
            >
              {t('programmes.margins.addButton')}
            </button>
          </div>
        </div>
      )}
      <FormProblems problems={form.general} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('admin.save')}
        </button>
        <button type="button" className="secondary" onClick={() => edit.close()}>
          {t('admin.cancel')}
        </button>
      </div>
    </form>
  );
}
