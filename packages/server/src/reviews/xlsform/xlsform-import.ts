/**
 * XLSForm workbook → questionnaire (core/reviews/questionnaire.ts). Reads the `survey`,
 * `choices` and `settings` sheets (names and headers case-insensitive, as pyxform does), builds
 * the model, then runs the same checks as a questionnaire built in the app
 * (checkQuestionnaire) and maps each problem back to its sheet, row and column. Anything
 * outside the supported subset (docs/methods/questionnaires.md) is refused, and every problem
 * is listed, not only the first; what is read but left aside (KoboToolbox's own columns,
 * metadata a browser cannot give) is said in notices.
 */
import {
  type AnswerQuestion,
  type AnswerType,
  type ChoiceList,
  checkQuestionnaire,
  flattenQuestions,
  type GroupNode,
  type LangText,
  METADATA_KINDS,
  METADATA_LEFT_EMPTY,
  type MetadataKind,
  NAME_PATTERN,
  NO_LANGUAGE,
  type ProblemPlace,
  type QuestionNode,
  type Questionnaire,
  type QuestionnaireLanguage,
  type RecordsTheme,
} from '@marsad/core';
import type { UploadLimits } from '../../http/upload-limits.ts';
import { columnLetter, NotAWorkbookError, readWorkbookSheets, type Sheet } from './workbook-sheets.ts';
import {
  CHOICES_COLUMNS,
  isKoboOwn,
  isMediaColumn,
  languageKey,
  parseHeader,
  SETTINGS_COLUMNS,
  SURVEY_COLUMNS,
  TRANSLATABLE,
} from './xlsform-columns.ts';

export interface XlsFormProblem {
  sheet: string;
  /** Row number in the sheet (1 = the header row), null for the whole sheet or workbook. */
  row: number | null;
  /** Column letter, null when the problem is a missing column or concerns a whole row. */
  column: string | null;
  /** The column's header as written (or the column expected when it is missing). */
  header: string | null;
  code: string;
  /** The unsupported or unknown name: a type, a function, a reference, a list, a column. */
  name?: string;
  /** Offset in the cell's expression, from 0. */
  position?: number;
  message: string;
}

/**
 * What was read but left aside, said to the person importing (same shape as a problem; codes `ignored-column`,
 * `ignored-sheet`, `metadata-left-empty`): the questionnaire is imported all the same.
 */
export type XlsFormNotice = XlsFormProblem;

export type XlsFormImport =
  | { ok: true; questionnaire: Questionnaire; notices: XlsFormNotice[] }
  | { ok: false; problems: XlsFormProblem[]; notices: XlsFormNotice[] };

/** The first bytes of an OLE2 compound file: an .xls workbook of Excel 97–2003 (or another Office 97 file). */
const OLE2_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

interface Column {
  col: number;
  header: string;
  base: string;
  language: string | null;
  key: string | null;
}

interface SheetView {
  sheet: Sheet;
  headerRow: number;
  columns: Column[];
  /** Columns kept as they are named (the choices' own columns, read by choice filters). */
  extra: Column[];
  /** Column of a field (`label`, and a language key for texts). */
  find(base: string, key?: string | null): Column | undefined;
}

const SHEET_ORDER = ['survey', 'choices', 'settings'];

/**
 * Reads and checks an XLSForm workbook. Throws NotAWorkbookError for what is not a readable
 * .xlsx workbook, WorkbookLimitError for one over the upload limits (http/upload-limits.ts).
 */
export async function importXlsForm(
  bytes: Buffer,
  options: { fileName?: string; limits?: UploadLimits } = {},
): Promise<XlsFormImport> {
  if (bytes.subarray(0, 4).equals(OLE2_SIGNATURE.subarray(0, 4)))
    throw new NotAWorkbookError(
      'This is an .xls file (Excel 97–2003): save it as .xlsx and upload it again.',
      0,
      'xls-file',
    );
  return questionnaireFromSheets(await readWorkbookSheets(bytes, options.limits), options);
}

/** The form_id to use when the settings give none: the file's name without extension, as pyxform does. */
function idFromFileName(fileName: string | undefined): string {
  if (!fileName) return '';
  return fileName
    .replace(/^.*[\\/]/, '')
    .replace(/\.xls[xm]?$/i, '')
    .replace(/[^\p{L}\p{N}_.-]+/gu, '_')
    .replace(/^([^\p{L}_])/u, '_$1');
}

export function questionnaireFromSheets(sheets: Sheet[], options: { fileName?: string } = {}): XlsFormImport {
  const problems: XlsFormProblem[] = [];
  const notices: XlsFormNotice[] = [];
  const byName = new Map(sheets.map((s) => [s.name.trim().toLowerCase(), s]));
  const problem = (p: XlsFormProblem) => problems.push(p);
  const notice = (p: XlsFormNotice) => notices.push(p);

  for (const s of sheets) {
    const lower = s.name.trim().toLowerCase();
    if (isKoboOwn(s.name) && s.rows.length) {
      notice({
        sheet: s.name,
        row: null,
        column: null,
        header: null,
        code: 'ignored-sheet',
        name: s.name,
        message: `The sheet "${s.name}" is KoboToolbox's own (its form builder and locking of forms): ignored.`,
      });
      continue;
    }
    if (!SHEET_ORDER.includes(lower) && s.rows.length) {
      problem({
        sheet: s.name,
        row: null,
        column: null,
        header: null,
        code: 'unsupported-sheet',
        name: s.name,
        message: `The sheet "${s.name}" is not supported (only survey, choices and settings are read); remove it or leave it empty.`,
      });
    }
    for (const u of s.unreadable) {
      problem({
        sheet: s.name,
        row: u.row,
        column: columnLetter(u.col),
        header: null,
        code: 'unreadable-cell',
        message: `Cell ${columnLetter(u.col)}${u.row}: ${u.reason}.`,
      });
    }
  }
  const survey = byName.get('survey');
  if (!survey) {
    problem({
      sheet: 'survey',
      row: null,
      column: null,
      header: null,
      code: 'missing-sheet',
      name: 'survey',
      message: 'The workbook has no "survey" sheet.',
    });
    return { ok: false, problems, notices };
  }

  // Languages, in the order their columns first appear; the default one first when plain columns use it.
  const languages: QuestionnaireLanguage[] = [];
  const addLanguage = (l: QuestionnaireLanguage) => {
    const existing = languages.find((x) => x.code === l.code);
    if (!existing) languages.push(l);
    else if (existing.name === null && l.name !== null) existing.name = l.name;
  };

  // Settings first: default_language decides the language of plain label columns.
  const settingsSheet = byName.get('settings');
  const settings = settingsSheet ? view(settingsSheet, SETTINGS_COLUMNS, null, problem, notice) : null;
  const settingsRow = settingsSheet?.rows.find((r) => r.row > (settings?.headerRow ?? 0));
  const setting = (field: string): string => {
    const c = settings?.find(field);
    return (c && settingsRow?.cells.get(c.col)) ?? '';
  };
  if (settingsSheet && settings) {
    const extra = settingsSheet.rows.filter((r) => r.row > settings.headerRow && r !== settingsRow);
    for (const r of extra)
      problem({
        sheet: settingsSheet.name,
        row: r.row,
        column: null,
        header: null,
        code: 'extra-settings-row',
        message: `Row ${r.row}: the settings are read from the first row under the headers only.`,
      });
  }
  const defaultWritten = setting('default_language');
  const defaultLanguage = defaultWritten ? languageKey(defaultWritten) : null;
  const plainKey = defaultLanguage?.code ?? NO_LANGUAGE;

  const surveyView = view(survey, SURVEY_COLUMNS, plainKey, problem, notice);
  const choicesSheet = byName.get('choices');
  const choicesView = choicesSheet
    ? view(choicesSheet, CHOICES_COLUMNS, plainKey, problem, notice, { properties: true })
    : null;
  for (const v of [surveyView, choicesView]) {
    for (const c of v?.columns ?? []) {
      if (c.key === null) continue;
      addLanguage(
        c.language === null
          ? defaultLanguage && c.key === defaultLanguage.code
            ? { code: c.key, name: defaultLanguage.name }
            : { code: c.key, name: null }
          : languageKey(c.language),
      );
    }
  }

  const text = (v: SheetView, cells: Map<number, string>, base: string): LangText => {
    const out: LangText = {};
    for (const c of v.columns) {
      if (c.base !== base || c.key === null) continue;
      const t = cells.get(c.col);
      if (t) out[c.key] = t;
    }
    return out;
  };

  // Choices.
  const choiceLists: ChoiceList[] = [];
  const choiceRows = new Map<string, number>(); // `${list}/${index}` → row
  const listRows = new Map<number, number>();
  if (choicesSheet && choicesView) {
    const cell = (cells: Map<number, string>, base: string) => {
      const c = choicesView.find(base);
      return c ? (cells.get(c.col) ?? '') : '';
    };
    for (const r of choicesSheet.rows) {
      if (r.row <= choicesView.headerRow) continue;
      const listName = cell(r.cells, 'list_name');
      if (!listName) {
        problem({
          sheet: choicesSheet.name,
          row: r.row,
          column: choicesView.find('list_name') ? columnLetter(choicesView.find('list_name')!.col) : null,
          header: 'list_name',
          code: 'missing',
          message: `Row ${r.row} has a choice but no list_name.`,
        });
        continue;
      }
      let li = choiceLists.findIndex((l) => l.name === listName);
      if (li < 0) {
        li = choiceLists.push({ name: listName, choices: [] }) - 1;
        listRows.set(li, r.row);
      }
      const properties: Record<string, string> = {};
      for (const c of choicesView.extra) {
        const v = r.cells.get(c.col);
        if (v) properties[c.base] = v;
      }
      const ci =
        choiceLists[li]!.choices.push({
          name: cell(r.cells, 'name'),
          label: text(choicesView, r.cells, 'label'),
          ...(Object.keys(properties).length ? { properties } : {}),
        }) - 1;
      choiceRows.set(`${li}/${ci}`, r.row);
    }
  }

  // Survey rows → the tree.
  const rowOf = new Map<QuestionNode, number>();
  const placeholders = new Set<QuestionNode>();
  const root: QuestionNode[] = [];
  const stack: { node: GroupNode | null; kind: string; row: number; children: QuestionNode[] }[] = [
    { node: null, kind: 'root', row: 0, children: root },
  ];
  const sCell = (cells: Map<number, string>, base: string) => {
    const c = surveyView.find(base);
    return c ? (cells.get(c.col) ?? '') : '';
  };
  const at = (
    row: number,
    base: string,
    extra: Partial<XlsFormProblem> & { code: string; message: string },
  ): XlsFormProblem => {
    const c = surveyView.find(base);
    return { sheet: survey.name, row, column: c ? columnLetter(c.col) : null, header: c?.header ?? base, ...extra };
  };
  /** Fields a kind of row may use; a value in any other column is refused. */
  const USES: Record<string, readonly string[]> = {
    answer: [
      'type',
      'name',
      'label',
      'hint',
      'required',
      'required_message',
      'relevant',
      'constraint',
      'constraint_message',
      'appearance',
      'choice_filter',
      'marsad_record',
      'marsad_theme',
    ],
    note: ['type', 'name', 'label', 'hint', 'relevant'],
    calculate: ['type', 'name', 'label', 'hint', 'relevant', 'calculation'],
    metadata: ['type', 'name', 'label', 'hint'],
    begin: ['type', 'name', 'label', 'hint', 'relevant', 'appearance', 'repeat_count'],
    end: ['type', 'name'],
  };
  const checkUses = (row: number, cells: Map<number, string>, kind: string, typeText: string) => {
    for (const c of surveyView.columns) {
      if (!cells.get(c.col) || USES[kind]!.includes(c.base) || !(SURVEY_COLUMNS as readonly string[]).includes(c.base))
        continue;
      problem(
        at(row, c.base, {
          code: 'column-not-used',
          name: c.base,
          message: `Row ${row}: "${c.base}" is not used on a "${typeText}" row; leave it empty.`,
        }),
      );
    }
  };

  for (const r of survey.rows) {
    if (r.row <= surveyView.headerRow) continue;
    const typeText = sCell(r.cells, 'type').replace(/\s+/g, ' ');
    const type = typeText.toLowerCase();
    const name = sCell(r.cells, 'name');
    const top = stack[stack.length - 1]!;
    if (!type) {
      problem(at(r.row, 'type', { code: 'missing', message: `Row ${r.row} has values but no type.` }));
      continue;
    }
    const label = text(surveyView, r.cells, 'label');
    const hint = text(surveyView, r.cells, 'hint');
    const relevant = sCell(r.cells, 'relevant') || undefined;
    const common = { name, label, hint, ...(relevant ? { relevant } : {}) };

    const begin = /^begin[ _](\S+)/.exec(type);
    if (begin) {
      const kind = begin[1]!;
      const supported =
        (kind === 'group' || kind === 'repeat') && (type === `begin ${kind}` || type === `begin_${kind}`);
      if (!supported) {
        problem(
          at(r.row, 'type', {
            code: 'unsupported-type',
            name: typeText,
            message: `${notSupported(survey.name, r.row, 'type', typeText)} (groups and repeats are: begin group, begin repeat).`,
          }),
        );
      } else checkUses(r.row, r.cells, 'begin', typeText);
      const appearance = sCell(r.cells, 'appearance') || undefined;
      const repeatCount = sCell(r.cells, 'repeat_count') || undefined;
      const node: GroupNode = {
        ...common,
        type: kind === 'repeat' ? 'repeat' : 'group',
        children: [],
        ...(appearance ? { appearance } : {}),
        ...(repeatCount ? { repeatCount } : {}),
      };
      if (!supported) placeholders.add(node);
      rowOf.set(node, r.row);
      top.children.push(node);
      stack.push({ node, kind, row: r.row, children: node.children });
      continue;
    }
    const end = /^end[ _](\S+)/.exec(type);
    if (end) {
      checkUses(r.row, r.cells, 'end', typeText);
      const kind = end[1]!;
      if (top.kind === 'root')
        problem(
          at(r.row, 'type', {
            code: 'unmatched-end',
            name: typeText,
            message: `Row ${r.row}: "${typeText}" closes nothing.`,
          }),
        );
      else {
        if (top.kind !== kind)
          problem(
            at(r.row, 'type', {
              code: 'unmatched-end',
              name: typeText,
              message: `Row ${r.row}: "${typeText}" closes the ${top.kind} begun in row ${top.row}; use "end ${top.kind}".`,
            }),
          );
        stack.pop();
      }
      continue;
    }

    const parsedType = questionType(typeText);
    if ('unsupported' in parsedType) {
      problem(
        at(r.row, 'type', {
          code: 'unsupported-type',
          name: parsedType.unsupported,
          message: `${notSupported(survey.name, r.row, 'type', parsedType.unsupported)}${parsedType.message}`,
        }),
      );
      const node: QuestionNode = { ...common, type: 'note' };
      placeholders.add(node);
      rowOf.set(node, r.row);
      top.children.push(node);
      continue;
    }
    let node: QuestionNode;
    if (parsedType.type === 'metadata') {
      checkUses(r.row, r.cells, 'metadata', typeText);
      node = { ...common, type: 'metadata', metadata: parsedType.metadata };
      if (METADATA_LEFT_EMPTY.includes(parsedType.metadata))
        notice(
          at(r.row, 'type', {
            code: 'metadata-left-empty',
            name: parsedType.metadata,
            message: `Row ${r.row}: "${parsedType.metadata}" is read, but a web browser does not give it: it stays empty.`,
          }),
        );
    } else if (parsedType.type === 'note') {
      checkUses(r.row, r.cells, 'note', typeText);
      node = { ...common, type: 'note' };
    } else if (parsedType.type === 'calculate') {
      checkUses(r.row, r.cells, 'calculate', typeText);
      const calculation = sCell(r.cells, 'calculation');
      if (!calculation)
        problem(
          at(r.row, 'calculation', { code: 'missing', message: `Row ${r.row}: a calculate row needs a calculation.` }),
        );
      node = { ...common, type: 'calculate', calculation: calculation || '0' };
    } else {
      checkUses(r.row, r.cells, 'answer', typeText);
      let answerType: AnswerType = parsedType.type;
      let appearance: string | undefined = sCell(r.cells, 'appearance') || undefined;
      if (answerType === 'text' && appearance === 'multiline') {
        answerType = 'long_text';
        appearance = undefined;
      }
      const requiredText = sCell(r.cells, 'required').toLowerCase();
      let required = false;
      if (['yes', 'true', 'true()', '1'].includes(requiredText)) required = true;
      else if (!['', 'no', 'false', 'false()', '0'].includes(requiredText)) {
        problem(
          at(r.row, 'required', {
            code: 'unsupported-required',
            name: requiredText,
            message: `Row ${r.row}: required must be yes or no; an expression ("${requiredText}") is not supported.`,
          }),
        );
      }
      const constraint = sCell(r.cells, 'constraint') || undefined;
      const choiceFilter = sCell(r.cells, 'choice_filter') || undefined;
      const recordKind = sCell(r.cells, 'marsad_record');
      const theme = sCell(r.cells, 'marsad_theme');
      let records: RecordsTheme | undefined;
      if (recordKind || theme) {
        if (!recordKind)
          problem(
            at(r.row, 'marsad_record', {
              code: 'missing',
              message: `Row ${r.row}: marsad_theme needs marsad_record (measure, difficulty or assistance-need).`,
            }),
          );
        else if (!theme)
          problem(
            at(r.row, 'marsad_theme', {
              code: 'missing',
              message: `Row ${r.row}: marsad_record needs marsad_theme (a theme of the guidelines).`,
            }),
          );
        // Unknown kinds and themes are reported by checkQuestionnaire below, with the row.
        else records = { kind: recordKind as RecordsTheme['kind'], theme: theme as RecordsTheme['theme'] };
      }
      const q: AnswerQuestion = {
        ...common,
        type: answerType,
        required,
        requiredMessage: text(surveyView, r.cells, 'required_message'),
        ...(constraint ? { constraint } : {}),
        constraintMessage: text(surveyView, r.cells, 'constraint_message'),
        ...(parsedType.list ? { list: parsedType.list } : {}),
        ...(appearance ? { appearance } : {}),
        ...(records ? { records } : {}),
        ...(parsedType.orOther ? { orOther: true } : {}),
        ...(choiceFilter ? { choiceFilter } : {}),
      };
      node = q;
    }
    rowOf.set(node, r.row);
    top.children.push(node);
  }
  for (const open of stack.slice(1).reverse()) {
    problem(
      at(open.row, 'type', {
        code: 'unclosed',
        name: `begin ${open.kind}`,
        message: `Row ${open.row}: the ${open.kind} "${open.node?.name ?? ''}" is never closed (end ${open.kind}).`,
      }),
    );
  }

  const formId = setting('form_id') || idFromFileName(options.fileName);
  const instanceName = setting('instance_name');
  const duplicates = setting('allow_choice_duplicates').toLowerCase();
  if (duplicates && !['yes', 'true', 'true()', '1', 'no', 'false', 'false()', '0'].includes(duplicates))
    problem(
      settingsProblem(
        settingsSheet,
        settings,
        settingsRow?.row ?? null,
        { sheet: 'settings', field: 'allow_choice_duplicates' },
        {
          code: 'bad-setting',
          name: duplicates,
          message: `allow_choice_duplicates must be yes or no, not "${duplicates}".`,
        },
      ),
    );
  const questionnaire: Questionnaire = {
    formId,
    title: setting('form_title') || formId,
    version: setting('version'),
    ...(defaultLanguage ? { defaultLanguage: defaultLanguage.code } : {}),
    languages,
    questions: root,
    choiceLists,
    ...(instanceName ? { instanceName } : {}),
    ...(['yes', 'true', 'true()', '1'].includes(duplicates) ? { allowChoiceDuplicates: true } : {}),
  };

  // The shared checks, mapped back to cells.
  const located = flattenQuestions(root);
  const pathKey = (path: number[]) => path.join('.');
  const nodeAt = new Map(located.map((l) => [pathKey(l.path), l.node]));
  for (const p of checkQuestionnaire(questionnaire)) {
    const place = p.at;
    if (place.sheet === 'survey') {
      const node = nodeAt.get(pathKey(place.path));
      if (node && placeholders.has(node) && p.code !== 'duplicate-name' && p.code !== 'bad-name') continue;
      const row = node ? (rowOf.get(node) ?? null) : null;
      const base = place.field === 'list' ? 'type' : place.field;
      const c = surveyView.find(base, place.language ?? null) ?? surveyView.find(base);
      problem({
        sheet: survey.name,
        row,
        column: c ? columnLetter(c.col) : null,
        header: c?.header ?? base,
        code: p.code,
        ...(p.name !== undefined ? { name: p.name } : {}),
        ...(p.position !== undefined ? { position: p.position } : {}),
        message: `Row ${row}: ${p.message}`,
      });
    } else if (place.sheet === 'choices') {
      const row =
        place.choice !== undefined
          ? (choiceRows.get(`${place.list}/${place.choice}`) ?? null)
          : (listRows.get(place.list) ?? null);
      const c = choicesView?.find(place.field, place.language ?? null) ?? choicesView?.find(place.field);
      problem({
        sheet: choicesSheet?.name ?? 'choices',
        row,
        column: c ? columnLetter(c.col) : null,
        header: c?.header ?? place.field,
        code: p.code,
        ...(p.name !== undefined ? { name: p.name } : {}),
        message: row ? `Row ${row}: ${p.message}` : p.message,
      });
    } else {
      problem(settingsProblem(settingsSheet, settings, settingsRow?.row ?? null, place, p));
    }
  }

  const order = (s: string) => {
    const i = SHEET_ORDER.indexOf(s.toLowerCase());
    return i < 0 ? SHEET_ORDER.length : i;
  };
  const bySheetRowColumn = (a: XlsFormProblem, b: XlsFormProblem) =>
    order(a.sheet) - order(b.sheet) ||
    (a.row ?? 0) - (b.row ?? 0) ||
    (a.column ?? '').length - (b.column ?? '').length ||
    (a.column ?? '').localeCompare(b.column ?? '');
  notices.sort(bySheetRowColumn);
  if (problems.length) {
    problems.sort(bySheetRowColumn);
    return { ok: false, problems, notices };
  }
  return { ok: true, questionnaire, notices };
}

/** How an unsupported feature is named: `survey row 12, column type: "range" is not supported`. */
function notSupported(sheet: string, row: number | null, column: string, what: string): string {
  return `${sheet}${row !== null ? ` row ${row}` : ''}, column ${column}: "${what}" is not supported`;
}

function settingsProblem(
  sheet: Sheet | undefined,
  v: SheetView | null,
  row: number | null,
  place: Extract<ProblemPlace, { sheet: 'settings' }>,
  p: { code: string; name?: string; message: string },
): XlsFormProblem {
  const c = v?.find(place.field);
  return {
    sheet: sheet?.name ?? 'settings',
    row: c ? row : null,
    column: c ? columnLetter(c.col) : null,
    header: c?.header ?? place.field,
    code: p.code,
    ...(p.name !== undefined ? { name: p.name } : {}),
    message: p.message,
  };
}

/**
 * The columns of a sheet: its first row; unknown, duplicate and unnamed columns are reported, KoboToolbox's own
 * ignored with a notice. With `properties`, an unknown column named as a question would be (not a media column) is
 * kept in `extra` (the choices' own columns, which choice filters read).
 */
function view(
  sheet: Sheet,
  known: readonly string[],
  plainKey: string | null,
  problem: (p: XlsFormProblem) => void,
  notice: (p: XlsFormNotice) => void,
  options: { properties?: boolean } = {},
): SheetView {
  const first = sheet.rows[0];
  const headerRow = first?.row ?? 1;
  const columns: Column[] = [];
  const extra: Column[] = [];
  const usedCols = new Map<number, number[]>();
  for (const r of sheet.rows.slice(1))
    for (const col of r.cells.keys()) {
      const rows = usedCols.get(col);
      if (rows) rows.push(r.row);
      else usedCols.set(col, [r.row]);
    }
  const seen = new Map<string, Column>();
  for (const [col, header] of first?.cells ?? []) {
    const parsed = parseHeader(header);
    if (!known.includes(parsed.base)) {
      const rows = usedCols.get(col);
      if (isKoboOwn(header)) {
        notice({
          sheet: sheet.name,
          row: headerRow,
          column: columnLetter(col),
          header,
          code: 'ignored-column',
          name: header,
          message: `The column "${header}" is KoboToolbox's own (its form builder and locking of forms): ignored.`,
        });
        continue;
      }
      const name = header.trim();
      if (
        options.properties &&
        NAME_PATTERN.test(name) &&
        !name.includes(':') &&
        !isMediaColumn(name) &&
        !extra.some((c) => c.base === name)
      ) {
        extra.push({ col, header, base: name, language: null, key: null });
        continue;
      }
      if (rows?.length) {
        problem({
          sheet: sheet.name,
          row: headerRow,
          column: columnLetter(col),
          header,
          code: 'unsupported-column',
          name: header,
          message: `${notSupported(sheet.name, headerRow, header, header)} (the column holds values in row${rows.length > 1 ? 's' : ''} ${rows.slice(0, 10).join(', ')}${rows.length > 10 ? ', …' : ''}).`,
        });
      }
      continue;
    }
    const key = TRANSLATABLE.has(parsed.base)
      ? parsed.language === null
        ? plainKey
        : languageKey(parsed.language).code
      : null;
    const c: Column = { col, header, base: parsed.base, language: parsed.language, key };
    const id = `${parsed.base}|${key ?? ''}`;
    const earlier = seen.get(id);
    if (earlier) {
      problem({
        sheet: sheet.name,
        row: headerRow,
        column: columnLetter(col),
        header,
        code: 'duplicate-column',
        name: header,
        message:
          earlier.header.trim().toLowerCase() === header.trim().toLowerCase()
            ? `The column "${header}" is given twice (columns ${columnLetter(earlier.col)} and ${columnLetter(col)}).`
            : `The columns "${earlier.header}" (${columnLetter(earlier.col)}) and "${header}" (${columnLetter(col)}) both give the ${parsed.base} in the language "${key}".`,
      });
      continue;
    }
    seen.set(id, c);
    columns.push(c);
  }
  for (const [col, rows] of usedCols) {
    if (!first?.cells.has(col))
      problem({
        sheet: sheet.name,
        row: rows[0]!,
        column: columnLetter(col),
        header: null,
        code: 'unnamed-column',
        message: `Column ${columnLetter(col)} holds values (row ${rows[0]}) but has no header.`,
      });
  }
  return {
    sheet,
    headerRow,
    columns,
    extra,
    find: (base, key) =>
      columns.find(
        (c) =>
          c.base === base &&
          (key === undefined || c.key === key || (key === null && c.key !== null && c.language === null)),
      ),
  };
}

/** An XLSForm type (spaces collapsed) → a Marsad question type, or why it is refused (`message`: more, or ''). */
function questionType(
  type: string,
):
  | { type: AnswerType | 'note' | 'calculate'; list?: string; orOther?: boolean }
  | { type: 'metadata'; metadata: MetadataKind }
  | { unsupported: string; message: string } {
  const lower = type.toLowerCase();
  if ((METADATA_KINDS as readonly string[]).includes(lower))
    return { type: 'metadata', metadata: lower as MetadataKind };
  const simple: Record<string, AnswerType | 'note' | 'calculate'> = {
    text: 'text',
    string: 'text',
    integer: 'integer',
    int: 'integer',
    decimal: 'decimal',
    date: 'date',
    note: 'note',
    calculate: 'calculate',
    marsad_indicator: 'indicator',
    marsad_item: 'knowledge_item',
    geopoint: 'geopoint',
  };
  const known = simple[type.toLowerCase()];
  if (known) return { type: known };
  // The list name keeps its case; the keywords do not matter.
  const select =
    /^(select_one|select one|select1|select_multiple|select multiple|select all that apply)(?: from)? (\S+)(.*)$/i.exec(
      type,
    );
  if (select) {
    const multiple = !/^(select(_| )one|select1)$/i.test(select[1]!);
    const rest = select[3]!.trim();
    // `or_other`, and the older `or specify other`: the list gains "other", with a text.
    const orOther = /^(or_other|or specify other)$/i.test(rest);
    if (rest && !orOther) return { unsupported: type, message: ` ("${rest}" after the list name)` };
    return {
      type: multiple ? 'select_multiple' : 'select_one',
      list: select[2]!,
      ...(orOther ? { orOther: true } : {}),
    };
  }
  if (/^(select_one|select one|select_multiple|select multiple|select all that apply)$/i.test(type)) {
    return { unsupported: type, message: `: it needs a choice list (${type} <list_name>)` };
  }
  return {
    unsupported: type,
    message: ` (supported: text, integer, decimal, date, geopoint, select_one, select_multiple, or_other, note, calculate, begin/end group, begin/end repeat, the metadata ${METADATA_KINDS.join(', ')}, marsad_indicator, marsad_item)`,
  };
}
