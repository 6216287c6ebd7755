/**
 * Questionnaire → XLSForm workbook (.xlsx, exceljs): `survey`, `choices` and `settings` sheets
 * with the columns the import reads, so that importing the export gives the same questionnaire
 * (test/questionnaire-xlsform.test.ts). Text columns are written per language
 * (`label::English (en)` as the workbook named it, else `label::<code>`; text of no stated
 * language in the plain `label` column).
 */

import { isGroup, type LangText, NO_LANGUAGE, type QuestionNode, type Questionnaire } from '@marsad/core';
import ExcelJS from 'exceljs';

const TYPE_NAMES: Record<string, string> = {
  indicator: 'marsad_indicator',
  knowledge_item: 'marsad_item',
  long_text: 'text',
};

type Row = Record<string, string>;

function languageHeader(q: Questionnaire, base: string, code: string): string {
  if (code === NO_LANGUAGE && q.defaultLanguage === undefined) return base;
  const l = q.languages.find((x) => x.code === code);
  return `${base}::${l?.name ?? code}`;
}

function putText(q: Questionnaire, row: Row, base: string, text: LangText | undefined): void {
  for (const [code, value] of Object.entries(text ?? {})) row[languageHeader(q, base, code)] = value;
}

function surveyRows(q: Questionnaire): Row[] {
  const rows: Row[] = [];
  const walk = (nodes: QuestionNode[]) => {
    for (const node of nodes) {
      const row: Row = { name: node.name };
      putText(q, row, 'label', node.label);
      putText(q, row, 'hint', node.hint);
      if (node.relevant) row.relevant = node.relevant;
      if (isGroup(node)) {
        row.type = `begin ${node.type}`;
        if (node.appearance) row.appearance = node.appearance;
        if (node.repeatCount) row.repeat_count = node.repeatCount;
        rows.push(row);
        walk(node.children);
        rows.push({ type: `end ${node.type}` });
        continue;
      }
      if (node.type === 'note') row.type = 'note';
      else if (node.type === 'metadata') row.type = node.metadata;
      else if (node.type === 'calculate') {
        row.type = 'calculate';
        row.calculation = node.calculation;
      } else {
        row.type = node.list
          ? `${node.type} ${node.list}${node.orOther ? ' or_other' : ''}`
          : (TYPE_NAMES[node.type] ?? node.type);
        if (node.choiceFilter) row.choice_filter = node.choiceFilter;
        if (node.type === 'long_text') row.appearance = 'multiline';
        else if (node.appearance) row.appearance = node.appearance;
        if (node.required) row.required = 'yes';
        putText(q, row, 'required_message', node.requiredMessage);
        if (node.constraint) row.constraint = node.constraint;
        putText(q, row, 'constraint_message', node.constraintMessage);
        if (node.records) {
          row.marsad_record = node.records.kind;
          row.marsad_theme = node.records.theme;
        }
      }
      rows.push(row);
    }
  };
  walk(q.questions);
  return rows;
}

/** Columns in a fixed order: each field, and for texts one column per language of the questionnaire. */
function headers(q: Questionnaire, fields: string[], rows: Row[], always: string[]): string[] {
  const used = new Set(rows.flatMap((r) => Object.keys(r)));
  const out: string[] = [];
  for (const f of fields) {
    if (['label', 'hint', 'required_message', 'constraint_message'].includes(f)) {
      const translated = q.languages.map((l) => languageHeader(q, f, l.code));
      if (always.includes(f) || translated.some((h) => used.has(h))) out.push(...translated);
    } else if (always.includes(f) || used.has(f)) out.push(f);
  }
  return out;
}

function addSheet(wb: ExcelJS.Workbook, name: string, columns: string[], rows: Row[]): void {
  const ws = wb.addWorksheet(name);
  ws.addRow(columns);
  for (const r of rows) ws.addRow(columns.map((c) => r[c] ?? null));
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((c) => {
    c.width = 24;
  });
}

export async function exportXlsForm(q: Questionnaire): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Marsad';
  const survey = surveyRows(q);
  addSheet(
    wb,
    'survey',
    headers(
      q,
      [
        'type',
        'name',
        'label',
        'hint',
        'required',
        'required_message',
        'relevant',
        'constraint',
        'constraint_message',
        'calculation',
        'appearance',
        'choice_filter',
        'repeat_count',
        'marsad_record',
        'marsad_theme',
      ],
      survey,
      ['type', 'name', 'label'],
    ),
    survey,
  );
  // The choices' own columns (read by choice filters) after the known ones, in the order first met.
  const properties = [
    ...new Set(q.choiceLists.flatMap((l) => l.choices.flatMap((c) => Object.keys(c.properties ?? {})))),
  ].filter((p) => !['list_name', 'name', 'label'].includes(p));
  const choices: Row[] = q.choiceLists.flatMap((list) =>
    list.choices.map((c) => {
      const row: Row = { list_name: list.name, name: c.name };
      putText(q, row, 'label', c.label);
      for (const p of properties) if (c.properties?.[p] !== undefined) row[p] = c.properties[p];
      return row;
    }),
  );
  addSheet(
    wb,
    'choices',
    headers(q, ['list_name', 'name', 'label', ...properties], choices, ['list_name', 'name', 'label']),
    choices,
  );
  const settings: Row = { form_title: q.title, form_id: q.formId };
  if (q.version) settings.version = q.version;
  if (q.defaultLanguage !== undefined)
    settings.default_language = q.languages.find((l) => l.code === q.defaultLanguage)?.name ?? q.defaultLanguage;
  if (q.instanceName) settings.instance_name = q.instanceName;
  if (q.allowChoiceDuplicates) settings.allow_choice_duplicates = 'yes';
  addSheet(wb, 'settings', Object.keys(settings), [settings]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
