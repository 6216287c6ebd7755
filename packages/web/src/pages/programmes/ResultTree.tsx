import { Link } from '@tanstack/react-router';
import { createElement } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../app/prefs.tsx';
import { ValueText } from '../../components/SuppressedValue.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { UserText } from '../../components/UserText.tsx';
import { SourceName } from '../../components/ValueMeta.tsx';
import { Done } from '../admin/forms.tsx';
import { useEdit } from './programme-edit-context.tsx';
import { ProgressFigure, useYear } from './programme-kit.tsx';
import { actualOriginLabel, levelLabel, measureStatusLook, resultStatusLabel } from './programme-labels.ts';
import type { MeasureView, ResultView, SourceView } from './programme-types.ts';
import { ActualsEditor, DeleteMeasure, DeleteResult, MeasureForm, ResultForm, TargetsEditor } from './ResultForms.tsx';

/**
 * The results framework as nested lists (impact → outcome → output → activity): each result
 * with its heading, progress and coverage, status, responsible places and partners, and a table
 * of its measures; with the edit switch on, the controls of the results the reader may edit.
 */
export function ResultTree({ results }: { results: ResultView[] }) {
  const { t } = useTranslation();
  const edit = useEdit();
  return (
    <>
      {edit.editing && edit.rights.admin && (
        <div className="edit-controls no-print">
          <button
            type="button"
            id="add-top-result"
            className="secondary"
            aria-expanded={edit.isOpen('result-add', null)}
            onClick={() => edit.openForm({ type: 'result-add', parentId: null }, 'add-top-result')}
          >
            {t('programmes.edit.addTopResult')}
          </button>
        </div>
      )}
      {edit.isOpen('result-add', null) && <ResultForm mode="add" parent={null} />}
      {edit.flash?.at === 'tree' && <Done className="notice no-print">{edit.flash.text}</Done>}
      {results.length === 0 ? (
        <p className="empty">{t('programmes.noResults')}</p>
      ) : (
        <ol className="result-tree">
          {results.map((r) => (
            <ResultItem key={r.id} r={r} depth={0} />
          ))}
        </ol>
      )}
    </>
  );
}

function ResultItem({ r, depth }: { r: ResultView; depth: number }) {
  const { t } = useTranslation();
  const { text } = usePrefs();
  const edit = useEdit();
  const year = useYear();
  const { programme } = edit;
  const mayEdit = edit.editing && edit.rights.result(r);
  const titleId = `result-${r.id}-title`;
  const heading = createElement(
    `h${Math.min(6, 3 + depth)}`,
    { id: titleId, className: 'result-title', tabIndex: -1 },
    <span className="level-tag">{levelLabel(t, r.level)}</span>,
    ' ',
    r.code && <span className="result-code">{r.code}</span>,
    r.code && ' ',
    <UserText names={r.titles} fallbackText={r.code ?? String(r.id)} />,
  );
  const pillars = r.pillars.map((c) => programme.pillars.find((p) => p.code === c)).filter((p) => !!p);
  return (
    <li className={`result level-${r.level}`} aria-labelledby={titleId}>
      <div className="result-head">
        {heading}
        <p className="result-meta small muted">
          {resultStatusLabel(t, r.status)}
          {(r.startDate || r.endDate) && (
            <>
              {' '}
              ·{' '}
              {t('programmes.dates', {
                from: r.startDate ? year(Number(r.startDate.slice(0, 4))) : '…',
                to: r.endDate ? year(Number(r.endDate.slice(0, 4))) : '…',
              })}
            </>
          )}
          {r.weight !== 1 && <> · {t('programmes.weight', { weight: year(r.weight) })}</>}
        </p>
        <div className="result-progress">
          {r.measures.length === 0 && r.children.length === 0 ? (
            <span className="small muted">{t('programmes.noMeasures')}</span>
          ) : (
            <ProgressFigure progress={r.progress} coverage={r.coverage} />
          )}
        </div>
        {r.description && (
          <p className="result-description">
            <UserText names={r.descriptions} />
          </p>
        )}
        {(r.places.length > 0 || r.partners.length > 0 || pillars.length > 0) && (
          <dl className="result-facts small">
            {r.places.length > 0 && (
              <>
                <dt>{t('programmes.responsible')}</dt>
                <dd>
                  {r.places.map((p, i) => (
                    <span key={p.place}>
                      {i > 0 && t('programmes.sep')}
                      <Link to="/places/$code" params={{ code: p.place }}>
                        <span dir="auto">{p.name ?? p.place}</span>
                      </Link>
                    </span>
                  ))}
                </dd>
              </>
            )}
            {r.partners.length > 0 && (
              <>
                <dt>{t('programmes.partners')}</dt>
                <dd>
                  {r.partners.map((p, i) => (
                    <span key={i}>
                      {i > 0 && t('programmes.sep')}
                      <UserText names={p.names} fallbackText={p.name ?? ''} />
                    </span>
                  ))}
                </dd>
              </>
            )}
            {pillars.length > 0 && (
              <>
                <dt>{t('programmes.pillarsOf')}</dt>
                <dd>
                  {pillars.map((p) => (
                    <span key={p.code} className="tag" title={text(p.names).text}>
                      {p.code}
                    </span>
                  ))}
                </dd>
              </>
            )}
          </dl>
        )}
      </div>
      {r.measures.length > 0 && <MeasureTable r={r} mayEdit={mayEdit} />}
      {mayEdit && <ResultControls r={r} />}
      {edit.flash?.at === `result-${r.id}` && <Done className="notice no-print">{edit.flash.text}</Done>}
      {edit.isOpen('result-edit', r.id) && (
        <ResultForm mode="edit" result={r} parent={findParent(programme.results, r.parentId)} />
      )}
      {edit.isOpen('result-delete', r.id) && <DeleteResult r={r} />}
      {edit.isOpen('measure-add', r.id) && <MeasureForm mode="add" result={r} />}
      {edit.isOpen('result-add', r.id) && <ResultForm mode="add" parent={r} />}
      {r.children.length > 0 && (
        <ol className="result-children">
          {r.children.map((c) => (
            <ResultItem key={c.id} r={c} depth={depth + 1} />
          ))}
        </ol>
      )}
    </li>
  );
}

export function findParent(results: ResultView[], id: number | null): ResultView | null {
  if (id === null) return null;
  for (const r of results) {
    if (r.id === id) return r;
    const f = findParent(r.children, id);
    if (f) return f;
  }
  return null;
}

function ResultControls({ r }: { r: ResultView }) {
  const { t } = useTranslation();
  const edit = useEdit();
  const title = `${levelLabel(t, r.level)} ${r.code ?? ''}`.trim();
  const b = (
    type: 'result-edit' | 'result-delete' | 'measure-add' | 'result-add',
    label: string,
    className = 'secondary',
  ) => {
    const id = `${type}-${r.id}`;
    const open = type === 'result-add' ? edit.isOpen('result-add', r.id) : edit.isOpen(type, r.id);
    return (
      <button
        type="button"
        id={id}
        className={`${className} small-button`}
        aria-expanded={open}
        aria-describedby={`result-${r.id}-title`}
        onClick={() =>
          open ? edit.close() : edit.openForm(type === 'result-add' ? { type, parentId: r.id } : { type, id: r.id }, id)
        }
      >
        {label}
      </button>
    );
  };
  return (
    <div
      className="edit-controls no-print"
      role="group"
      aria-label={t('programmes.edit.controlsOf', { result: title })}
    >
      {b('result-edit', t('programmes.edit.editResult'))}
      {r.level !== 'activity' && b('result-add', t('programmes.edit.addUnder'))}
      {b('measure-add', t('programmes.edit.addMeasure'))}
      {b('result-delete', t('programmes.edit.deleteResult'), 'secondary danger-text')}
    </div>
  );
}

function Sources({ sources }: { sources: SourceView[] }) {
  const { t } = useTranslation();
  if (!sources.length) return null;
  return (
    <span className="sources">
      {sources.map((s, i) => (
        <span key={s.name}>
          {i > 0 && t('programmes.sep')}
          <SourceName source={s} />
          {s.licence && ` (${s.licence})`}
          {s.synthetic && (
            <>
              {' '}
              <span className="tag warn">{t('common.synthetic')}</span>
            </>
          )}
        </span>
      ))}
    </span>
  );
}

function MeasureTable({ r, mayEdit }: { r: ResultView; mayEdit: boolean }) {
  const { t } = useTranslation();
  const { text } = usePrefs();
  const edit = useEdit();
  return (
    <TableScroll className="measure-table">
      <table className="data">
        <caption className="visually-hidden">
          {t('programmes.measuresOf', {
            result: `${levelLabel(t, r.level)} ${r.code ?? ''} ${text(r.titles).text}`.trim(),
          })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('programmes.col.measure')}</th>
            <th scope="col">{t('programmes.col.baseline')}</th>
            <th scope="col">{t('programmes.col.targets')}</th>
            <th scope="col">{t('programmes.col.actual')}</th>
            <th scope="col">{t('programmes.col.progress')}</th>
            <th scope="col">{t('programmes.col.status')}</th>
          </tr>
        </thead>
        <tbody>
          {r.measures.map((m) => (
            <MeasureRow
              key={m.id}
              m={m}
              mayEdit={mayEdit}
              open={
                edit.open &&
                'id' in edit.open &&
                edit.open.id === m.id &&
                ['measure-edit', 'measure-delete', 'targets', 'actuals'].includes(edit.open.type)
                  ? edit.open.type
                  : null
              }
              r={r}
            />
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function MeasureRow({ m, r, mayEdit, open }: { m: MeasureView; r: ResultView; mayEdit: boolean; open: string | null }) {
  const { t } = useTranslation();
  const { num, text } = usePrefs();
  const year = useYear();
  const edit = useEdit();
  const look = measureStatusLook(t, m.status);
  // The unit in the reader's language, else the best available one (marked once, in the line under the name).
  const u = text(m.unitNames);
  const unitText = u.text || m.unit;
  const unit = unitText ? (
    <>
      {' '}
      <span className="small muted" dir="auto" lang={u.text ? u.lang : undefined}>
        {unitText}
      </span>
    </>
  ) : null;
  const kind =
    m.kind === 'indicator'
      ? t('programmes.kind.indicator')
      : m.kind === 'specific'
        ? t('programmes.kind.specific')
        : t('programmes.kind.computed');
  const mButton = (
    type: 'measure-edit' | 'measure-delete' | 'targets' | 'actuals',
    label: string,
    className = 'secondary',
  ) => {
    const id = `${type}-${m.id}`;
    return (
      <button
        type="button"
        id={id}
        className={`${className} small-button`}
        aria-expanded={open === type}
        aria-describedby={`measure-${m.id}-name`}
        onClick={() => (open === type ? edit.close() : edit.openForm({ type, id: m.id }, id))}
      >
        {label}
      </button>
    );
  };
  return (
    <>
      <tr>
        <th scope="row" className="measure-name">
          <span id={`measure-${m.id}-name`}>
            {m.indicator ? (
              <>
                <Link to="/indicators/$code" params={{ code: m.indicator.code }}>
                  {m.indicator.code}
                </Link>{' '}
                <UserText names={m.indicator.names} fallbackText={m.name ?? ''} />
              </>
            ) : (
              <UserText names={m.names} fallbackText={m.name ?? ''} />
            )}
          </span>
          <div className="small muted">
            {kind}
            {m.series && m.series.name !== m.indicator?.name && (
              <>
                {' '}
                · <span dir="auto">{m.series.name ?? m.series.code}</span>
              </>
            )}
            {unitText && (
              <>
                {' '}
                · <UserText names={m.unitNames} fallbackText={m.unit ?? ''} />
              </>
            )}
            {' · '}
            {m.ascending ? t('programmes.higherBetter') : t('programmes.lowerBetter')}
            {m.places.length > 1 && m.aggregation && (
              <> · {m.aggregation === 'sum' ? t('programmes.aggregation.sum') : t('programmes.aggregation.mean')}</>
            )}
            {m.weight !== 1 && <> · {t('programmes.weight', { weight: year(m.weight) })}</>}
          </div>
          {m.demonstration && <span className="tag warn">{t('programmes.demoTag')}</span>}
          {m.places.length > 0 && (
            <ul className="measure-places small">
              {m.places.map((p) => (
                <li key={p.place}>
                  <Link to="/places/$code" params={{ code: p.place }}>
                    <span dir="auto">{p.name ?? p.place}</span>
                  </Link>
                  :{' '}
                  {p.latest ? (
                    <>
                      <ValueText value={p.latest.value} suppressedBelow={p.latest.suppressedBelow} digits={2} /> (
                      {year(p.latest.year)})
                    </>
                  ) : (
                    t('programmes.noValue')
                  )}
                </li>
              ))}
            </ul>
          )}
        </th>
        <td className="val">
          {m.baseline ? (
            <>
              {m.baseline.value === null ? '—' : num(m.baseline.value)}
              {unit} <span className="small">({year(m.baseline.year)})</span>
              {m.baseline.from === 'observations' && (
                <div className="small muted">{t('programmes.baselineFromData')}</div>
              )}
              {m.baseline.from === 'definition' && (
                <div className="small muted">{t('programmes.baselineByDefinition')}</div>
              )}
            </>
          ) : (
            '—'
          )}
        </td>
        <td className="val">
          {m.targets.length ? (
            <ul className="plain-list">
              {m.targets.map((x) => (
                <li key={x.year}>{t('programmes.targetOf', { year: year(x.year), value: num(x.value) })}</li>
              ))}
            </ul>
          ) : (
            '—'
          )}
        </td>
        <td className="val">
          {m.actual ? (
            <>
              <span className="actual-value" data-value={m.actual.value}>
                {num(m.actual.value)}
              </span>
              {unit} <span className="small">({year(m.actual.year)})</span>
              <div className="small muted">{actualOriginLabel(t, m.actual.from)}</div>
              <div className="small">
                <Sources sources={m.actual.sources} />
              </div>
            </>
          ) : (
            t('programmes.noValue')
          )}
        </td>
        <td>
          {m.progress === null ? (
            '—'
          ) : (
            <ProgressFigure progress={m.progress} showCoverage={false} label={(pct) => pct} />
          )}
          {m.expected !== null && m.actual && (
            <div className="small muted">
              {t('programmes.expected', { year: year(m.actual.year), value: num(m.expected) })}
            </div>
          )}
        </td>
        <td>
          <span className={`badge ${look.tone}`}>
            <span aria-hidden="true">{look.icon}</span>
            <span>{look.label}</span>
          </span>
        </td>
      </tr>
      {mayEdit && (
        <tr className="no-print measure-controls">
          <td colSpan={6}>
            <div
              className="edit-controls"
              role="group"
              aria-label={t('programmes.edit.controlsOf', { result: m.name ?? '' })}
            >
              {mButton('measure-edit', t('programmes.edit.editMeasure'))}
              {mButton('targets', t('programmes.edit.targets'))}
              {m.kind === 'specific' && mButton('actuals', t('programmes.edit.actuals'))}
              {mButton('measure-delete', t('programmes.edit.deleteMeasure'), 'secondary danger-text')}
            </div>
            {edit.flash?.at === `measure-${m.id}` && <Done className="notice">{edit.flash.text}</Done>}
            {open === 'measure-edit' && <MeasureForm mode="edit" result={r} measure={m} />}
            {open === 'measure-delete' && <DeleteMeasure m={m} />}
            {open === 'targets' && <TargetsEditor m={m} />}
            {open === 'actuals' && <ActualsEditor m={m} />}
          </td>
        </tr>
      )}
    </>
  );
}
