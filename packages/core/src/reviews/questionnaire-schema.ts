/**
 * The Zod schema of a questionnaire sent as JSON (the app's builder, the API). It checks the
 * shape; checkQuestionnaire (check-questionnaire.ts) then checks the meaning, as for a workbook.
 */
import { z } from 'zod';
import { GUIDELINE_THEME_CODES, RECORD_KINDS } from './guideline-themes.ts';
import { ANSWER_TYPES, METADATA_KINDS, type QuestionNode, type Questionnaire } from './questionnaire.ts';

const LangTextSchema = z
  .record(z.string().min(1).max(35), z.string().max(10_000))
  .describe('Text by language code (ar, en, …; und = no stated language)');
const Expression = z.string().min(1).max(5_000);
const Name = z.string().min(1).max(200);

const base = {
  name: Name,
  label: LangTextSchema.default({}),
  hint: LangTextSchema.default({}),
  relevant: Expression.optional(),
};

const AnswerQuestionSchema = z
  .object({
    ...base,
    type: z.enum(ANSWER_TYPES),
    required: z.boolean().default(false),
    requiredMessage: LangTextSchema.default({}),
    constraint: Expression.optional(),
    constraintMessage: LangTextSchema.default({}),
    list: Name.optional().describe('The choice list of a select_one or select_multiple'),
    appearance: z.string().max(100).optional(),
    records: z
      .object({
        kind: z.enum(RECORD_KINDS),
        theme: z.enum(GUIDELINE_THEME_CODES as [string, ...string[]]),
      })
      .optional()
      .describe(
        'What the answer records for the report by theme: a measure taken, a difficulty met or a technical-assistance need, under a theme of the guidelines',
      ),
    orOther: z
      .boolean()
      .optional()
      .describe('A select that offers the choice "other", whose text is the answer `<name>_other` (XLSForm or_other)'),
    choiceFilter: Expression.optional().describe(
      "A select's choice filter: an expression over the choice's columns (bare names) and the answers (XLSForm choice_filter)",
    ),
  })
  .strict();

const NoteSchema = z.object({ ...base, type: z.literal('note') }).strict();
const CalculateSchema = z.object({ ...base, type: z.literal('calculate'), calculation: Expression }).strict();
const MetadataSchema = z
  .object({
    ...base,
    type: z.literal('metadata'),
    metadata: z.enum(METADATA_KINDS).describe('What the app fills in: start, end, today, deviceid, username, …'),
  })
  .strict();

export const QuestionNodeSchema: z.ZodType<QuestionNode> = z.lazy(
  () =>
    z.union([
      AnswerQuestionSchema,
      NoteSchema,
      CalculateSchema,
      MetadataSchema,
      z
        .object({
          ...base,
          type: z.enum(['group', 'repeat']),
          children: z.array(QuestionNodeSchema).max(2_000),
          appearance: z.string().max(100).optional(),
          repeatCount: Expression.optional().describe('A repeat: how many instances it has (XLSForm repeat_count)'),
        })
        .strict(),
    ]),
  // the schema's output is the model's QuestionNode (theme codes narrowed by checkQuestionnaire)
) as unknown as z.ZodType<QuestionNode>;

export const QuestionnaireSchema: z.ZodType<Questionnaire> = z
  .object({
    formId: z.string().max(200),
    title: z.string().max(500),
    version: z.string().max(100).default(''),
    defaultLanguage: z.string().max(35).optional(),
    languages: z
      .array(z.object({ code: z.string().min(1).max(35), name: z.string().max(100).nullable().default(null) }))
      .max(50),
    questions: z.array(QuestionNodeSchema).max(2_000),
    choiceLists: z
      .array(
        z
          .object({
            name: Name,
            choices: z
              .array(
                z
                  .object({
                    name: z.string().max(200),
                    label: LangTextSchema.default({}),
                    properties: z
                      .record(z.string().min(1).max(100), z.string().max(1_000))
                      .optional()
                      .describe("The choice's other columns, read by a choice filter"),
                  })
                  .strict(),
              )
              .max(5_000),
          })
          .strict(),
      )
      .max(500)
      .default([]),
    instanceName: Expression.optional().describe('Names each submission (XLSForm instance_name)'),
    allowChoiceDuplicates: z.boolean().optional().describe('A list may give a choice name twice'),
  })
  .strict() as unknown as z.ZodType<Questionnaire>; // as above
