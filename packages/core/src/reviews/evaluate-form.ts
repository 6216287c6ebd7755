/**
 * Evaluates a questionnaire against answers: which questions are relevant, which required
 * answers are missing, which constraints fail (with the author's message in the user's
 * language), what the calculations give, and which answers are not valid for their question.
 * The web form calls it as the user types; the server calls it before a submission is
 * accepted. Pure: today's date and the language come from the options.
 *
 * Answers: one object per level, by question name (groups do not nest; a repeat holds an array
 * of such objects). Types: text, long_text, indicator, knowledge_item and select_one a string;
 * integer and decimal a number; date 'YYYY-MM-DD'; select_multiple an array of choice names.
 * Empty: absent, null, '' or []. Paths of instances: names, and the index in a repeat,
 * joined by '/': `measures/0/title`.
 */
import { evaluateExpression } from './expressions/evaluate-expression.ts';
import type { ExpressionNode } from './expressions/expression-ast.ts';
import { type ExpressionError, expressionError } from './expressions/expression-error.ts';
import { type ExpressionValue, isDateText, toBoolean } from './expressions/expression-values.ts';
import { parseExpression } from './expressions/parse-expression.ts';
import { pickText } from './question-labels.ts';
import {
  type AnswerQuestion,
  flattenQuestions,
  isAnswerQuestion,
  isGroup,
  type LocatedNode,
  type QuestionNode,
  type Questionnaire,
} from './questionnaire.ts';

export type AnswerValue = string | number | string[] | AnswerSet[] | null;
export interface AnswerSet {
  [name: string]: AnswerValue | undefined;
}

/**
 * The answer to the question of this name in a set: an own property only, so that a question
 * named constructor or toString is unanswered until it is answered (not Object's method).
 */
export function answerIn(set: AnswerSet, name: string): AnswerValue | undefined {
  return Object.hasOwn(set, name) ? set[name] : undefined;
}

export type FormIssueCode =
  | 'required'
  | 'constraint'
  | 'invalid-value'
  | 'unknown-choice'
  | 'unknown-question'
  | 'not-answerable'
  | 'expression-error';

export interface FormIssue {
  code: FormIssueCode;
  /** The instance: `name`, or `repeat/0/name` inside a repeat. */
  path: string;
  name: string;
  /**
   * The author's message in the user's language (constraint_message, required_message), or
   * null when the questionnaire has none (the page then shows its own text for the code).
   */
  message: string | null;
  /** The language of `message`. */
  language?: string;
  /** For expression errors: which expression and what went wrong. */
  field?: 'relevant' | 'constraint' | 'calculation';
  error?: ExpressionError;
  /** For unknown choices: the choice given. */
  value?: string;
}

export interface FormState {
  /** Every question instance (and group, repeat): whether it is shown. */
  relevant: Record<string, boolean>;
  /** Values of calculate rows that are relevant. */
  calculated: Record<string, ExpressionValue>;
  /** Required answers that are missing (relevant questions only). */
  missing: FormIssue[];
  /** Constraints that fail on non-empty answers of relevant questions. */
  constraintFailures: FormIssue[];
  /**
   * Answers that do not fit their question (type, choice, unknown name), and expressions that could not be evaluated.
   */
  invalid: FormIssue[];
  /** No missing answer, failed constraint or invalid answer. */
  complete: boolean;
}

export interface FormOptions {
  /** Today's date, 'YYYY-MM-DD' (the server's or the browser's; tests fix it). */
  today: string;
  /** The user's language, for the authors' messages (question-labels.ts). */
  language: string;
}

const isEmpty = (v: AnswerValue | undefined) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Parsed expressions of a questionnaire, kept so that a form can re-evaluate as the user types. */
const parsedCache = new WeakMap<QuestionNode, Map<string, ExpressionNode | ExpressionError>>();

function parsed(
  node: QuestionNode,
  field: 'relevant' | 'constraint' | 'calculation',
): ExpressionNode | ExpressionError | undefined {
  const src = (node as Partial<Record<typeof field, string>>)[field];
  if (src === undefined) return undefined;
  let m = parsedCache.get(node);
  if (!m) {
    m = new Map();
    parsedCache.set(node, m);
  }
  let r = m.get(field);
  if (!r) {
    const p = parseExpression(src);
    r = p.ok ? p.ast : p.error;
    m.set(field, r);
  }
  return r;
}

const isAst = (r: ExpressionNode | ExpressionError): r is ExpressionNode => 'kind' in r;

export function evaluateForm(q: Questionnaire, answers: AnswerSet, options: FormOptions): FormState {
  const located = flattenQuestions(q.questions);
  const byName = new Map<string, LocatedNode>(located.map((l) => [l.node.name, l]));
  const lists = new Map(q.choiceLists.map((l) => [l.name, new Set(l.choices.map((c) => c.name))]));
  const state: FormState = {
    relevant: {},
    calculated: {},
    missing: [],
    constraintFailures: [],
    invalid: [],
    complete: true,
  };
  const text = (t: Record<string, string>) => pickText(t, options.language, q);

  /** The answer set of a target at the given repeat indices (the context's, truncated to the target's depth). */
  const answerSetAt = (loc: LocatedNode, indices: number[]): AnswerSet | undefined => {
    let set: AnswerSet | undefined = answers;
    loc.repeats.forEach((r, depth) => {
      const instances = set ? answerIn(set, r) : undefined;
      set = Array.isArray(instances) ? (instances[indices[depth]!] as AnswerSet | undefined) : undefined;
    });
    return set;
  };

  const asValue = (node: QuestionNode, v: AnswerValue | undefined): ExpressionValue => {
    if (isEmpty(v)) return '';
    if (node.type === 'select_multiple' && Array.isArray(v)) return v.join(' ');
    if (typeof v === 'number' || typeof v === 'string') return v;
    return '';
  };

  const relevantMemo = new Map<string, boolean | ExpressionError>();
  const valueMemo = new Map<string, ExpressionValue | ExpressionError>();
  const inProgress = new Set<string>();
  const keyOf = (loc: LocatedNode, indices: number[]) =>
    `${loc.node.name}@${indices.slice(0, loc.repeats.length).join('.')}`;

  const run = (
    loc: LocatedNode,
    field: 'relevant' | 'constraint' | 'calculation',
    indices: number[],
    current?: ExpressionValue,
  ) => {
    const ast = parsed(loc.node, field);
    if (ast === undefined) return undefined;
    if (!isAst(ast)) return { ok: false as const, error: ast };
    return evaluateExpression(ast, {
      today: options.today,
      current,
      reference: (name, position) => {
        const target = byName.get(name);
        if (!target || isGroup(target.node)) return undefined;
        if (!target.repeats.every((r, i) => loc.repeats[i] === r)) {
          return expressionError(
            'unreachable-reference',
            position,
            `\${${name}} is inside a repeat and cannot be read from here.`,
            name,
          );
        }
        return valueFor(target, indices);
      },
    });
  };

  /** Whether a node instance is relevant: its groups are, and its own expression holds. */
  const relevantOf = (loc: LocatedNode, indices: number[]): boolean | ExpressionError => {
    const key = keyOf(loc, indices);
    const memo = relevantMemo.get(key);
    if (memo !== undefined) return memo;
    const cycleKey = `relevant:${key}`;
    if (inProgress.has(cycleKey))
      return expressionError('cycle', 0, `The relevance of "${loc.node.name}" depends on itself.`, loc.node.name);
    inProgress.add(cycleKey);
    let result: boolean | ExpressionError = true;
    const parent = loc.ancestors.length ? byName.get(loc.ancestors[loc.ancestors.length - 1]!) : undefined;
    if (parent) result = relevantOf(parent, indices);
    if (result === true) {
      const r = run(loc, 'relevant', indices);
      if (r) result = r.ok ? toBoolean(r.value) : r.error;
    }
    inProgress.delete(cycleKey);
    relevantMemo.set(key, result);
    return result;
  };

  /** The value `${name}` reads: '' when not relevant; a calculation's result; else the answer. */
  const valueFor = (loc: LocatedNode, indices: number[]): ExpressionValue | ExpressionError => {
    const key = keyOf(loc, indices);
    const memo = valueMemo.get(key);
    if (memo !== undefined) return memo;
    if (inProgress.has(key))
      return expressionError('cycle', 0, `The value of "${loc.node.name}" depends on itself.`, loc.node.name);
    inProgress.add(key);
    let result: ExpressionValue | ExpressionError;
    const rel = relevantOf(loc, indices);
    if (rel !== true) result = rel === false ? '' : rel;
    else if (loc.node.type === 'calculate') {
      const r = run(loc, 'calculation', indices);
      result = !r ? '' : r.ok ? r.value : r.error;
    } else if (loc.node.type === 'note') result = '';
    else result = asValue(loc.node, answerSetAt(loc, indices)?.[loc.node.name]);
    inProgress.delete(key);
    valueMemo.set(key, result);
    return result;
  };

  const expressionIssue = (path: string, node: QuestionNode, field: FormIssue['field'], error: ExpressionError) => {
    state.invalid.push({ code: 'expression-error', path, name: node.name, message: null, field, error });
  };

  const checkAnswer = (node: AnswerQuestion, path: string, v: AnswerValue | undefined) => {
    const invalid = () => state.invalid.push({ code: 'invalid-value', path, name: node.name, message: null });
    if (isEmpty(v)) return;
    switch (node.type) {
      case 'integer':
        if (typeof v !== 'number' || !Number.isInteger(v)) invalid();
        return;
      case 'decimal':
        if (typeof v !== 'number' || !Number.isFinite(v)) invalid();
        return;
      case 'date':
        if (typeof v !== 'string' || !isDateText(v)) invalid();
        return;
      case 'select_one': {
        if (typeof v !== 'string') {
          invalid();
          return;
        }
        if (!lists.get(node.list ?? '')?.has(v))
          state.invalid.push({ code: 'unknown-choice', path, name: node.name, message: null, value: v });
        return;
      }
      case 'select_multiple': {
        if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string') || new Set(v).size !== v.length) {
          invalid();
          return;
        }
        for (const x of v)
          if (!lists.get(node.list ?? '')?.has(x))
            state.invalid.push({ code: 'unknown-choice', path, name: node.name, message: null, value: x });
        return;
      }
      default:
        if (typeof v !== 'string') invalid();
    }
  };

  const walk = (nodes: QuestionNode[], set: AnswerSet, indices: number[], prefix: string) => {
    const namesIn = (n: QuestionNode): string[] =>
      n.type === 'group' ? [n.name, ...n.children.flatMap(namesIn)] : [n.name];
    const names = new Set(nodes.flatMap(namesIn));
    for (const given of Object.keys(set)) {
      const loc = byName.get(given);
      if (!names.has(given))
        state.invalid.push({ code: 'unknown-question', path: prefix + given, name: given, message: null });
      else if (
        loc &&
        (loc.node.type === 'note' || loc.node.type === 'calculate' || loc.node.type === 'group') &&
        !isEmpty(set[given])
      ) {
        state.invalid.push({ code: 'not-answerable', path: prefix + given, name: given, message: null });
      }
    }
    const visit = (node: QuestionNode) => {
      const loc = byName.get(node.name)!;
      const path = prefix + node.name;
      const rel = relevantOf(loc, indices);
      if (rel !== true && rel !== false) expressionIssue(path, node, 'relevant', rel);
      state.relevant[path] = rel === true;
      if (node.type === 'group') {
        node.children.forEach(visit);
        return;
      }
      if (node.type === 'repeat') {
        const instances = answerIn(set, node.name);
        if (instances === undefined || instances === null) return;
        if (
          !Array.isArray(instances) ||
          !instances.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x))
        ) {
          state.invalid.push({ code: 'invalid-value', path, name: node.name, message: null });
          return;
        }
        (instances as AnswerSet[]).forEach((inst, i) => {
          walk(node.children, inst, [...indices, i], `${path}/${i}/`);
        });
        return;
      }
      if (node.type === 'calculate') {
        const v = valueFor(loc, indices);
        if (typeof v === 'object') expressionIssue(path, node, 'calculation', v);
        else if (rel === true) state.calculated[path] = v;
        return;
      }
      if (!isAnswerQuestion(node)) return;
      const given = answerIn(set, node.name);
      checkAnswer(node, path, given);
      if (rel !== true) return;
      if (isEmpty(given)) {
        if (node.required) {
          const m = text(node.requiredMessage);
          state.missing.push({
            code: 'required',
            path,
            name: node.name,
            message: m?.text ?? null,
            ...(m ? { language: m.language } : {}),
          });
        }
        return;
      }
      const r = run(loc, 'constraint', indices, asValue(node, given));
      if (!r) return;
      if (!r.ok) expressionIssue(path, node, 'constraint', r.error);
      else if (!toBoolean(r.value)) {
        const m = text(node.constraintMessage);
        state.constraintFailures.push({
          code: 'constraint',
          path,
          name: node.name,
          message: m?.text ?? null,
          ...(m ? { language: m.language } : {}),
        });
      }
    };
    nodes.forEach(visit);
  };
  walk(q.questions, answers, [], '');
  state.complete = !state.missing.length && !state.constraintFailures.length && !state.invalid.length;
  return state;
}
