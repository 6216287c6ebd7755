/**
 * The questionnaire builder's edits of core's questionnaire model (packages/core/src/reviews/questionnaire.ts): the
 * tree of questions addressed by paths of indices, choice lists kept one per select, and the definition sent to the
 * API (empty texts dropped, the languages that have text listed). The same model the XLSForm import fills.
 */
import {
  ANSWER_TYPES,
  type AnswerQuestion,
  type ChoiceList,
  checkQuestionnaire,
  isGroup,
  type LangText,
  type QuestionNode,
  type Questionnaire,
  type QuestionnaireProblem,
} from '@marsad/core';

/** The six languages of the app, the order in which a saved questionnaire lists those that have text. */
export const BUILDER_LANGS = ['ar', 'en', 'fr', 'es', 'ru', 'zh'] as const;

/** The types a question may have in the builder: every type of the model. */
export const BUILDER_TYPES = [...ANSWER_TYPES, 'note', 'calculate', 'metadata', 'group', 'repeat'] as const;
export type BuilderType = (typeof BUILDER_TYPES)[number];

export const isSelectType = (type: string) => type === 'select_one' || type === 'select_multiple';

export function emptyQuestionnaire(): Questionnaire {
  return { formId: '', title: '', version: '', languages: [], questions: [], choiceLists: [] };
}

/** The nodes at a path's level and the node there. */
export function nodeAt(questions: QuestionNode[], path: number[]): QuestionNode | undefined {
  let nodes = questions;
  let node: QuestionNode | undefined;
  for (const i of path) {
    node = nodes[i];
    if (!node) return undefined;
    nodes = isGroup(node) ? node.children : [];
  }
  return node;
}

/** The list of nodes at a path's parent, changed by `fn` (a new tree; the rest shared). */
function editSiblings(
  questions: QuestionNode[],
  parent: number[],
  fn: (siblings: QuestionNode[]) => QuestionNode[],
): QuestionNode[] {
  if (!parent.length) return fn(questions);
  const [head, ...rest] = parent;
  return questions.map((n, i) =>
    i === head && isGroup(n) ? { ...n, children: editSiblings(n.children, rest, fn) } : n,
  );
}

export function replaceNode(questions: QuestionNode[], path: number[], node: QuestionNode): QuestionNode[] {
  const i = path[path.length - 1]!;
  return editSiblings(questions, path.slice(0, -1), (s) => s.map((n, j) => (j === i ? node : n)));
}

export function removeNode(questions: QuestionNode[], path: number[]): QuestionNode[] {
  const i = path[path.length - 1]!;
  return editSiblings(questions, path.slice(0, -1), (s) => s.filter((_, j) => j !== i));
}

/** Moves a node one place up (-1) or down (+1) among its siblings; the path it then has. */
export function moveNode(questions: QuestionNode[], path: number[], by: -1 | 1): QuestionNode[] {
  const i = path[path.length - 1]!;
  return editSiblings(questions, path.slice(0, -1), (s) => {
    const j = i + by;
    if (j < 0 || j >= s.length) return s;
    const next = [...s];
    [next[i], next[j]] = [next[j]!, next[i]!];
    return next;
  });
}

/** Adds a node at the end of a group's children (or of the questionnaire, for the empty path). */
export function appendNode(questions: QuestionNode[], parent: number[], node: QuestionNode): QuestionNode[] {
  return editSiblings(questions, parent, (s) => [...s, node]);
}

/** Every name in use (questions, groups, lists). */
function namesOf(q: Questionnaire): Set<string> {
  const out = new Set<string>(q.choiceLists.map((l) => l.name));
  const walk = (nodes: QuestionNode[]) => {
    for (const n of nodes) {
      out.add(n.name);
      if (isGroup(n)) walk(n.children);
    }
  };
  walk(q.questions);
  return out;
}

/** A name not yet used: `base`, `base_2`, `base_3`, …. */
export function freshName(q: Questionnaire, base: string): string {
  const used = namesOf(q);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** A new node of a type, keeping what the old one had in common (name, label, hint, relevance). */
export function nodeOfType(
  type: BuilderType,
  from: Pick<QuestionNode, 'name' | 'label' | 'hint' | 'relevant'>,
  list?: string,
): QuestionNode {
  const base = {
    name: from.name,
    label: from.label,
    hint: from.hint,
    ...(from.relevant !== undefined ? { relevant: from.relevant } : {}),
  };
  if (type === 'group' || type === 'repeat') return { ...base, type, children: [] };
  if (type === 'note') return { ...base, type };
  if (type === 'calculate') return { ...base, type, calculation: '' };
  if (type === 'metadata') return { ...base, type, metadata: 'start' };
  const q: AnswerQuestion = { ...base, type, required: false, requiredMessage: {}, constraintMessage: {} };
  if (isSelectType(type) && list) q.list = list;
  return q;
}

/** The list a select reads, made when it has none (named after the question). */
export function withOwnList(q: Questionnaire, node: AnswerQuestion): { q: Questionnaire; node: AnswerQuestion } {
  if (node.list && q.choiceLists.some((l) => l.name === node.list)) return { q, node };
  const name = freshName(q, `${node.name || 'choices'}_list`);
  return { q: { ...q, choiceLists: [...q.choiceLists, { name, choices: [] }] }, node: { ...node, list: name } };
}

export function replaceList(q: Questionnaire, list: ChoiceList): Questionnaire {
  return { ...q, choiceLists: q.choiceLists.map((l) => (l.name === list.name ? list : l)) };
}

const cleanText = (t: LangText): LangText => Object.fromEntries(Object.entries(t).filter(([, v]) => v.trim() !== ''));

/** An optional expression: absent when empty. */
const expr = <K extends string>(key: K, v: string | undefined): Partial<Record<K, string>> =>
  v !== undefined && v.trim() !== '' ? ({ [key]: v } as Record<K, string>) : {};

function cleanNode(n: QuestionNode): QuestionNode {
  const { relevant, ...rest } = n;
  const base = { ...rest, label: cleanText(n.label), hint: cleanText(n.hint), ...expr('relevant', relevant) };
  if (isGroup(n)) {
    const { repeatCount, ...g } = base as typeof base & { children: QuestionNode[]; repeatCount?: string };
    return {
      ...g,
      type: n.type,
      children: n.children.map(cleanNode),
      ...(n.type === 'repeat' ? expr('repeatCount', repeatCount) : {}),
    } as QuestionNode;
  }
  if (n.type === 'note' || n.type === 'metadata' || n.type === 'calculate') return base as QuestionNode;
  const a = base as AnswerQuestion;
  const { constraint, choiceFilter, ...others } = a;
  return {
    ...others,
    requiredMessage: cleanText(a.requiredMessage),
    constraintMessage: cleanText(a.constraintMessage),
    ...expr('constraint', constraint),
    ...expr('choiceFilter', choiceFilter),
  };
}

/** Every language key that has text in the questionnaire. */
function usedLanguages(q: Questionnaire): Set<string> {
  const out = new Set<string>();
  const add = (t: LangText) => {
    for (const k of Object.keys(t)) out.add(k);
  };
  const walk = (nodes: QuestionNode[]) => {
    for (const n of nodes) {
      add(n.label);
      add(n.hint);
      if ('requiredMessage' in n) add(n.requiredMessage);
      if ('constraintMessage' in n) add(n.constraintMessage);
      if (isGroup(n)) walk(n.children);
    }
  };
  walk(q.questions);
  for (const l of q.choiceLists) for (const c of l.choices) add(c.label);
  return out;
}

/**
 * The definition as it is checked and saved: empty texts and expressions dropped, lists no select reads dropped, the
 * languages with text listed (those the questionnaire had first, with their workbook names, then the app's order).
 */
export function definitionOf(q: Questionnaire): Questionnaire {
  const questions = q.questions.map(cleanNode);
  const lists = new Set<string>();
  const walk = (nodes: QuestionNode[]) => {
    for (const n of nodes) {
      if ('list' in n && n.list) lists.add(n.list);
      if (isGroup(n)) walk(n.children);
    }
  };
  walk(questions);
  const choiceLists = q.choiceLists
    .filter((l) => lists.has(l.name))
    .map((l) => ({ ...l, choices: l.choices.map((c) => ({ ...c, label: cleanText(c.label) })) }));
  const out: Questionnaire = { ...q, formId: q.formId.trim(), title: q.title.trim(), questions, choiceLists };
  const used = usedLanguages(out);
  const kept = q.languages.filter((l) => used.has(l.code) || l.code === q.defaultLanguage);
  const extra = [...BUILDER_LANGS, ...used].filter((c, i, all) => all.indexOf(c) === i && used.has(c));
  out.languages = [
    ...kept,
    ...extra.filter((c) => !kept.some((l) => l.code === c)).map((code) => ({ code, name: null })),
  ];
  return out;
}

/** Where a problem shows in the builder: next to a question's field, a list's choices, or the settings. */
export function problemKey(def: Questionnaire, p: QuestionnaireProblem): string {
  if (p.at.sheet === 'survey') return `q:${p.at.path.join('.')}:${p.at.field}`;
  if (p.at.sheet === 'choices') return `list:${def.choiceLists[p.at.list]?.name ?? ''}`;
  return `settings:${p.at.field}`;
}

/** The builder's checks: core's checkQuestionnaire on the definition as it would be saved, by where they show. */
export function checkBuilt(q: Questionnaire): {
  def: Questionnaire;
  problems: QuestionnaireProblem[];
  byKey: Map<string, QuestionnaireProblem[]>;
} {
  const def = definitionOf(q);
  const problems = checkQuestionnaire(def);
  const byKey = new Map<string, QuestionnaireProblem[]>();
  for (const p of problems) {
    const k = problemKey(def, p);
    byKey.set(k, [...(byKey.get(k) ?? []), p]);
  }
  return { def, problems, byKey };
}
