import '../../../zod-jitless.ts';
import {
  type AnswerQuestion,
  type AnswerSet,
  type ChoiceList,
  evaluateForm,
  isAnswerQuestion,
  isGroup,
  METADATA_KINDS,
  type MetadataKind,
  type QuestionNode,
  type Questionnaire,
  type QuestionnaireProblem,
} from '@marsad/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { type ReactNode, useDeferredValue, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../../api/client.ts';
import { usePrefs } from '../../../app/prefs.tsx';
import { useSession } from '../../../app/session.tsx';
import { Breadcrumbs } from '../../../components/Breadcrumbs.tsx';
import { SectionBoundary } from '../../../components/ErrorBoundary.tsx';
import { LangFields } from '../../../components/LangFields.tsx';
import { ErrorMessage, Loading } from '../../../components/States.tsx';
import { isAdministrator } from '../../admin/admin-api.ts';
import { ConfirmBox } from '../../admin/forms.tsx';
import { ProblemText } from '../../xlsform/xlsform-messages.tsx';
import { formIssues, QuestionnaireForm } from '../QuestionnaireForm.tsx';
import { bodyOf, today, type VersionRecord, type VersionSummary } from '../review-api.ts';
import '../reviews.css';
import './builder.css';
import { typeLabel } from './builder-labels.ts';
import {
  appendNode,
  BUILDER_TYPES,
  type BuilderType,
  checkBuilt,
  emptyQuestionnaire,
  freshName,
  isSelectType,
  moveNode,
  nodeAt,
  nodeOfType,
  removeNode,
  replaceList,
  replaceNode,
  withOwnList,
} from './builder-model.ts';

interface Loaded {
  id: number;
  formId: string;
  versions: VersionSummary[];
  latest: VersionRecord;
}

/** `/reviews/questionnaires/new`: a questionnaire built in the browser. */
export function QuestionnaireNewPage() {
  return <BuilderGate />;
}

/** `/reviews/questionnaires/$id/edit`: the latest version of a questionnaire, edited into its next version. */
export function QuestionnaireEditPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  return <BuilderGate id={Number(id)} />;
}

function BuilderGate({ id }: { id?: number }) {
  const { t } = useTranslation();
  const { me, loading } = useSession();
  const admin = isAdministrator(me?.roles);
  const existing = useQuery({
    queryKey: ['questionnaire', id],
    enabled: admin && id !== undefined,
    queryFn: () => getJson<Loaded>(`/questionnaires/${id}`),
  });
  const heading = id === undefined ? t('reviews.builder.titleNew') : t('reviews.builder.titleEdit');
  if (loading) return <Loading />;
  if (!me || !admin)
    return (
      <section className="reviews admin">
        <h1>{heading}</h1>
        <p className="notice">
          {t('reviews.builder.adminOnly')} {!me && <Link to="/sign-in">{t('reviews.signIn')}</Link>}
        </p>
      </section>
    );
  if (id !== undefined) {
    if (existing.isPending) return <Loading />;
    if (existing.isError) return <ErrorMessage error={existing.error} />;
    return <Builder key={existing.data.id} loaded={existing.data} heading={heading} />;
  }
  return <Builder heading={heading} />;
}

type Message = { ok: boolean; text: string; problems?: ServerProblem[] };
interface ServerProblem {
  path?: string;
  code: string;
  name?: string;
  position?: number;
  message: string;
}

function Builder({ loaded, heading }: { loaded?: Loaded; heading: string }) {
  const { t } = useTranslation();
  const { lang, num } = usePrefs();
  const { send } = useSession();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [q, setQ] = useState<Questionnaire>(() => loaded?.latest.definition ?? emptyQuestionnaire());
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const [answers, setAnswers] = useState<AnswerSet>({});
  const checked = useMemo(() => checkBuilt(q), [q]);
  const shown = useDeferredValue(checked.def);
  const preview = useMemo(() => {
    try {
      return evaluateForm(shown, answers, { today: today(), language: lang });
    } catch {
      return null;
    }
  }, [shown, answers, lang]);
  const change = (next: Questionnaire) => {
    setQ(next);
    setDirty(true);
    setMessage(null);
  };
  const latest = loaded?.latest;
  const save = async () => {
    if (checked.problems.length) {
      setMessage({ ok: false, text: t('reviews.builder.problems', { n: num(checked.problems.length, 0) }) });
      document.getElementById('builder-problems')?.focus();
      return;
    }
    setBusy(true);
    try {
      const res = loaded
        ? await send(`/questionnaires/${loaded.id}`, 'PUT', { definition: checked.def })
        : await send('/questionnaires', 'POST', { definition: checked.def });
      const b = await bodyOf(res);
      if (!res.ok) {
        const problems = ((b.details as { problems?: ServerProblem[] } | undefined)?.problems ?? []).slice(0, 50);
        return setMessage({
          ok: false,
          text: res.status === 409 ? t('reviews.builder.exists') : t('reviews.builder.saveFailed'),
          problems,
        });
      }
      const saved = b as unknown as { created: boolean; version: VersionSummary };
      await client.invalidateQueries({ queryKey: ['questionnaires'] });
      await client.invalidateQueries({ queryKey: ['questionnaire', saved.version.questionnaireId] });
      setDirty(false);
      const text = saved.created
        ? t('reviews.builder.saved', { n: num(saved.version.number, 0) })
        : t('reviews.builder.unchanged', { n: num(saved.version.number, 0) });
      setMessage({ ok: true, text });
      if (!loaded)
        void navigate({
          to: '/reviews/questionnaires/$id/edit',
          params: { id: String(saved.version.questionnaireId) },
        });
    } finally {
      setBusy(false);
    }
  };
  const general = checked.problems.filter((p) => p.at.sheet === 'settings');
  return (
    <section className="reviews admin builder">
      <Breadcrumbs
        items={[
          { to: '/reviews', label: t('reviews.title') },
          { to: '/reviews/cycles/new', label: t('reviews.cycles.new') },
          { label: heading },
        ]}
      />
      <h1>
        {heading}
        {latest && (
          <>
            {' '}
            <bdi dir="auto">{latest.title}</bdi>
          </>
        )}
      </h1>
      <p className="lead">
        {t('reviews.builder.intro')}{' '}
        <a className="builder-to-preview" href="#builder-preview-title">
          {t('reviews.builder.toPreview')}
        </a>
      </p>
      {latest && (
        <p className="muted">
          {t('reviews.builder.versionNote', { n: num(latest.number, 0) })}{' '}
          <a
            className="button secondary"
            href={`/api/v1/questionnaire-versions/${latest.id}/xlsform`}
            download
            data-testid="builder-export"
          >
            {t('reviews.builder.export', { n: num(latest.number, 0) })}
          </a>
          {dirty && <span className="builder-unsaved"> {t('reviews.builder.exportUnsaved')}</span>}
        </p>
      )}
      <div className="builder-layout">
        <form
          className="form builder-editor"
          noValidate
          aria-label={heading}
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <fieldset className="card">
            <legend>{t('reviews.builder.settings')}</legend>
            <div className="field">
              <label htmlFor="builder-form-id">{t('reviews.builder.formId')}</label>
              <p id="builder-form-id-hint" className="hint">
                {t('reviews.builder.formIdHint')}
              </p>
              <input
                id="builder-form-id"
                type="text"
                dir="ltr"
                value={q.formId}
                readOnly={!!loaded}
                aria-describedby="builder-form-id-hint builder-form-id-error"
                aria-invalid={problemsAt(checked.byKey, 'settings:form_id').length > 0 || undefined}
                onChange={(e) => change({ ...q, formId: e.target.value })}
              />
              <Problems id="builder-form-id-error" problems={problemsAt(checked.byKey, 'settings:form_id')} />
            </div>
            <div className="field">
              <label htmlFor="builder-title">{t('reviews.builder.titleField')}</label>
              <input
                id="builder-title"
                type="text"
                dir="auto"
                value={q.title}
                aria-describedby="builder-title-error"
                onChange={(e) => change({ ...q, title: e.target.value })}
              />
              <Problems id="builder-title-error" problems={problemsAt(checked.byKey, 'settings:form_title')} />
            </div>
            <div className="field">
              <label htmlFor="builder-version">{t('reviews.builder.versionField')}</label>
              <input
                id="builder-version"
                type="text"
                dir="auto"
                value={q.version}
                onChange={(e) => change({ ...q, version: e.target.value })}
              />
            </div>
          </fieldset>
          <h2 id="builder-questions" tabIndex={-1}>
            {t('reviews.builder.questions')}
          </h2>
          {q.questions.length === 0 && <p className="muted">{t('reviews.builder.noQuestions')}</p>}
          <NodeList q={q} onChange={change} nodes={q.questions} parent={[]} byKey={checked.byKey} depth={0} />
          <div className="row builder-add">
            <AddButtons q={q} parent={[]} onChange={change} />
          </div>
          <div
            id="builder-problems"
            tabIndex={-1}
            className="builder-status"
            aria-live="polite"
            data-problems={checked.problems.length}
          >
            {checked.problems.length > 0 ? (
              <div className="notice warn">
                <p>{t('reviews.builder.problems', { n: num(checked.problems.length, 0) })}</p>
                {general.length > 0 && (
                  <ul>
                    {general.map((p, i) => (
                      <li key={i}>
                        <ProblemText p={{ ...p, sheet: 'settings', row: null, column: null, header: null }} />
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            ) : (
              <p className="muted">{t('reviews.builder.noProblems')}</p>
            )}
          </div>
          {message && (
            <div role={message.ok ? 'status' : 'alert'} className={message.ok ? 'notice' : 'notice warn'}>
              <p>{message.text}</p>
              {message.problems && message.problems.length > 0 && (
                <ul>
                  {message.problems.map((p, i) => (
                    <li key={i}>
                      <code dir="ltr">{p.path}</code>:{' '}
                      <ProblemText p={{ ...p, sheet: 'survey', row: null, column: null, header: null }} />
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <div className="form-actions sticky-actions">
            <button type="submit" disabled={busy}>
              {t('reviews.builder.save')}
            </button>
          </div>
        </form>
        <aside className="builder-preview card" aria-labelledby="builder-preview-title">
          <h2 id="builder-preview-title" tabIndex={-1}>
            {t('reviews.builder.preview')}
          </h2>
          {shown.questions.length === 0 ? (
            <p className="muted">{t('reviews.builder.previewEmpty')}</p>
          ) : (
            <SectionBoundary>
              <div className="review-form builder-preview-form">
                <QuestionnaireForm
                  q={shown}
                  answers={answers}
                  onChange={setAnswers}
                  state={preview}
                  issues={formIssues(preview, false, t, shown)}
                  readOnly={false}
                  placeCode=""
                />
              </div>
              <button type="button" className="secondary" onClick={() => setAnswers({})}>
                {t('reviews.builder.previewReset')}
              </button>
            </SectionBoundary>
          )}
        </aside>
      </div>
    </section>
  );
}

const problemsAt = (byKey: Map<string, QuestionnaireProblem[]>, key: string) => byKey.get(key) ?? [];

/** Problems of a field, next to it, in the reader's language. */
function Problems({ id, problems }: { id: string; problems: QuestionnaireProblem[] }) {
  if (!problems.length) return null;
  return (
    <div id={id} className="field-error builder-field-error">
      {problems.map((p, i) => (
        <p key={i}>
          <span aria-hidden="true">⚠ </span>
          <ProblemText p={{ ...p, sheet: p.at.sheet, row: null, column: null, header: null }} />
        </p>
      ))}
    </div>
  );
}

function AddButtons({
  q,
  parent,
  onChange,
  inside,
}: {
  q: Questionnaire;
  parent: number[];
  onChange: (q: Questionnaire) => void;
  inside?: string;
}) {
  const { t } = useTranslation();
  const add = (type: BuilderType) => {
    const name = freshName(q, type === 'group' ? 'section' : 'question');
    const node = nodeOfType(type, { name, label: {}, hint: {} });
    const questions = appendNode(q.questions, parent, node);
    onChange({ ...q, questions });
    const index = (parent.length ? (nodeAt(questions, parent) as { children: QuestionNode[] }).children : questions)
      .length;
    setTimeout(() => document.getElementById(`${nodeId([...parent, index - 1])}-name`)?.focus(), 0);
  };
  return (
    <>
      <button type="button" className="secondary" onClick={() => add('text')}>
        {inside ? t('reviews.builder.addInside', { section: inside }) : t('reviews.builder.addQuestion')}
      </button>
      {!inside && (
        <button type="button" className="secondary" onClick={() => add('group')}>
          {t('reviews.builder.addSection')}
        </button>
      )}
    </>
  );
}

/** Where an expression goes in a message (`{example}`): replaced by the expression as code (withExpression). */
const MARK = '\u0001';
/** A message formatted around MARK, the expression put in its place as code, left to right in any language. */
function withExpression(message: string, code: string): ReactNode {
  const [before, after] = message.split(MARK);
  return (
    <>
      {before}
      <code dir="ltr">{code}</code>
      {after}
    </>
  );
}

/** The questions a section holds, at any depth. */
const countNodes = (n: QuestionNode): number =>
  isGroup(n) ? n.children.reduce((sum, c) => sum + 1 + countNodes(c), 0) : 0;

const nodeId = (path: number[]) => `builder-q-${path.join('-')}`;

function NodeList({
  q,
  onChange,
  nodes,
  parent,
  byKey,
  depth,
}: {
  q: Questionnaire;
  onChange: (q: Questionnaire) => void;
  nodes: QuestionNode[];
  parent: number[];
  byKey: Map<string, QuestionnaireProblem[]>;
  depth: number;
}) {
  return (
    <ol className="builder-list plain">
      {nodes.map((node, i) => (
        <li key={`${i}-${node.type}`}>
          <NodeEditor
            q={q}
            onChange={onChange}
            node={node}
            path={[...parent, i]}
            count={nodes.length}
            byKey={byKey}
            depth={depth}
          />
        </li>
      ))}
    </ol>
  );
}

function NodeEditor({
  q,
  onChange,
  node,
  path,
  count,
  byKey,
  depth,
}: {
  q: Questionnaire;
  onChange: (q: Questionnaire) => void;
  node: QuestionNode;
  path: number[];
  count: number;
  byKey: Map<string, QuestionnaireProblem[]>;
  depth: number;
}) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  const id = nodeId(path);
  const at = (field: string) => problemsAt(byKey, `q:${path.join('.')}:${field}`);
  const put = (n: QuestionNode, base: Questionnaire = q) =>
    onChange({ ...base, questions: replaceNode(base.questions, path, n) });
  const index = path[path.length - 1]!;
  const named = node.name || t('reviews.builder.unnamed');
  const [confirming, setConfirming] = useState(false);
  /** Removes the node; focus goes to the question now in its place, the one before it, or the list's heading. */
  const remove = () => {
    setConfirming(false);
    onChange({ ...q, questions: removeNode(q.questions, path) });
    const near = index < count - 1 ? path : index > 0 ? [...path.slice(0, -1), index - 1] : null;
    setTimeout(() => {
      const target = near ? document.getElementById(`${nodeId(near)}-type`) : null;
      (target ?? document.getElementById('builder-questions'))?.focus();
    }, 0);
  };
  const move = (by: -1 | 1) => {
    onChange({ ...q, questions: moveNode(q.questions, path, by) });
    const target = [...path.slice(0, -1), index + by];
    setTimeout(() => document.getElementById(`${nodeId(target)}-${by < 0 ? 'up' : 'down'}`)?.focus(), 0);
  };
  const setType = (type: BuilderType) => {
    let next = nodeOfType(type, node);
    let base = q;
    if (isGroup(node) && isGroup(next)) next = { ...next, children: node.children };
    if (isAnswerQuestion(node) && isAnswerQuestion(next)) {
      next = {
        ...next,
        required: node.required,
        requiredMessage: node.requiredMessage,
        constraintMessage: node.constraintMessage,
        ...(node.constraint !== undefined ? { constraint: node.constraint } : {}),
        ...(isSelectType(type) && node.list ? { list: node.list } : {}),
      };
    }
    if (isAnswerQuestion(next) && isSelectType(type)) {
      const own = withOwnList(q, next);
      base = own.q;
      next = own.node;
    }
    put(next, base);
  };
  const Heading = (depth === 0 ? 'h3' : 'h4') as 'h3' | 'h4';
  const labelText = (field: string) => [at(field)].flat();
  const textField = (
    field: 'relevant' | 'constraint' | 'calculation' | 'repeatCount',
    label: string,
    hint?: ReactNode,
  ) => {
    const fid = `${id}-${field}`;
    const key = {
      relevant: 'relevant',
      constraint: 'constraint',
      calculation: 'calculation',
      repeatCount: 'repeat_count',
    }[field];
    const problems = at(key);
    const value = (node as unknown as Record<string, string | undefined>)[field] ?? '';
    return (
      <div className="field">
        <label htmlFor={fid}>{label}</label>
        {hint !== undefined && (
          <p id={`${fid}-hint`} className="hint">
            {hint}
          </p>
        )}
        <input
          id={fid}
          type="text"
          dir="ltr"
          className="builder-expression"
          spellCheck={false}
          value={value}
          aria-invalid={problems.length > 0 || undefined}
          aria-describedby={
            [hint !== undefined ? `${fid}-hint` : '', problems.length ? `${fid}-error` : ''].join(' ').trim() ||
            undefined
          }
          onChange={(e) => put({ ...node, [field]: e.target.value } as QuestionNode)}
        />
        <Problems id={`${fid}-error`} problems={problems} />
      </div>
    );
  };
  return (
    <article className={`card builder-node builder-${node.type}`} id={id} aria-labelledby={`${id}-heading`}>
      <div className="builder-node-head">
        <Heading id={`${id}-heading`}>
          <span className="builder-type">{typeLabel(t, node.type)}</span> <bdi dir="auto">{named}</bdi>
        </Heading>
        <div className="builder-node-actions">
          <button
            type="button"
            id={`${id}-up`}
            className="secondary small-button"
            disabled={index === 0}
            onClick={() => move(-1)}
            aria-label={t('reviews.builder.moveUp', { name: named })}
          >
            <span aria-hidden="true">↑</span>
          </button>
          <button
            type="button"
            id={`${id}-down`}
            className="secondary small-button"
            disabled={index === count - 1}
            onClick={() => move(1)}
            aria-label={t('reviews.builder.moveDown', { name: named })}
          >
            <span aria-hidden="true">↓</span>
          </button>
          <button
            type="button"
            className="secondary small-button"
            onClick={() => (isGroup(node) && node.children.length ? setConfirming(true) : remove())}
            aria-label={t('reviews.builder.remove', { name: named })}
          >
            <span aria-hidden="true">✕</span>
          </button>
        </div>
      </div>
      {confirming && (
        <ConfirmBox
          text={t('reviews.builder.removeSection', { name: named, n: num(countNodes(node), 0) })}
          yes={t('reviews.builder.removeYes')}
          onYes={remove}
          onNo={() => {
            setConfirming(false);
            setTimeout(() => document.getElementById(`${id}-type`)?.focus(), 0);
          }}
        />
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-type`}>{t('reviews.builder.type')}</label>
          <select id={`${id}-type`} value={node.type} onChange={(e) => setType(e.target.value as BuilderType)}>
            {BUILDER_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {typeLabel(t, ty)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('reviews.builder.name')}</label>
          <p id={`${id}-name-hint`} className="hint">
            {withExpression(t('reviews.builder.nameHint', { example: MARK }), `\${${node.name || 'name'}}`)}
          </p>
          <input
            id={`${id}-name`}
            type="text"
            dir="ltr"
            spellCheck={false}
            value={node.name}
            aria-invalid={at('name').length > 0 || undefined}
            aria-describedby={`${id}-name-hint${at('name').length ? ` ${id}-name-error` : ''}`}
            onChange={(e) => put({ ...node, name: e.target.value })}
          />
          <Problems id={`${id}-name-error`} problems={at('name')} />
        </div>
        {node.type === 'metadata' && (
          <div className="field">
            <label htmlFor={`${id}-metadata`}>{t('reviews.builder.metadata')}</label>
            <select
              id={`${id}-metadata`}
              dir="ltr"
              value={node.metadata}
              onChange={(e) => put({ ...node, metadata: e.target.value as MetadataKind })}
            >
              {METADATA_KINDS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <LangFields
        id={`${id}-label`}
        label={t('reviews.builder.label')}
        values={node.label}
        onChange={(label) => put({ ...node, label })}
      />
      <Problems id={`${id}-label-error`} problems={labelText('label')} />
      <LangFields
        id={`${id}-hint`}
        label={t('reviews.builder.hint')}
        values={node.hint}
        onChange={(hint) => put({ ...node, hint })}
      />
      {node.type !== 'metadata' &&
        textField(
          'relevant',
          t('reviews.builder.relevant'),
          withExpression(t('reviews.builder.relevantHint', { example: MARK }), '${age} >= 18'),
        )}
      {node.type === 'calculate' && textField('calculation', t('reviews.builder.calculation'))}
      {node.type === 'repeat' && textField('repeatCount', t('reviews.builder.repeatCount'))}
      <Problems
        id={`${id}-type-error`}
        problems={[...at('type'), ...at('list'), ...at('appearance'), ...at('choice_filter')]}
      />
      {isAnswerQuestion(node) && <AnswerEditor q={q} node={node} id={id} put={put} at={at} textField={textField} />}
      {isAnswerQuestion(node) && isSelectType(node.type) && (
        <ChoicesEditor
          q={q}
          onChange={onChange}
          list={q.choiceLists.find((l) => l.name === node.list)}
          id={id}
          problems={problemsAt(byKey, `list:${node.list ?? ''}`)}
        />
      )}
      {isGroup(node) && (
        <div className="builder-children">
          {node.children.length === 0 && <Problems id={`${id}-empty`} problems={at('type')} />}
          <NodeList q={q} onChange={onChange} nodes={node.children} parent={path} byKey={byKey} depth={depth + 1} />
          <div className="row builder-add">
            <AddButtons q={q} parent={path} onChange={onChange} inside={named} />
          </div>
        </div>
      )}
    </article>
  );
}

function AnswerEditor({
  node,
  id,
  put,
  at,
  textField,
}: {
  q: Questionnaire;
  node: AnswerQuestion;
  id: string;
  put: (n: QuestionNode) => void;
  at: (field: string) => QuestionnaireProblem[];
  textField: (field: 'constraint', label: string, hint?: ReactNode) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      <div className="checks builder-check">
        <label>
          <input
            type="checkbox"
            checked={node.required}
            onChange={(e) => put({ ...node, required: e.target.checked })}
          />{' '}
          {t('reviews.builder.required')}
        </label>
      </div>
      {node.required && (
        <LangFields
          id={`${id}-required-message`}
          label={t('reviews.builder.requiredMessage')}
          values={node.requiredMessage}
          onChange={(requiredMessage) => put({ ...node, requiredMessage })}
        />
      )}
      {textField(
        'constraint',
        t('reviews.builder.constraint'),
        withExpression(t('reviews.builder.constraintHint', { example: MARK }), '. >= 0'),
      )}
      <LangFields
        id={`${id}-constraint-message`}
        label={t('reviews.builder.constraintMessage')}
        values={node.constraintMessage}
        onChange={(constraintMessage) => put({ ...node, constraintMessage })}
      />
      <Problems id={`${id}-messages-error`} problems={[...at('constraint_message'), ...at('required_message')]} />
    </>
  );
}

function ChoicesEditor({
  q,
  onChange,
  list,
  id,
  problems,
}: {
  q: Questionnaire;
  onChange: (q: Questionnaire) => void;
  list: ChoiceList | undefined;
  id: string;
  problems: QuestionnaireProblem[];
}) {
  const { t } = useTranslation();
  const { num } = usePrefs();
  if (!list) return null;
  const put = (choices: ChoiceList['choices']) => onChange(replaceList(q, { ...list, choices }));
  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    if (j < 0 || j >= list.choices.length) return;
    const next = [...list.choices];
    [next[i], next[j]] = [next[j]!, next[i]!];
    put(next);
    setTimeout(() => document.getElementById(`${id}-choice-${j}-${by < 0 ? 'up' : 'down'}`)?.focus(), 0);
  };
  return (
    <fieldset className="builder-choices">
      <legend>{t('reviews.builder.choices')}</legend>
      <ol className="plain">
        {list.choices.map((c, i) => {
          const n = num(i + 1, 0);
          const cid = `${id}-choice-${i}`;
          return (
            <li key={i} className="builder-choice">
              <div className="field">
                <label htmlFor={`${cid}-name`}>{t('reviews.builder.choiceName', { n })}</label>
                <input
                  id={`${cid}-name`}
                  type="text"
                  dir="ltr"
                  spellCheck={false}
                  value={c.name}
                  onChange={(e) => put(list.choices.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
                />
              </div>
              <LangFields
                id={`${cid}-label`}
                label={t('reviews.builder.choiceLabel', { n })}
                values={c.label}
                onChange={(label) => put(list.choices.map((x, j) => (j === i ? { ...x, label } : x)))}
              />
              <div className="builder-node-actions">
                <button
                  type="button"
                  id={`${cid}-up`}
                  className="secondary small-button"
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                  aria-label={t('reviews.builder.choiceUp', { n })}
                >
                  <span aria-hidden="true">↑</span>
                </button>
                <button
                  type="button"
                  id={`${cid}-down`}
                  className="secondary small-button"
                  disabled={i === list.choices.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={t('reviews.builder.choiceDown', { n })}
                >
                  <span aria-hidden="true">↓</span>
                </button>
                <button
                  type="button"
                  className="secondary small-button"
                  onClick={() => put(list.choices.filter((_, j) => j !== i))}
                  aria-label={t('reviews.builder.choiceRemove', { n })}
                >
                  <span aria-hidden="true">✕</span>
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <Problems id={`${id}-choices-error`} problems={problems} />
      <button
        type="button"
        className="secondary"
        onClick={() => {
          let k = list.choices.length + 1;
          while (list.choices.some((c) => c.name === `choice_${k}`)) k++;
          put([...list.choices, { name: `choice_${k}`, label: {} }]);
          setTimeout(() => document.getElementById(`${id}-choice-${list.choices.length}-name`)?.focus(), 0);
        }}
      >
        {t('reviews.builder.addChoice')}
      </button>
    </fieldset>
  );
}
