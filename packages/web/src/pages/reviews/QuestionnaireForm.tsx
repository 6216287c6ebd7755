import '../../zod-jitless.ts';
import {
  type AnswerQuestion,
  type AnswerSet,
  type AnswerValue,
  answerIn,
  type ExpressionValue,
  type FormIssue,
  type FormState,
  flattenQuestions,
  interpolateText,
  isAnswerQuestion,
  OTHER_CHOICE,
  otherTextName,
  pickText,
  type QuestionNode,
  type Questionnaire,
  textReferences,
} from '@marsad/core';
import { useQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import type { Names, Observation, Page } from '../../api/types.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { UserText } from '../../components/UserText.tsx';
import { GeopointField } from '../xlsform/GeopointField.tsx';

/** The id of the control of an answer's path (`measures/0/title` → `q-measures-0-title`). */
export const fieldIdOf = (path: string) => `q-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** The nodes of a questionnaire by name, made once per questionnaire (its texts read it as they are drawn). */
const nodeIndexes = new WeakMap<Questionnaire, Map<string, QuestionNode>>();
function nodeIndex(q: Questionnaire): Map<string, QuestionNode> {
  let m = nodeIndexes.get(q);
  if (!m) {
    m = new Map(flattenQuestions(q.questions).map((l) => [l.node.name, l.node]));
    nodeIndexes.set(q, m);
  }
  return m;
}

/**
 * How an answer shows inside a text (`${name}` in a label or hint): a choice by its label in the reader's language
 * (several as a list of the reader's language), a number in the reader's digits, anything else as it is.
 */
function useValueText(q: Questionnaire): (name: string, v: ExpressionValue) => string {
  const { t } = useTranslation();
  const { lang, num } = usePrefs();
  return (name, v) => {
    const node = nodeIndex(q).get(name);
    if (node && (node.type === 'select_one' || node.type === 'select_multiple') && typeof v === 'string') {
      const choices = q.choiceLists.find((l) => l.name === node.list)?.choices ?? [];
      const labels = v
        .split(/\s+/)
        .filter(Boolean)
        .map((c) => {
          const choice = choices.find((x) => x.name === c);
          if (choice) return pickText(choice.label, lang, q)?.text ?? c;
          return c === OTHER_CHOICE ? t('reviews.form.other') : c;
        });
      return new Intl.ListFormat(lang, { type: 'conjunction' }).format(labels);
    }
    if (typeof v === 'number') return num(v, 6);
    return String(v);
  };
}

/**
 * A questionnaire text in the reader's language by the documented fallback (core's pickText), marked with its language.
 * The answers it shows (`${name}`) are put in from `values` (FormState.textValues), each isolated; one that has no
 * value (a question not answered, or not relevant) shows as "…". The answers are text: never read as markup.
 */
export function QText({
  text,
  q,
  fallback,
  values,
}: {
  text: Record<string, string> | undefined;
  q: Questionnaire;
  fallback?: string;
  values?: Record<string, ExpressionValue>;
}) {
  const { lang } = usePrefs();
  const show = useValueText(q);
  const p = pickText(text, lang, q);
  if (!p) return fallback ? <span dir="auto">{fallback}</span> : null;
  const parts = textReferences(p.text).length
    ? interpolateText(p.text, (n) => (values && Object.hasOwn(values, n) ? show(n, values[n]!) : '…'))
    : null;
  return (
    <span dir="auto" lang={p.language === 'und' ? undefined : p.language}>
      {parts
        ? parts.map((x, i) =>
            x.kind === 'text' ? (
              <Fragment key={i}>{x.text}</Fragment>
            ) : (
              <bdi key={i} className="q-value">
                {x.text}
              </bdi>
            ),
          )
        : p.text}
    </span>
  );
}

export interface IssueText {
  path: string;
  text: string;
  lang?: string;
}

/** The problems of a form state as texts by path; missing answers only when asked. */
export function formIssues(
  state: FormState | null | undefined,
  showMissing: boolean,
  t: (k: string, values?: Record<string, unknown>) => string,
  q?: Questionnaire,
): IssueText[] {
  if (!state) return [];
  const text = (i: FormIssue, fallback: string): IssueText => ({
    path: i.path,
    text: i.message ?? fallback,
    ...(i.message && i.language && i.language !== 'und' ? { lang: i.language } : {}),
  });
  const types = q ? nodeIndex(q) : null;
  const invalid = (i: FormIssue) => {
    if (i.code === 'expression-error') return t('reviews.form.expressionError');
    if (i.code === 'filtered-choice') return t('reviews.form.filteredChoice');
    if (i.code === 'repeat-count') return t('reviews.form.repeatCountExceeded', { n: i.count ?? 0 });
    if (i.code === 'invalid-value' && types?.get(i.name)?.type === 'geopoint') return t('reviews.form.geo.invalid');
    return t('reviews.form.invalid');
  };
  return [
    ...(showMissing ? state.missing.map((i) => text(i, t('reviews.form.required'))) : []),
    ...state.constraintFailures.map((i) => text(i, t('reviews.form.constraint'))),
    ...state.invalid.map((i) => text(i, invalid(i))),
  ];
}

/**
 * The label of a question instance, for lists of problems and comments; the text given with "other" of a select is
 * named by the select's label and `otherWord`.
 */
export function labelOfPath(q: Questionnaire, path: string, lang: string, otherWord = '…'): string {
  const parts = path.split('/');
  const name = parts[parts.length - 1]!;
  const find = (nodes: QuestionNode[], wanted: string): QuestionNode | undefined => {
    for (const n of nodes) {
      if (n.name === wanted) return n;
      if (n.type === 'group' || n.type === 'repeat') {
        const f = find(n.children, wanted);
        if (f) return f;
      }
    }
    return undefined;
  };
  let node = find(q.questions, name);
  let suffix = '';
  if (!node && name.endsWith('_other')) {
    const select = find(q.questions, name.slice(0, -'_other'.length));
    if (select && isAnswerQuestion(select) && select.orOther && otherTextName(select.name) === name) {
      node = select;
      suffix = ` — ${otherWord}`;
    }
  }
  const label = (node ? (pickText(node.label, lang, q)?.text ?? name) : name) + suffix;
  const indices = parts.filter((_, i) => i % 2 === 1).map((x) => Number(x) + 1);
  return indices.length ? `${label} (${indices.join('/')})` : label;
}

interface Ctx {
  q: Questionnaire;
  state: FormState | null;
  /** The answers shown inside texts, by path (FormState.textValues; given apart for a read-only form). */
  textValues: Record<string, Record<string, ExpressionValue>>;
  issues: IssueText[];
  readOnly: boolean;
  placeCode: string;
  after?: (path: string) => ReactNode;
}

/**
 * A questionnaire rendered from its definition: editable (answers change through onChange and
 * the state is core's evaluateForm of them, computed by the page) or read-only. Questions that
 * are not relevant are not shown; problems appear next to their control, linked by aria-describedby.
 */
export function QuestionnaireForm({
  q,
  answers,
  onChange,
  state,
  issues,
  readOnly,
  placeCode,
  after,
  textValues,
}: {
  q: Questionnaire;
  answers: AnswerSet;
  onChange?: (a: AnswerSet) => void;
  state: FormState | null;
  issues: IssueText[];
  readOnly: boolean;
  placeCode: string;
  after?: (path: string) => ReactNode;
  /** The answers shown inside texts when `state` is not given (a read-only form). */
  textValues?: FormState['textValues'];
}) {
  const ctx: Ctx = {
    q,
    state,
    textValues: state?.textValues ?? textValues ?? {},
    issues,
    readOnly,
    placeCode,
    after,
  };
  return <div className="questionnaire">{renderNodes(ctx, q.questions, answers, '', (a) => onChange?.(a), 2)}</div>;
}

function renderNodes(
  ctx: Ctx,
  nodes: QuestionNode[],
  set: AnswerSet,
  prefix: string,
  onSet: (s: AnswerSet) => void,
  depth: number,
): ReactNode {
  return nodes.map((node) => (
    <NodeView key={node.name} ctx={ctx} node={node} set={set} prefix={prefix} onSet={onSet} depth={depth} />
  ));
}

function NodeView({
  ctx,
  node,
  set,
  prefix,
  onSet,
  depth,
}: {
  ctx: Ctx;
  node: QuestionNode;
  set: AnswerSet;
  prefix: string;
  onSet: (s: AnswerSet) => void;
  depth: number;
}) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const path = prefix + node.name;
  if (ctx.state && ctx.state.relevant[path] === false) return null;
  // Metadata is filled by the app (start, end, today, device, user), never asked.
  if (node.type === 'metadata') return null;
  const { q } = ctx;
  const values = ctx.textValues[path];
  const H = (depth <= 2 ? 'h2' : depth === 3 ? 'h3' : 'h4') as 'h2' | 'h3' | 'h4';
  if (node.type === 'group') {
    return (
      <section className="q-group" aria-labelledby={`${fieldIdOf(path)}-title`}>
        <H id={`${fieldIdOf(path)}-title`}>
          <QText text={node.label} q={q} fallback={node.name} values={values} />
        </H>
        {Object.keys(node.hint).length > 0 && (
          <p className="hint">
            <QText text={node.hint} q={q} values={values} />
          </p>
        )}
        {renderNodes(ctx, node.children, set, prefix, onSet, depth + 1)}
      </section>
    );
  }
  if (node.type === 'repeat') {
    const given = answerIn(set, node.name);
    const answered = (Array.isArray(given) ? given : []) as AnswerSet[];
    // A repeat_count sets the number of instances: as many as it gives, none added or removed by hand.
    const count = ctx.readOnly ? undefined : ctx.state?.repeatCounts[path];
    const instances =
      count === undefined ? answered : Array.from({ length: count }, (_, i) => answered[i] ?? ({} as AnswerSet));
    const put = (list: AnswerSet[]) => onSet({ ...set, [node.name]: list });
    return (
      <section className="q-group q-repeat" aria-labelledby={`${fieldIdOf(path)}-title`}>
        <H id={`${fieldIdOf(path)}-title`}>
          <QText text={node.label} q={q} fallback={node.name} values={values} />
        </H>
        {Object.keys(node.hint).length > 0 && (
          <p className="hint">
            <QText text={node.hint} q={q} values={values} />
          </p>
        )}
        {count !== undefined && (
          <p className="muted q-repeat-count" id={`${fieldIdOf(path)}-count`}>
            {t('reviews.form.repeatCount', { n: num(count, 0) })}
          </p>
        )}
        {instances.length === 0 && count === undefined && <p className="muted">{t('reviews.form.noInstances')}</p>}
        {instances.map((inst, i) => (
          <fieldset key={i} className="q-instance">
            <legend>{t('reviews.form.instance', { n: num(i + 1, 0) })}</legend>
            {renderNodes(
              ctx,
              node.children,
              inst,
              `${path}/${i}/`,
              (ni) => put(instances.map((x, j) => (j === i ? ni : x))),
              depth + 1,
            )}
            {!ctx.readOnly && count === undefined && (
              <button
                type="button"
                className="secondary small-button"
                onClick={() => {
                  put(instances.filter((_, j) => j !== i));
                  setTimeout(() => document.getElementById(`${fieldIdOf(path)}-add`)?.focus(), 0);
                }}
              >
                {t('reviews.form.remove', { n: num(i + 1, 0) })}
              </button>
            )}
          </fieldset>
        ))}
        {!ctx.readOnly && count === undefined && (
          <button
            type="button"
            id={`${fieldIdOf(path)}-add`}
            className="secondary"
            onClick={() => {
              put([...instances, {}]);
              setTimeout(
                () =>
                  document
                    .querySelector<HTMLElement>(
                      `#${fieldIdOf(path)}-title ~ fieldset:last-of-type :is(input, textarea, select)`,
                    )
                    ?.focus(),
                0,
              );
            }}
          >
            {t('reviews.form.add')}
          </button>
        )}
        {ctx.after?.(path)}
      </section>
    );
  }
  if (node.type === 'note') {
    return (
      <div className="q-note">
        <p>
          <QText text={node.label} q={q} values={values} />
        </p>
        {Object.keys(node.hint).length > 0 && (
          <p className="hint">
            <QText text={node.hint} q={q} values={values} />
          </p>
        )}
      </div>
    );
  }
  if (node.type === 'calculate') {
    const v = ctx.state?.calculated[path];
    if (v === undefined || !Object.keys(node.label).length) return null;
    return (
      <div className="q-field">
        <span className="label">
          <QText text={node.label} q={q} values={values} />
        </span>{' '}
        <output dir="auto">{typeof v === 'number' ? num(v, 6) : String(v)}</output>
      </div>
    );
  }
  if (!isAnswerQuestion(node)) return null;
  const otherKey = otherTextName(node.name);
  const hasOther = (v: AnswerValue) => v === OTHER_CHOICE || (Array.isArray(v) && v.some((x) => x === OTHER_CHOICE));
  return (
    <AnswerField
      ctx={ctx}
      node={node}
      path={path}
      value={answerIn(set, node.name)}
      onValue={(v) => {
        // Choosing something else than "other" takes its text away (it would no longer be asked).
        if (node.orOther && !hasOther(v) && answerIn(set, otherKey) !== undefined) {
          const { [otherKey]: _dropped, ...rest } = set;
          onSet({ ...rest, [node.name]: v });
        } else onSet({ ...set, [node.name]: v });
      }}
      otherText={node.orOther ? answerIn(set, otherKey) : undefined}
      onOtherText={(v) => onSet({ ...set, [otherKey]: v })}
    />
  );
}

function AnswerField({
  ctx,
  node,
  path,
  value,
  onValue,
  otherText,
  onOtherText,
}: {
  ctx: Ctx;
  node: AnswerQuestion;
  path: string;
  value: AnswerValue | undefined;
  onValue: (v: AnswerValue) => void;
  /** A select with or_other: the text given with "other". */
  otherText?: AnswerValue;
  onOtherText?: (v: AnswerValue) => void;
}) {
  const { t } = useTranslation();
  const { q } = ctx;
  const id = fieldIdOf(path);
  const values = ctx.textValues[path];
  const mine = ctx.issues.filter((i) => i.path === path);
  const hasHint = Object.keys(node.hint).length > 0;
  const describedBy =
    [hasHint ? `${id}-hint` : '', mine.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const aria = {
    'aria-describedby': describedBy,
    'aria-invalid': mine.length ? true : undefined,
    'aria-required': node.required && !ctx.readOnly ? true : undefined,
  };
  const label = (
    <>
      <QText text={node.label} q={q} fallback={node.name} values={values} />
      {node.required && !ctx.readOnly && <span className="required-mark"> ({t('reviews.form.requiredMark')})</span>}
    </>
  );
  const hint = hasHint ? (
    <p id={`${id}-hint`} className="hint">
      <QText text={node.hint} q={q} values={values} />
    </p>
  ) : null;
  const errors = mine.length ? (
    <p id={`${id}-error`} className="field-error">
      <span aria-hidden="true">⚠ </span>
      {mine.map((m, i) => (
        <span key={i} dir="auto" lang={m.lang}>
          {m.text}{' '}
        </span>
      ))}
    </p>
  ) : null;
  const listed = q.choiceLists.find((l) => l.name === node.list)?.choices ?? [];
  // The choices offered: those the choice filter lets through (once each), and "other" for or_other.
  const offered = ctx.state?.choices[path];
  const choices = listed.filter(
    (c, i) => (!offered || offered.includes(c.name)) && listed.findIndex((x) => x.name === c.name) === i,
  );
  if (node.orOther && !choices.some((c) => c.name === OTHER_CHOICE)) choices.push({ name: OTHER_CHOICE, label: {} });
  const str = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

  if (ctx.readOnly) {
    return (
      <div className="q-field q-answer" id={id}>
        <span className="label">{label}</span>
        <div className="answer">
          <ReadOnlyValue ctx={ctx} id={id} node={node} value={value} otherText={otherText} />
        </div>
        {ctx.after?.(path)}
      </div>
    );
  }

  if (node.type === 'geopoint') {
    return (
      <fieldset className="q-field q-geopoint" id={id} aria-describedby={describedBy}>
        <legend>{label}</legend>
        {hint}
        <GeopointField
          id={id}
          value={typeof value === 'string' ? value : undefined}
          onValue={(v) => onValue(v)}
          aria={aria}
        />
        {errors}
        {ctx.after?.(path)}
      </fieldset>
    );
  }

  if (node.type === 'select_one' || node.type === 'select_multiple') {
    const multi = node.type === 'select_multiple';
    const chosen = multi ? (Array.isArray(value) ? (value as string[]) : []) : [str];
    const otherPath = `${path}_other`;
    const otherId = fieldIdOf(otherPath);
    const otherIssues = ctx.issues.filter((i) => i.path === otherPath);
    const otherShown = node.orOther && chosen.includes(OTHER_CHOICE);
    return (
      <fieldset
        className="q-field q-choices"
        id={id}
        aria-describedby={describedBy}
        aria-invalid={aria['aria-invalid']}
      >
        <legend>{label}</legend>
        {hint}
        {offered && choices.length === 0 && <p className="muted">{t('reviews.form.noChoices')}</p>}
        {choices.map((c) => {
          const cid = `${id}--${c.name}`;
          return (
            <label key={c.name} htmlFor={cid} className="choice">
              <input
                id={cid}
                type={multi ? 'checkbox' : 'radio'}
                name={id}
                value={c.name}
                checked={chosen.includes(c.name)}
                onChange={(e) => {
                  if (!multi) onValue(c.name);
                  else onValue(e.target.checked ? [...chosen, c.name] : chosen.filter((x) => x !== c.name));
                }}
              />{' '}
              {c.name === OTHER_CHOICE && !Object.keys(c.label).length ? (
                t('reviews.form.other')
              ) : (
                <QText text={c.label} q={q} fallback={c.name} />
              )}
            </label>
          );
        })}
        {otherShown && (
          <div className="q-other">
            <label htmlFor={otherId}>{t('reviews.form.otherSpecify')}</label>
            <input
              id={otherId}
              dir="auto"
              value={typeof otherText === 'string' ? otherText : ''}
              onChange={(e) => onOtherText?.(e.target.value === '' ? null : e.target.value)}
              aria-invalid={otherIssues.length ? true : undefined}
              aria-describedby={otherIssues.length ? `${otherId}-error` : undefined}
              aria-required={node.required ? true : undefined}
            />
            {otherIssues.length > 0 && (
              <p id={`${otherId}-error`} className="field-error">
                <span aria-hidden="true">⚠ </span>
                {otherIssues.map((m, i) => (
                  <span key={i} dir="auto" lang={m.lang}>
                    {m.text}{' '}
                  </span>
                ))}
              </p>
            )}
          </div>
        )}
        {!multi && str && !node.required && (
          <button type="button" className="link-button small" onClick={() => onValue(null)}>
            {t('reviews.form.clearChoice')}
          </button>
        )}
        {errors}
        {ctx.after?.(path)}
      </fieldset>
    );
  }

  let control: ReactNode;
  if (node.type === 'long_text') {
    control = (
      <textarea
        id={id}
        dir="auto"
        rows={4}
        value={str}
        onChange={(e) => onValue(e.target.value === '' ? null : e.target.value)}
        {...aria}
      />
    );
  } else if (node.type === 'integer' || node.type === 'decimal') {
    control = <NumberInput id={id} integer={node.type === 'integer'} value={value} onValue={onValue} aria={aria} />;
  } else if (node.type === 'date') {
    control = (
      <input
        id={id}
        type="date"
        value={str}
        onChange={(e) => onValue(e.target.value === '' ? null : e.target.value)}
        {...aria}
      />
    );
  } else if (node.type === 'indicator') {
    control = (
      <input
        id={id}
        dir="ltr"
        className="code-input"
        value={str}
        placeholder="16.1.1"
        onChange={(e) => onValue(e.target.value.trim() === '' ? null : e.target.value.trim())}
        {...aria}
      />
    );
  } else if (node.type === 'knowledge_item') {
    control = (
      <input
        id={id}
        dir="ltr"
        inputMode="numeric"
        className="code-input"
        value={str}
        onChange={(e) => onValue(e.target.value.trim() === '' ? null : e.target.value.trim())}
        {...aria}
      />
    );
  } else {
    control = (
      <input
        id={id}
        dir="auto"
        value={str}
        onChange={(e) => onValue(e.target.value === '' ? null : e.target.value)}
        {...aria}
      />
    );
  }
  return (
    <div className="q-field">
      <label htmlFor={id}>{label}</label>
      {hint}
      {control}
      {errors}
      {node.type === 'indicator' && <IndicatorRef code={str} place={ctx.placeCode} />}
      {node.type === 'knowledge_item' && <KnowledgeRef id={str} />}
      {ctx.after?.(path)}
    </div>
  );
}

/** A number field that keeps what is typed ("1." or "-") while the answer holds the number. */
function NumberInput({
  id,
  integer,
  value,
  onValue,
  aria,
}: {
  id: string;
  integer: boolean;
  value: AnswerValue | undefined;
  onValue: (v: AnswerValue) => void;
  aria: Record<string, unknown>;
}) {
  const [raw, setRaw] = useState(typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '');
  // Follows the value from outside; the text typed is not an input of this effect.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on purpose, see above
  useEffect(() => {
    if (typeof value === 'number' && Number(raw.replace(',', '.')) !== value) setRaw(String(value));
    if ((value === null || value === undefined) && raw.trim() !== '') setRaw('');
  }, [value]);
  return (
    <input
      id={id}
      dir="ltr"
      inputMode={integer ? 'numeric' : 'decimal'}
      className="num-input"
      value={raw}
      {...aria}
      onChange={(e) => {
        const s = e.target.value;
        setRaw(s);
        const normal = s
          .trim()
          .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660))
          .replace('٫', '.')
          .replace(',', '.');
        if (normal === '') onValue(null);
        else if (/^-?\d+(\.\d+)?$/.test(normal)) onValue(Number(normal));
        else onValue(s);
      }}
    />
  );
}

function ReadOnlyValue({
  ctx,
  id,
  node,
  value,
  otherText,
}: {
  ctx: Ctx;
  id: string;
  node: AnswerQuestion;
  value: AnswerValue | undefined;
  otherText?: AnswerValue;
}) {
  const { t } = useTranslation();
  const { num, date } = usePrefs();
  const { q } = ctx;
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0))
    return <span className="muted">{t('reviews.form.noAnswer')}</span>;
  const choices = q.choiceLists.find((l) => l.name === node.list)?.choices ?? [];
  const choice = (name: string) => {
    const c = choices.find((x) => x.name === name);
    if (c) return <QText text={c.label} q={q} fallback={name} />;
    if (node.orOther && name === OTHER_CHOICE)
      return (
        <span className="q-other-answer">
          {t('reviews.form.other')}
          {typeof otherText === 'string' && otherText !== '' && (
            <>
              : <span dir="auto">{otherText}</span>
            </>
          )}
        </span>
      );
    return <span dir="auto">{name}</span>;
  };
  switch (node.type) {
    case 'geopoint':
      return <GeopointField id={id} value={String(value)} readOnly />;
    case 'select_one':
      return choice(String(value));
    case 'select_multiple':
      return (
        <ul>
          {(value as string[]).map((v) => (
            <li key={v}>{choice(v)}</li>
          ))}
        </ul>
      );
    case 'integer':
    case 'decimal':
      return <span>{typeof value === 'number' ? num(value, 6) : String(value)}</span>;
    case 'date':
      return <span>{typeof value === 'string' ? date(value) : ''}</span>;
    case 'indicator':
      return (
        <>
          <bdi dir="ltr">{String(value)}</bdi>
          <IndicatorRef code={String(value)} place={ctx.placeCode} />
        </>
      );
    case 'knowledge_item':
      return <KnowledgeRef id={String(value)} showId />;
    case 'long_text':
      return (
        <p dir="auto" className="long-answer">
          {String(value)}
        </p>
      );
    default:
      return <span dir="auto">{String(value)}</span>;
  }
}

function useDebounced<T>(v: T, ms: number): T {
  const [d, setD] = useState(v);
  useEffect(() => {
    const h = setTimeout(() => setD(v), ms);
    return () => clearTimeout(h);
  }, [v, ms]);
  return d;
}

/** The indicator an answer cites, with the place's latest values (what the reader may see). */
export function IndicatorRef({ code, place }: { code: string; place: string }) {
  const { t } = useTranslation();
  const { num, period } = usePrefs();
  const c = useDebounced(code.trim(), 400);
  const ok = /^[A-Za-z0-9][\w.-]{0,63}$/.test(c);
  const ind = useQuery({
    queryKey: ['indicator', c],
    enabled: ok,
    retry: false,
    queryFn: () =>
      getJson<{ code: string; names: Names; unit: { names: Names } | null }>(`/indicators/${encodeURIComponent(c)}`),
  });
  const obs = useQuery({
    queryKey: ['review-ref-obs', c, place],
    enabled: ok && !!ind.data && !!place,
    retry: false,
    queryFn: () => getJson<Page<Observation>>('/observations', { indicator: c, place, total: true, limit: 200 }),
  });
  if (!ok) return null;
  if (ind.error)
    return (
      <p className="small field-error" role="status">
        {t('reviews.form.unknownIndicator', { code: c })}
      </p>
    );
  if (!ind.data) return null;
  const latest = [...(obs.data?.items ?? [])].sort((a, b) => b.periodEnd.localeCompare(a.periodEnd)).slice(0, 3);
  return (
    <div className="ref-box small">
      <UserText names={ind.data.names} fallbackText={ind.data.code} />
      {obs.data &&
        (latest.length === 0 ? (
          <span className="muted"> — {t('reviews.form.noValues')}</span>
        ) : (
          <ul className="inline-list">
            {latest.map((o) => (
              <li key={`${o.series}|${o.period}`}>
                {period(o.period)}: {o.value === null ? '—' : num(o.value, 4)}
              </li>
            ))}
          </ul>
        ))}
    </div>
  );
}

/** A knowledge item an answer cites: its title (published items only are accepted by the server). */
export function KnowledgeRef({ id, showId }: { id: string; showId?: boolean }) {
  const { t } = useTranslation();
  const { text } = usePrefs();
  const d = useDebounced(id.trim(), 400);
  const ok = /^\d{1,9}$/.test(d);
  const item = useQuery({
    queryKey: ['knowledge-item-ref', d],
    enabled: ok,
    retry: false,
    queryFn: () => getJson<{ id: number; texts: Record<string, { title: string }> }>(`/knowledge/items/${d}`),
  });
  if (!ok) return showId ? <bdi dir="ltr">{id}</bdi> : null;
  if (item.error)
    return (
      <p className="small field-error" role="status">
        {t('reviews.form.unknownItem', { id: d })}
      </p>
    );
  if (!item.data) return showId ? <bdi dir="ltr">{id}</bdi> : null;
  const titles = Object.fromEntries(Object.entries(item.data.texts).map(([l, x]) => [l, x.title]));
  const r = text(titles);
  return (
    <span className="ref-box small">
      {showId && (
        <>
          <bdi dir="ltr">#{d}</bdi>{' '}
        </>
      )}
      <span dir="auto" lang={r.lang}>
        {r.text}
      </span>
    </span>
  );
}
