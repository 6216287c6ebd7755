/**
 * The checks every questionnaire passes before it is saved, whether it comes from an XLSForm
 * workbook or from the app's builder (the server runs the same function for both; the XLSForm
 * reader maps each problem's place back to a sheet, row and column). Every problem is listed.
 */

import type { ExpressionError } from './expressions/expression-error.ts';
import { textReferences } from './expressions/interpolate-text.ts';
import { NAME_PATTERN, parseExpression } from './expressions/parse-expression.ts';
import { GUIDELINE_THEME_CODES, isGuidelineTheme, isRecordKind, RECORD_KINDS } from './guideline-themes.ts';
import {
  flattenQuestions,
  isAnswerQuestion,
  isGroup,
  type LangText,
  type LocatedNode,
  otherTextName,
  type QuestionNode,
  type Questionnaire,
} from './questionnaire.ts';

/**
 * Where a problem is: the XLSForm sheet, the question (its position in the tree), choice or
 * setting, and the field, named as the XLSForm column (`list` is the list named in `type`).
 */
export type ProblemPlace =
  | { sheet: 'survey'; path: number[]; field: string; language?: string }
  | { sheet: 'choices'; list: number; choice?: number; field: string; language?: string }
  | { sheet: 'settings'; field: string };

export type QuestionnaireProblemCode =
  | 'missing'
  | 'bad-name'
  | 'duplicate-name'
  | 'unknown-list'
  | 'list-not-allowed'
  | 'empty-list'
  | 'duplicate-list'
  | 'duplicate-choice'
  | 'unknown-language'
  | 'duplicate-language'
  | 'missing-label'
  | 'empty-group'
  | 'bad-appearance'
  | 'bad-theme'
  | 'group-reference'
  | 'text-reference'
  | 'cycle'
  /** A field the node's type does not take (or_other or choice_filter on a non-select, repeat_count on a group). */
  | 'field-not-allowed'
  /** A select with or_other whose `<name>_other` is the name of another question. */
  | 'other-name-taken'
  /** A metadata question inside a repeat (the app fills metadata once per submission). */
  | 'metadata-in-repeat'
  | `expression:${ExpressionError['code']}`;

export interface QuestionnaireProblem {
  code: QuestionnaireProblemCode;
  at: ProblemPlace;
  /** The question or choice concerned (its name), when there is one. */
  question?: string;
  /** The unsupported or unknown name (function, reference, list, language), when there is one. */
  name?: string;
  /** Offset in an expression, from 0. */
  position?: number;
  message: string;
}

/** Appearances kept from a workbook, by question type; others are refused. */
export const ALLOWED_APPEARANCES: Record<string, readonly string[]> = {
  select_one: ['minimal', 'horizontal', 'horizontal-compact', 'likert', 'autocomplete'],
  select_multiple: ['minimal', 'horizontal', 'horizontal-compact', 'autocomplete'],
  group: ['field-list'],
  geopoint: ['maps', 'placement-map'],
};

/** The expressions of a node: the XLSForm column and the model's field. */
const EXPRESSION_FIELDS = [
  ['relevant', 'relevant'],
  ['constraint', 'constraint'],
  ['calculation', 'calculation'],
  ['choice_filter', 'choiceFilter'],
  ['repeat_count', 'repeatCount'],
] as const;

export function checkQuestionnaire(q: Questionnaire): QuestionnaireProblem[] {
  const problems: QuestionnaireProblem[] = [];
  const add = (p: QuestionnaireProblem) => problems.push(p);

  // Settings.
  if (!q.formId.trim())
    add({
      code: 'missing',
      at: { sheet: 'settings', field: 'form_id' },
      message:
        'The questionnaire needs an identifier (settings form_id; an imported workbook without one takes its file name).',
    });
  else if (!NAME_PATTERN.test(q.formId))
    add({
      code: 'bad-name',
      at: { sheet: 'settings', field: 'form_id' },
      name: q.formId,
      message: `"${q.formId}" is not a valid form_id: a letter or _, then letters, digits, _, - or .`,
    });
  if (q.formId.trim() && !q.title.trim())
    add({
      code: 'missing',
      at: { sheet: 'settings', field: 'form_title' },
      message: 'The questionnaire needs a title (settings form_title).',
    });

  // Languages.
  const languages = new Set<string>();
  for (const l of q.languages) {
    if (languages.has(l.code))
      add({
        code: 'duplicate-language',
        at: { sheet: 'settings', field: 'languages' },
        name: l.code,
        message: `The language "${l.code}" is listed twice.`,
      });
    languages.add(l.code);
  }
  if (q.defaultLanguage !== undefined && !languages.has(q.defaultLanguage)) {
    add({
      code: 'unknown-language',
      at: { sheet: 'settings', field: 'default_language' },
      name: q.defaultLanguage,
      message: `The default language "${q.defaultLanguage}" has no text in the questionnaire (no label::… column of it).`,
    });
  }
  /** `${name}` in the texts of questions, checked once every name is known (below). */
  const textRefs: { loc: LocatedNode; at: ProblemPlace; name: string; position: number }[] = [];
  const checkLanguages = (
    text: LangText,
    at: (language: string) => ProblemPlace,
    question?: string,
    shows?: LocatedNode,
  ) => {
    for (const [code, value] of Object.entries(text)) {
      if (!languages.has(code))
        add({
          code: 'unknown-language',
          at: at(code),
          question,
          name: code,
          message: `Text in the language "${code}", which is not one of the questionnaire's languages.`,
        });
      // Answers shown inside the texts of a question (`Your name is ${name}`) are replaced when shown; a choice's
      // label is not (it would show "${name}" as written).
      if (shows) {
        for (const ref of textReferences(value))
          textRefs.push({ loc: shows, at: at(code), name: ref.name, position: ref.position });
        continue;
      }
      const ref = /\$\{[^}]*\}/.exec(value);
      if (ref)
        add({
          code: 'text-reference',
          at: at(code),
          question,
          name: ref[0],
          position: ref.index,
          message: `${ref[0]} in the label of a choice: answers are shown inside the texts of questions, not of choices.`,
        });
    }
  };
  const hasText = (text: LangText) => Object.values(text).some((t) => t.trim() !== '');

  // Choice lists.
  const lists = new Map<string, number>();
  q.choiceLists.forEach((list, li) => {
    if (!NAME_PATTERN.test(list.name))
      add({
        code: 'bad-name',
        at: { sheet: 'choices', list: li, field: 'list_name' },
        name: list.name,
        message: `"${list.name}" is not a valid list name.`,
      });
    if (lists.has(list.name))
      add({
        code: 'duplicate-list',
        at: { sheet: 'choices', list: li, field: 'list_name' },
        name: list.name,
        message: `The choice list "${list.name}" is given twice.`,
      });
    lists.set(list.name, li);
    if (!list.choices.length)
      add({
        code: 'empty-list',
        at: { sheet: 'choices', list: li, field: 'list_name' },
        name: list.name,
        message: `The choice list "${list.name}" has no choices.`,
      });
    const seen = new Set<string>();
    list.choices.forEach((choice, ci) => {
      const at = (field: string, language?: string): ProblemPlace => ({
        sheet: 'choices',
        list: li,
        choice: ci,
        field,
        ...(language ? { language } : {}),
      });
      if (!choice.name.trim() || /\s/.test(choice.name))
        add({
          code: 'bad-name',
          at: at('name'),
          name: choice.name,
          message: `The choice "${choice.name}" of the list "${list.name}" needs a name without spaces.`,
        });
      else if (seen.has(choice.name) && !q.allowChoiceDuplicates)
        add({
          code: 'duplicate-choice',
          at: at('name'),
          name: choice.name,
          message: `The list "${list.name}" has the choice "${choice.name}" twice.`,
        });
      seen.add(choice.name);
      if (!hasText(choice.label))
        add({
          code: 'missing-label',
          at: at('label'),
          question: choice.name,
          message: `The choice "${choice.name}" of the list "${list.name}" has no label.`,
        });
      checkLanguages(choice.label, (l) => at('label', l), choice.name);
    });
  });

  // Questions.
  const located = flattenQuestions(q.questions);
  const byName = new Map<string, LocatedNode>();
  const used = new Set<string>();
  const allNames = new Set(located.map((l) => l.node.name));
  /** `<name>_other` of the selects with or_other: read by `${…}` as the text given with "other". */
  const otherTexts = new Map<string, LocatedNode>();
  for (const loc of located) {
    const { node, path } = loc;
    const at = (field: string, language?: string): ProblemPlace => ({
      sheet: 'survey',
      path,
      field,
      ...(language ? { language } : {}),
    });
    if (!NAME_PATTERN.test(node.name)) {
      add({
        code: 'bad-name',
        at: at('name'),
        question: node.name,
        name: node.name,
        message: node.name
          ? `"${node.name}" is not a valid name: a letter or _, then letters, digits, _, - or . (no spaces).`
          : 'The question has no name.',
      });
    } else if (node.name === '__proto__') {
      // Answers travel as JSON objects keyed by question name, and JSON parsers refuse this key.
      add({
        code: 'bad-name',
        at: at('name'),
        question: node.name,
        name: node.name,
        message: '"__proto__" cannot name a question: answers keyed by it are refused as JSON.',
      });
    } else if (used.has(node.name)) {
      add({
        code: 'duplicate-name',
        at: at('name'),
        question: node.name,
        name: node.name,
        message: `The name "${node.name}" is used twice; every question, group and repeat needs its own name.`,
      });
    } else {
      byName.set(node.name, loc);
    }
    used.add(node.name);

    for (const [field, text] of [
      ['label', node.label],
      ['hint', node.hint],
    ] as const)
      checkLanguages(text, (l) => at(field, l), node.name, loc);
    if ((isAnswerQuestion(node) || node.type === 'note' || node.type === 'repeat') && !hasText(node.label)) {
      add({ code: 'missing-label', at: at('label'), question: node.name, message: `"${node.name}" has no label.` });
    }
    if (node.type === 'metadata' && loc.repeats.length)
      add({
        code: 'metadata-in-repeat',
        at: at('type'),
        question: node.name,
        name: node.metadata,
        message: `"${node.metadata}" inside the repeat "${loc.repeats[loc.repeats.length - 1]}": metadata is filled once per submission; put it outside repeats.`,
      });
    if (isGroup(node) && node.type === 'group' && node.repeatCount !== undefined)
      add({
        code: 'field-not-allowed',
        at: at('repeat_count'),
        question: node.name,
        name: 'repeat_count',
        message: `repeat_count on the group "${node.name}": only a repeat has a number of instances.`,
      });
    if (isAnswerQuestion(node)) {
      checkLanguages(node.constraintMessage, (l) => at('constraint_message', l), node.name, loc);
      checkLanguages(node.requiredMessage, (l) => at('required_message', l), node.name, loc);
      const isSelect = node.type === 'select_one' || node.type === 'select_multiple';
      if (!isSelect && node.orOther)
        add({
          code: 'field-not-allowed',
          at: at('type'),
          question: node.name,
          name: 'or_other',
          message: `or_other on the ${node.type} question "${node.name}": only a select offers an "other" choice.`,
        });
      if (!isSelect && node.choiceFilter !== undefined)
        add({
          code: 'field-not-allowed',
          at: at('choice_filter'),
          question: node.name,
          name: 'choice_filter',
          message: `choice_filter on the ${node.type} question "${node.name}": only a select has choices to filter.`,
        });
      if (isSelect && node.orOther) {
        const other = otherTextName(node.name);
        if (allNames.has(other))
          add({
            code: 'other-name-taken',
            at: at('type'),
            question: node.name,
            name: other,
            message: `or_other on "${node.name}" needs the name "${other}" for the text given with "other", but a question is named so.`,
          });
        else otherTexts.set(other, loc);
      }
      if (isSelect && !node.list)
        add({
          code: 'missing',
          at: at('list'),
          question: node.name,
          message: `${node.type} "${node.name}" needs a choice list (${node.type} <list_name>).`,
        });
      else if (isSelect && node.list && !lists.has(node.list))
        add({
          code: 'unknown-list',
          at: at('list'),
          question: node.name,
          name: node.list,
          message: `The choice list "${node.list}" of "${node.name}" is not in the choices sheet.`,
        });
      else if (!isSelect && node.list)
        add({
          code: 'list-not-allowed',
          at: at('list'),
          question: node.name,
          name: node.list,
          message: `A ${node.type} question has no choice list.`,
        });
      if (node.records) {
        if (!isRecordKind(node.records.kind))
          add({
            code: 'bad-theme',
            at: at('marsad_record'),
            question: node.name,
            name: node.records.kind,
            message: `"${node.records.kind}" is not one of ${RECORD_KINDS.join(', ')}.`,
          });
        if (!isGuidelineTheme(node.records.theme))
          add({
            code: 'bad-theme',
            at: at('marsad_theme'),
            question: node.name,
            name: node.records.theme,
            message: `"${node.records.theme}" is not a theme of the guidelines (${GUIDELINE_THEME_CODES.join(', ')}).`,
          });
      }
    }
    const appearance = 'appearance' in node ? node.appearance : undefined;
    if (appearance !== undefined && !(ALLOWED_APPEARANCES[node.type] ?? []).includes(appearance)) {
      add({
        code: 'bad-appearance',
        at: at('appearance'),
        question: node.name,
        name: appearance,
        message: `The appearance "${appearance}" is not supported for ${node.type} (supported: ${(ALLOWED_APPEARANCES[node.type] ?? []).join(', ') || 'none'}).`,
      });
    }
    if (isGroup(node) && !node.children.length)
      add({
        code: 'empty-group',
        at: at('type'),
        question: node.name,
        message: `The ${node.type} "${node.name}" holds no question.`,
      });
  }

  /** A name as `${name}` reads it: a question, or the text given with "other" (read through its select). */
  const target = (name: string): LocatedNode | undefined => byName.get(name) ?? otherTexts.get(name);
  /** Why `${name}` cannot be read by a node in these repeats, as a problem, or null when it can. */
  const referenceProblem = (
    ref: { name: string; position: number },
    repeats: string[],
    at: ProblemPlace,
    question: string,
    where = '',
  ): QuestionnaireProblem | null => {
    const t = target(ref.name);
    const char = `at character ${ref.position + 1}${where}`;
    if (!t)
      return {
        code: 'expression:unknown-reference',
        at,
        question,
        name: ref.name,
        position: ref.position,
        message: `\${${ref.name}} ${char}: there is no question "${ref.name}".`,
      };
    if (isGroup(t.node))
      return {
        code: 'group-reference',
        at,
        question,
        name: ref.name,
        position: ref.position,
        message: `\${${ref.name}} ${char} is a ${t.node.type}, which has no value.`,
      };
    if (!t.repeats.every((r, i) => repeats[i] === r))
      return {
        code: 'expression:unreachable-reference',
        at,
        question,
        name: ref.name,
        position: ref.position,
        message: `\${${ref.name}} ${char} is inside the repeat "${t.repeats[t.repeats.length - 1]}" and cannot be read from outside it.`,
      };
    return null;
  };
  for (const r of textRefs) {
    const p = referenceProblem(r, r.loc.repeats, r.at, r.loc.node.name, ' of the text');
    if (p) add(p);
  }

  // Expressions: syntax, references, and cycles between calculations and relevance.
  const dependsOn = new Map<string, Set<string>>();
  for (const loc of located) {
    const { node, path } = loc;
    const deps = new Set<string>();
    for (const [field, key] of EXPRESSION_FIELDS) {
      const src = (node as Partial<Record<(typeof EXPRESSION_FIELDS)[number][1], string>>)[key];
      if (src === undefined) continue;
      const at: ProblemPlace = { sheet: 'survey', path, field };
      const parsed = parseExpression(src, { choiceColumns: field === 'choice_filter' });
      if (!parsed.ok) {
        add({
          code: `expression:${parsed.error.code}`,
          at,
          question: node.name,
          name: parsed.error.name,
          position: parsed.error.position,
          message: parsed.error.message,
        });
        continue;
      }
      if (field === 'calculation' && parsed.usesCurrent) {
        const pos = src.indexOf('.');
        add({
          code: 'expression:no-current-value',
          at,
          question: node.name,
          name: '.',
          position: pos,
          message: `"." at character ${pos + 1}: a calculation has no current answer; refer to questions as \${name}.`,
        });
      }
      if (field === 'repeat_count' && parsed.usesCurrent) {
        const pos = src.indexOf('.');
        add({
          code: 'expression:no-current-value',
          at,
          question: node.name,
          name: '.',
          position: pos,
          message: `"." at character ${pos + 1}: a repeat_count has no current answer; refer to questions as \${name}.`,
        });
      }
      if (field === 'choice_filter' && isAnswerQuestion(node)) {
        const list = q.choiceLists.find((l) => l.name === node.list);
        const columns = new Set(['name', ...(list?.choices ?? []).flatMap((c) => Object.keys(c.properties ?? {}))]);
        for (const c of parsed.columns)
          if (list && !columns.has(c.name))
            add({
              code: 'expression:unknown-column',
              at,
              question: node.name,
              name: c.name,
              position: c.position,
              message: `"${c.name}" at character ${c.position + 1}: the choice list "${list.name}" has no column "${c.name}".`,
            });
      }
      for (const ref of parsed.references) {
        const p = referenceProblem(ref, loc.repeats, at, node.name);
        if (p) {
          add(p);
          continue;
        }
        // What a node reads through its relevance or calculation feeds it; a constraint, a choice filter and a
        // repeat count feed no value.
        if (field === 'relevant' || field === 'calculation') {
          const t = target(ref.name)!;
          deps.add(t.node.name === ref.name ? ref.name : t.node.name);
        }
      }
    }
    // A node depends on what its enclosing groups' relevance depends on, through them.
    for (const a of loc.ancestors) deps.add(a);
    dependsOn.set(node.name, deps);
  }
  // Cycles: depth-first search over the names (relevance and calculations only; constraints read but feed nothing).
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = trail.slice(trail.indexOf(name));
      const key = [...cycle].sort().join(',');
      if (!reported.has(key)) {
        reported.add(key);
        const loc = byName.get(name)!;
        const field = loc.node.type === 'calculate' ? 'calculation' : 'relevant';
        add({
          code: 'cycle',
          at: { sheet: 'survey', path: loc.path, field },
          question: name,
          name,
          message: `These depend on each other in a circle: ${[...cycle, name].join(' → ')}.`,
        });
      }
      return;
    }
    state.set(name, 'visiting');
    for (const d of dependsOn.get(name) ?? []) visit(d, [...trail, name]);
    state.set(name, 'done');
  };
  for (const name of dependsOn.keys()) visit(name, []);

  // instance_name: read once per submission, outside every repeat.
  if (q.instanceName !== undefined) {
    const at: ProblemPlace = { sheet: 'settings', field: 'instance_name' };
    const parsed = parseExpression(q.instanceName);
    if (!parsed.ok)
      add({
        code: `expression:${parsed.error.code}`,
        at,
        name: parsed.error.name,
        position: parsed.error.position,
        message: parsed.error.message,
      });
    else {
      if (parsed.usesCurrent) {
        const pos = q.instanceName.indexOf('.');
        add({
          code: 'expression:no-current-value',
          at,
          name: '.',
          position: pos,
          message: `"." at character ${pos + 1}: instance_name has no current answer; refer to questions as \${name}.`,
        });
      }
      for (const ref of parsed.references) {
        const p = referenceProblem(ref, [], at, '');
        if (p) add({ ...p, question: undefined });
      }
    }
  }
  return problems;
}

/** The place of a problem as a path in the questionnaire's JSON (for a questionnaire sent as JSON). */
export function problemJsonPath(q: Questionnaire, at: ProblemPlace): string {
  if (at.sheet === 'settings') {
    const fields: Record<string, string> = {
      form_id: 'formId',
      form_title: 'title',
      version: 'version',
      default_language: 'defaultLanguage',
      languages: 'languages',
      instance_name: 'instanceName',
    };
    return fields[at.field] ?? at.field;
  }
  const fieldKey: Record<string, string> = {
    constraint_message: 'constraintMessage',
    required_message: 'requiredMessage',
    type: 'type',
    marsad_record: 'records.kind',
    marsad_theme: 'records.theme',
    list_name: 'name',
    choice_filter: 'choiceFilter',
    repeat_count: 'repeatCount',
  };
  const field = (fieldKey[at.field] ?? at.field) + (at.language ? `.${at.language}` : '');
  if (at.sheet === 'choices') {
    return `choiceLists[${at.list}]${at.choice !== undefined ? `.choices[${at.choice}]` : ''}.${field}`;
  }
  let nodes: QuestionNode[] = q.questions;
  const parts: string[] = [];
  at.path.forEach((i, depth) => {
    parts.push(depth === 0 ? `questions[${i}]` : `children[${i}]`);
    const n = nodes[i];
    nodes = n && isGroup(n) ? n.children : [];
  });
  return `${parts.join('.')}.${field}`;
}
