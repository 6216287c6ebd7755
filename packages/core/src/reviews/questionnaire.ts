/**
 * The questionnaire model of reviews (the e-survey of seed 000 §11): what the XLSForm import
 * produces, what the app's questionnaire builder edits, what the form and the server's
 * submission check evaluate. Plain data (JSON), stored per version. docs/methods/questionnaires.md.
 */
import type { GuidelineThemeCode, RecordKind } from './guideline-themes.ts';

/** Text by language key (usually an ISO 639 code: ar, en, …; 'und' for text of no stated language). */
export type LangText = Record<string, string>;

/**
 * A language of the questionnaire: its key and, when the workbook named it so, the name it had (`English (en)`,
 * `english`).
 */
export interface QuestionnaireLanguage {
  code: string;
  /** The text after `label::` in the workbook when it was not the code itself; null otherwise. */
  name: string | null;
}

export const ANSWER_TYPES = [
  'text',
  'long_text',
  'integer',
  'decimal',
  'date',
  'select_one',
  'select_multiple',
  'indicator',
  'knowledge_item',
  'geopoint',
] as const;
export type AnswerType = (typeof ANSWER_TYPES)[number];
export type QuestionType = AnswerType | 'note' | 'calculate' | 'metadata' | 'group' | 'repeat';

/**
 * The metadata an XLSForm may ask for (its types `start`, `end`, …): filled by the app, never shown as questions
 * (form-metadata.ts). A web browser has no phone number, SIM serial or subscriber id, and Marsad keeps no audit log
 * of the form: those stay empty.
 */
export const METADATA_KINDS = [
  'start',
  'end',
  'today',
  'deviceid',
  'username',
  'phonenumber',
  'audit',
  'simserial',
  'subscriberid',
] as const;
export type MetadataKind = (typeof METADATA_KINDS)[number];
/** Metadata a web browser cannot give: read, kept empty (the XLSForm import says so in a notice). */
export const METADATA_LEFT_EMPTY: readonly MetadataKind[] = ['phonenumber', 'audit', 'simserial', 'subscriberid'];

/** The choice `or_other` adds to a select's list, and the name of the text answer given with it. */
export const OTHER_CHOICE = 'other';
export const otherTextName = (selectName: string) => `${selectName}_other`;
/** The most instances a repeat_count may ask for (more is taken as this many). */
export const MAX_REPEAT_COUNT = 200;

/** What an answer records for the report by theme (measures, difficulties, technical-assistance needs). */
export interface RecordsTheme {
  kind: RecordKind;
  theme: GuidelineThemeCode;
}

interface NodeBase {
  /** Unique in the questionnaire; answers and `${name}` use it. */
  name: string;
  label: LangText;
  hint: LangText;
  /** Shown when this is true (an expression); absent: always. */
  relevant?: string;
}

export interface AnswerQuestion extends NodeBase {
  type: AnswerType;
  required: boolean;
  requiredMessage: LangText;
  /** Checked on a non-empty answer; `.` is the answer. */
  constraint?: string;
  constraintMessage: LangText;
  /** select_one and select_multiple: the choice list's name. */
  list?: string;
  /** Display hint kept from the workbook (e.g. `minimal` for a select). */
  appearance?: string;
  records?: RecordsTheme;
  /**
   * select_one and select_multiple (XLSForm `or_other`): the list gains the choice `other`, and choosing it asks for a
   * text, kept in the same answer set as `<name>_other` (otherTextName).
   */
  orOther?: boolean;
  /**
   * select_one and select_multiple (XLSForm `choice_filter`): an expression evaluated for each choice of the list; the
   * choices for which it holds are offered. Bare names are the choice's columns (`cf`, `name`).
   */
  choiceFilter?: string;
}

export interface NoteNode extends NodeBase {
  type: 'note';
}

/** A value the app fills (start and end time, today, device, user): not shown; `${name}` reads it. */
export interface MetadataNode extends NodeBase {
  type: 'metadata';
  metadata: MetadataKind;
}

export interface CalculateNode extends NodeBase {
  type: 'calculate';
  calculation: string;
}

export interface GroupNode extends NodeBase {
  type: 'group' | 'repeat';
  children: QuestionNode[];
  /** e.g. `field-list` for a group shown on one page. */
  appearance?: string;
  /**
   * A repeat (XLSForm `repeat_count`): an expression giving how many instances it has (read in the context around the
   * repeat); absent, the person answering adds and removes instances.
   */
  repeatCount?: string;
}

export type QuestionNode = AnswerQuestion | NoteNode | CalculateNode | MetadataNode | GroupNode;

export interface Choice {
  name: string;
  label: LangText;
  /** The choice's other columns in the workbook (what a choice_filter reads by bare name: `cf`, `state`). */
  properties?: Record<string, string>;
}

export interface ChoiceList {
  name: string;
  choices: Choice[];
}

export interface Questionnaire {
  /** XLSForm `form_id`: names the questionnaire across its versions. */
  formId: string;
  /** XLSForm `form_title`. */
  title: string;
  /** XLSForm `version` (the author's; Marsad numbers its versions apart). */
  version: string;
  /** Key of the default language (XLSForm `default_language`), if any. */
  defaultLanguage?: string;
  languages: QuestionnaireLanguage[];
  questions: QuestionNode[];
  choiceLists: ChoiceList[];
  /**
   * XLSForm `instance_name`: an expression naming each submission (`concat(${city}, ' – ', ${today})`), computed
   * when the answers are saved and shown where submissions are listed.
   */
  instanceName?: string;
  /** XLSForm `allow_choice_duplicates`: a list may give a choice name twice (cascading lists filtered apart). */
  allowChoiceDuplicates?: boolean;
}

export function isGroup(node: QuestionNode): node is GroupNode {
  return node.type === 'group' || node.type === 'repeat';
}

export function isAnswerQuestion(node: QuestionNode): node is AnswerQuestion {
  return (ANSWER_TYPES as readonly string[]).includes(node.type);
}

/**
 * Every node with its position in the tree (indices from the top) and its enclosing repeats (names, outermost first).
 */
export interface LocatedNode {
  node: QuestionNode;
  path: number[];
  repeats: string[];
  /** Names of the enclosing groups and repeats, outermost first. */
  ancestors: string[];
}

/** The nodes of a questionnaire in document order. */
export function flattenQuestions(questions: QuestionNode[]): LocatedNode[] {
  const out: LocatedNode[] = [];
  const walk = (nodes: QuestionNode[], path: number[], repeats: string[], ancestors: string[]) => {
    nodes.forEach((node, i) => {
      const here = [...path, i];
      out.push({ node, path: here, repeats, ancestors });
      if (isGroup(node))
        walk(node.children, here, node.type === 'repeat' ? [...repeats, node.name] : repeats, [
          ...ancestors,
          node.name,
        ]);
    });
  };
  walk(questions, [], [], []);
  return out;
}
