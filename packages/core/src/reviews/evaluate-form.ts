/**
 * Evaluates a questionnaire against answers: which questions are relevant, which required
 * answers are missing, which constraints fail (with the author's message in the user's
 * language), what the calculations give, and which answers are not valid for their question.
 * The web form calls it as the user types; the server calls it before a submission is
 * accepted. Pure: today's date and the language come from the options.
 *
 * Answers: one object per level, by question name (groups do not nest; a repeat holds an array
 * of such objects). Types: text, long_text, indicator, knowledge_item and select_one a string;
 * integer and decimal a number; date 'YYYY-MM-DD'; select_multiple an array of choice names;
 * geopoint 'latitude longitude [altitude [accuracy]]' (ODK's text); metadata a string the app
 * fills; the text given with the choice "other" of a select with or_other under `<name>_other`.
 * Empty: absent, null, '' or []. Paths of instances: names, and the index in a repeat,
 * joined by '/': `measures/0/title`.
 */
import { evaluateExpression } from './expressions/evaluate-expression.ts';
import type { ExpressionNode } from './expressions/expression-ast.ts';
import { type ExpressionError, expressionError } from './expressions/expression-error.ts';
import { type ExpressionValue, isDateText, toBoolean, toNumber, toText } from './expressions/expression-values.ts';
import { interpolatedString, textReferences } from './expressions/interpolate-text.ts';
import { parseExpression } from './expressions/parse-expression.ts';
import { pickText } from './question-labels.ts';
import {
  type AnswerQuestion,
  type Choice,
  flattenQuestions,
  isAnswerQuestion,
  isGroup,
  type LangText,
  type LocatedNode,
  MAX_REPEAT_COUNT,
  type MetadataKind,
  OTHER_CHOICE,
  otherTextName,
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
  /** A choice of the list that the question's choice filter does not offer for these answers. */
  | 'filtered-choice'
  /** More instances of a repeat than its repeat_count gives. */
  | 'repeat-count'
  | 'unknown-question'
  | 'not-answerable'
  | 'expression-error';

/** Problems that make answers unfit to be saved at all (not merely incomplete): the server refuses them. */
export const STRUCTURAL_ISSUES: readonly FormIssueCode[] = [
  'invalid-value',
  'unknown-choice',
  'filtered-choice',
  'repeat-count',
  'unknown-question',
  'not-answerable',
];

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
  field?: ExpressionField;
  error?: ExpressionError;
  /** For unknown and filtered choices: the choice given. */
  value?: string;
  /** For a repeat with too many instances: how many its repeat_count gives. */
  count?: number;
}

type ExpressionField = 'relevant' | 'constraint' | 'calculation' | 'choice_filter' | 'repeat_count';

export interface FormState {
  /** Every question instance (and group, repeat): whether it is shown. */
  relevant: Record<string, boolean>;
  /** Values of calculate rows that are relevant. */
  calculated: Record<string, ExpressionValue>;
  /** Selects with a choice filter (relevant instances): the names of the choices offered, in the list's order. */
  choices: Record<string, string[]>;
  /** Repeats with a repeat_count (relevant instances): how many instances they have. */
  repeatCounts: Record<string, number>;
  /**
   * Nodes whose label or hint shows answers (`${name}`), by instance: the value of each name, to put in the text
   * when it is shown (interpolate-text.ts). The authors' messages in `missing` and `constraintFailures` come with
   * theirs put in already.
   */
  textValues: Record<string, Record<string, ExpressionValue>>;
  /** The questionnaire's instance_name for these answers; null without one (or when it cannot be evaluated). */
  instanceName: string | null;
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

const FIELD_KEYS: Record<ExpressionField, string> = {
  relevant: 'relevant',
  constraint: 'constraint',
  calculation: 'calculation',
  choice_filter: 'choiceFilter',
  repeat_count: 'repeatCount',
};

/** Parsed expressions of a questionnaire, kept so that a form can re-evaluate as the user types. */
const parsedCache = new WeakMap<object, Map<string, ExpressionNode | ExpressionError>>();

function parsedSource(
  owner: object,
  key: string,
  src: string | undefined,
  choiceColumns = false,
): ExpressionNode | ExpressionError | undefined {
  if (src === undefined) return undefined;
  let m = parsedCache.get(owner);
  if (!m) {
    m = new Map();
    parsedCache.set(owner, m);
  }
  let r = m.get(key);
  if (!r) {
    const p = parseExpression(src, { choiceColumns });
    r = p.ok ? p.ast : p.error;
    m.set(key, r);
  }
  return r;
}

function parsed(node: QuestionNode, field: ExpressionField): ExpressionNode | ExpressionError | undefined {
  const key = FIELD_KEYS[field];
  return parsedSource(node, key, (node as unknown as Partial<Record<string, string>>)[key], field === 'choice_filter');
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Whether a value fits a metadata question (what form-metadata.ts writes, or empty). */
function metadataFits(kind: MetadataKind, v: AnswerValue): boolean {
  if (typeof v !== 'string' || v.length > 500) return false;
  if (kind === 'start' || kind === 'end') return TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));
  if (kind === 'today') return isDateText(v);
  return true;
}

export interface Geopoint {
  latitude: number;
  longitude: number;
  altitude?: number;
  accuracy?: number;
}

/**
 * A geopoint answer read: 'latitude longitude [altitude [accuracy]]', separated by spaces (ODK's text), latitude
 * from -90 to 90, longitude from -180 to 180, accuracy not negative; null for anything else.
 */
export function parseGeopoint(v: unknown): Geopoint | null {
  if (typeof v !== 'string') return null;
  const parts = v.trim().split(/\s+/);
  if (parts.length < 2 || parts.length > 4) return null;
  if (!parts.every((x) => /^-?(\d+(\.\d*)?|\.\d+)$/.test(x))) return null;
  const [latitude, longitude, altitude, accuracy] = parts.map(Number) as [number, number, number?, number?];
  if (latitude < -90 || latitude > 90 || longitude < -180 || longitude > 180) return null;
  if (accuracy !== undefined && accuracy < 0) return null;
  return {
    latitude,
    longitude,
    ...(altitude !== undefined ? { altitude } : {}),
    ...(accuracy !== undefined ? { accuracy } : {}),
  };
}

/** A geopoint as its answer: 'latitude longitude[ altitude[ accuracy]]' (an accuracy needs an altitude: 0 if none). */
export function geopointText(p: Geopoint): string {
  const parts = [p.latitude, p.longitude];
  if (p.altitude !== undefined || p.accuracy !== undefined) parts.push(p.altitude ?? 0);
  if (p.accuracy !== undefined) parts.push(p.accuracy);
  return parts.map((n) => toText(n)).join(' ');
}

const isAst = (r: ExpressionNode | ExpressionError): r is ExpressionNode => 'kind' in r;

export function evaluateForm(q: Questionnaire, answers: AnswerSet, options: FormOptions): FormState {
  const located = flattenQuestions(q.questions);
  const byName = new Map<string, LocatedNode>(located.map((l) => [l.node.name, l]));
  const choicesOf = new Map(q.choiceLists.map((l) => [l.name, l.choices]));
  const lists = new Map(q.choiceLists.map((l) => [l.name, new Set(l.choices.map((c) => c.name))]));
  /** `<name>_other` of the selects with or_other → their select. */
  const otherTexts = new Map<string, LocatedNode>();
  for (const l of located)
    if (isAnswerQuestion(l.node) && l.node.orOther && !byName.has(otherTextName(l.node.name)))
      otherTexts.set(otherTextName(l.node.name), l);
  const state: FormState = {
    relevant: {},
    calculated: {},
    choices: {},
    repeatCounts: {},
    textValues: {},
    instanceName: null,
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

  /** The value `${name}` reads from a node in these repeats at these indices (undefined: no such question). */
  const referenceValue = (
    name: string,
    position: number,
    repeats: string[],
    indices: number[],
  ): ExpressionValue | ExpressionError | undefined => {
    const target = byName.get(name) ?? otherTexts.get(name);
    if (!target || isGroup(target.node)) return undefined;
    if (!target.repeats.every((r, i) => repeats[i] === r)) {
      return expressionError(
        'unreachable-reference',
        position,
        `\${${name}} is inside a repeat and cannot be read from here.`,
        name,
      );
    }
    if (target.node.name !== name) return otherTextValue(target, indices);
    return valueFor(target, indices);
  };

  const evaluate = (
    ast: ExpressionNode | ExpressionError | undefined,
    repeats: string[],
    indices: number[],
    current?: ExpressionValue,
    column?: (name: string) => string | undefined,
  ) => {
    if (ast === undefined) return undefined;
    if (!isAst(ast)) return { ok: false as const, error: ast };
    return evaluateExpression(ast, {
      today: options.today,
      current,
      column,
      reference: (name, position) => referenceValue(name, position, repeats, indices),
    });
  };
  const run = (loc: LocatedNode, field: ExpressionField, indices: number[], current?: ExpressionValue) =>
    evaluate(parsed(loc.node, field), loc.repeats, indices, current);

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

  /** The text given with "other": '' unless its select is relevant and has "other" chosen. */
  const otherTextValue = (select: LocatedNode, indices: number[]): ExpressionValue | ExpressionError => {
    const v = valueFor(select, indices);
    if (typeof v === 'object') return v;
    if (!toText(v).split(/\s+/).includes(OTHER_CHOICE)) return '';
    const given = answerSetAt(select, indices)?.[otherTextName(select.node.name)];
    return typeof given === 'string' ? given : '';
  };

  /** The values of the `${name}` a text shows (names that cannot be read are left out: shown as written). */
  const valuesForTexts = (loc: LocatedNode, indices: number[], texts: LangText[]) => {
    const out: Record<string, ExpressionValue> = {};
    for (const t of texts)
      for (const value of Object.values(t))
        for (const ref of textReferences(value)) {
          if (Object.hasOwn(out, ref.name)) continue;
          const v = referenceValue(ref.name, ref.position, loc.repeats, indices);
          if (v !== undefined && typeof v !== 'object') out[ref.name] = v;
        }
    return out;
  };
  /** An author's message in the user's language, with the answers it shows put in. */
  const message = (loc: LocatedNode, indices: number[], t: LangText) => {
    const m = text(t);
    if (!m) return null;
    const values = valuesForTexts(loc, indices, [{ [m.language]: m.text }]);
    return {
      text: interpolatedString(m.text, (n) => (Object.hasOwn(values, n) ? toText(values[n]!) : undefined)),
      language: m.language,
    };
  };

  const expressionIssue = (path: string, node: QuestionNode, field: ExpressionField, error: ExpressionError) => {
    state.invalid.push({ code: 'expression-error', path, name: node.name, message: null, field, error });
  };

  const checkAnswer = (node: AnswerQuestion, path: string, v: AnswerValue | undefined) => {
    const invalid = () => state.invalid.push({ code: 'invalid-value', path, name: node.name, message: null });
    if (isEmpty(v)) return;
    const known = (x: string) => lists.get(node.list ?? '')?.has(x) || (node.orOther && x === OTHER_CHOICE);
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
      case 'geopoint':
        if (!parseGeopoint(v)) invalid();
        return;
      case 'select_one': {
        if (typeof v !== 'string') {
          invalid();
          return;
        }
        if (!known(v)) state.invalid.push({ code: 'unknown-choice', path, name: node.name, message: null, value: v });
        return;
      }
      case 'select_multiple': {
        if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string') || new Set(v).size !== v.length) {
          invalid();
          return;
        }
        for (const x of v)
          if (!known(x)) state.invalid.push({ code: 'unknown-choice', path, name: node.name, message: null, value: x });
        return;
      }
      default:
        if (typeof v !== 'string') invalid();
    }
  };

  /** The choices a filtered select offers at these indices, or an expression error. */
  const offered = (loc: LocatedNode, node: AnswerQuestion, indices: number[]): string[] | ExpressionError => {
    const ast = parsed(node, 'choice_filter');
    const choices: Choice[] = choicesOf.get(node.list ?? '') ?? [];
    const columns = new Set(['name', ...choices.flatMap((c) => Object.keys(c.properties ?? {}))]);
    const out: string[] = [];
    for (const c of choices) {
      const r = evaluate(ast, loc.repeats, indices, undefined, (name) =>
        name === 'name'
          ? c.name
          : c.properties && Object.hasOwn(c.properties, name)
            ? c.properties[name]!
            : columns.has(name)
              ? ''
              : undefined,
      );
      if (!r) return choices.map((x) => x.name);
      if (!r.ok) return r.error;
      if (toBoolean(r.value) && !out.includes(c.name)) out.push(c.name);
    }
    if (node.orOther && !out.includes(OTHER_CHOICE)) out.push(OTHER_CHOICE);
    return out;
  };

  const walk = (nodes: QuestionNode[], set: AnswerSet, indices: number[], prefix: string) => {
    const namesIn = (n: QuestionNode): string[] =>
      n.type === 'group'
        ? [n.name, ...n.children.flatMap(namesIn)]
        : isAnswerQuestion(n) && n.orOther
          ? [n.name, otherTextName(n.name)]
          : [n.name];
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
      if (rel === true && node.type !== 'calculate' && node.type !== 'metadata') {
        const values = valuesForTexts(loc, indices, [node.label, node.hint]);
        if (Object.keys(values).length) state.textValues[path] = values;
      }
      if (node.type === 'group') {
        node.children.forEach(visit);
        return;
      }
      if (node.type === 'repeat') {
        const instances = answerIn(set, node.name);
        if (
          instances !== undefined &&
          instances !== null &&
          (!Array.isArray(instances) ||
            !instances.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x)))
        ) {
          state.invalid.push({ code: 'invalid-value', path, name: node.name, message: null });
          return;
        }
        const given = (instances ?? []) as AnswerSet[];
        let count = given.length;
        if (rel === true && node.repeatCount !== undefined) {
          const r = run(loc, 'repeat_count', indices);
          if (r && !r.ok) expressionIssue(path, node, 'repeat_count', r.error);
          else if (r) {
            const n = Math.trunc(toNumber(r.value));
            count = Number.isFinite(n) ? Math.min(MAX_REPEAT_COUNT, Math.max(0, n)) : 0;
            state.repeatCounts[path] = count;
            if (given.length > count)
              state.invalid.push({ code: 'repeat-count', path, name: node.name, message: null, count });
          }
        }
        for (let i = 0; i < Math.max(count, given.length); i++)
          walk(node.children, given[i] ?? {}, [...indices, i], `${path}/${i}/`);
        return;
      }
      if (node.type === 'calculate') {
        const v = valueFor(loc, indices);
        if (typeof v === 'object') expressionIssue(path, node, 'calculation', v);
        else if (rel === true) state.calculated[path] = v;
        return;
      }
      if (node.type === 'metadata') {
        const v = answerIn(set, node.name);
        if (!isEmpty(v) && !metadataFits(node.metadata, v!))
          state.invalid.push({ code: 'invalid-value', path, name: node.name, message: null });
        return;
      }
      if (!isAnswerQuestion(node)) return;
      const given = answerIn(set, node.name);
      checkAnswer(node, path, given);
      const otherPath = `${path}_other`;
      if (node.orOther) {
        const otherGiven = answerIn(set, otherTextName(node.name));
        if (!isEmpty(otherGiven) && typeof otherGiven !== 'string')
          state.invalid.push({ code: 'invalid-value', path: otherPath, name: otherTextName(node.name), message: null });
        const chosenOther =
          rel === true &&
          (given === OTHER_CHOICE || (Array.isArray(given) && (given as unknown[]).includes(OTHER_CHOICE)));
        state.relevant[otherPath] = chosenOther;
        if (chosenOther && node.required && isEmpty(otherGiven))
          state.missing.push({ code: 'required', path: otherPath, name: otherTextName(node.name), message: null });
      }
      if (rel !== true) return;
      if (node.choiceFilter !== undefined) {
        const allowed = offered(loc, node, indices);
        if (!Array.isArray(allowed)) expressionIssue(path, node, 'choice_filter', allowed);
        else {
          state.choices[path] = allowed;
          const chosen = typeof given === 'string' ? [given] : Array.isArray(given) ? given : [];
          for (const x of chosen)
            if (typeof x === 'string' && !allowed.includes(x) && (lists.get(node.list ?? '')?.has(x) ?? false))
              state.invalid.push({ code: 'filtered-choice', path, name: node.name, message: null, value: x });
        }
      }
      if (isEmpty(given)) {
        if (node.required) {
          const m = message(loc, indices, node.requiredMessage);
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
        const m = message(loc, indices, node.constraintMessage);
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
  if (q.instanceName !== undefined) {
    const r = evaluate(parsedSource(q, 'instanceName', q.instanceName), [], []);
    if (r?.ok) state.instanceName = toText(r.value).trim().slice(0, 500) || null;
  }
  state.complete = !state.missing.length && !state.constraintFailures.length && !state.invalid.length;
  return state;
}

/**
 * Answers with every repeat cut to the number of instances its repeat_count gives (a form applies it as the count
 * goes down, so that answers beyond it are not kept). Paths as in FormState.repeatCounts.
 */
export function fitRepeatCounts(answers: AnswerSet, repeatCounts: Record<string, number>): AnswerSet {
  const fit = (set: AnswerSet, prefix: string): AnswerSet => {
    let out = set;
    for (const [name, v] of Object.entries(set)) {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x))) continue;
      const path = prefix + name;
      const count = repeatCounts[path];
      let list = v as AnswerSet[];
      if (count !== undefined && list.length > count) list = list.slice(0, count);
      const fitted = list.map((inst, i) => fit(inst, `${path}/${i}/`));
      if (fitted.length !== v.length || fitted.some((x, i) => x !== v[i])) {
        if (out === set) out = { ...set };
        out[name] = fitted;
      }
    }
    return out;
  };
  return fit(answers, '');
}
