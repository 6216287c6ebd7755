import { checkQuestionnaire, problemJsonPath, type Questionnaire, QuestionnaireSchema } from '@marsad/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log.ts';
import { requireActor, requireAdministrator } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { BoolParam, PageQuery, page } from '../http/pagination.ts';
import { requestBody } from '../http/raw-body.ts';
import { RecordId } from '../http/record-id.ts';
import { sizeText, type UploadLimits, uploadLimits } from '../http/upload-limits.ts';
import {
  getQuestionnaire,
  getVersion,
  listQuestionnaires,
  normaliseDefinition,
  saveQuestionnaire,
} from './questionnaire-store.ts';
import { NotAWorkbookError, WorkbookLimitError } from './xlsform/workbook-sheets.ts';
import { exportXlsForm } from './xlsform/xlsform-export.ts';
import { importXlsForm, type XlsFormProblem } from './xlsform/xlsform-import.ts';

/** Largest workbook accepted (a questionnaire is a few hundred kilobytes at most). */
const MAX_WORKBOOK_BYTES = 10 * 1024 * 1024;
const Id = z.object({ id: RecordId });
/**
 * The body's outline for the OpenAPI document (a recursive schema of the question tree does not
 * resolve there); the whole questionnaire is then parsed with core's QuestionnaireSchema.
 */
const QuestionOutline = z.looseObject({
  type: z
    .string()
    .describe(
      'text, long_text, integer, decimal, date, geopoint, select_one, select_multiple, indicator, knowledge_item, note, calculate, metadata, group, repeat',
    ),
  name: z.string(),
  label: z.record(z.string(), z.string()).optional(),
  hint: z.record(z.string(), z.string()).optional(),
  relevant: z.string().optional(),
  required: z.boolean().optional(),
  constraint: z.string().optional(),
  calculation: z.string().optional(),
  list: z.string().optional(),
  records: z.object({ kind: z.string(), theme: z.string() }).optional(),
  orOther: z.boolean().optional().describe('A select offering "other", whose text is the answer <name>_other'),
  choiceFilter: z.string().optional().describe("A select's choice filter (bare names: the choice's columns)"),
  repeatCount: z.string().optional().describe('A repeat: how many instances it has'),
  metadata: z.string().optional().describe('A metadata question: start, end, today, deviceid, username, …'),
  children: z
    .array(z.record(z.string(), z.unknown()))
    .optional()
    .describe('Questions of a group or repeat (the same shape)'),
});
const DefinitionBody = z
  .object({
    definition: z
      .looseObject({
        formId: z.string(),
        title: z.string(),
        version: z.string().optional(),
        defaultLanguage: z.string().optional(),
        languages: z.array(z.object({ code: z.string(), name: z.string().nullable().optional() })),
        questions: z.array(QuestionOutline),
        choiceLists: z
          .array(
            z.object({
              name: z.string(),
              choices: z.array(
                z.object({
                  name: z.string(),
                  label: z.record(z.string(), z.string()),
                  properties: z.record(z.string(), z.string()).optional(),
                }),
              ),
            }),
          )
          .optional(),
        instanceName: z.string().optional(),
        allowChoiceDuplicates: z.boolean().optional(),
      })
      .describe('The questionnaire (packages/core/src/reviews/questionnaire.ts; docs/methods/questionnaires.md)'),
  })
  .strict();

/** The questionnaire of a JSON body, parsed and checked: a 400 naming each field, or the questionnaire. */
function parseDefinition(body: { definition: unknown }): Questionnaire {
  const parsed = QuestionnaireSchema.safeParse(body.definition);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({
      path: ['definition', ...i.path].join('.'),
      code: 'invalid',
      message: i.message,
    }));
    throw new HttpError(
      400,
      'bad_request',
      problems
        .slice(0, 5)
        .map((p) => `${p.path}: ${p.message}`)
        .join('; '),
      { problems },
    );
  }
  checkDefinition(parsed.data);
  return parsed.data;
}

/** The checks of a questionnaire sent as JSON: a 400 naming each field, or nothing. */
function checkDefinition(q: Questionnaire): void {
  const problems = checkQuestionnaire(q).map((p) => ({
    path: `definition.${problemJsonPath(q, p.at)}`,
    code: p.code,
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(p.position !== undefined ? { position: p.position } : {}),
    message: p.message,
  }));
  if (problems.length) {
    throw new HttpError(
      400,
      'bad_request',
      `The questionnaire was refused: ${problems.length} problem(s). ${problems
        .slice(0, 3)
        .map((p) => `${p.path}: ${p.message}`)
        .join(' ')}`,
      { problems },
    );
  }
}

function where(p: XlsFormProblem): string {
  return `${p.sheet}${p.row !== null ? ` row ${p.row}` : ''}${p.column ? ` column ${p.column}` : ''}${p.header ? ` (${p.header})` : ''}`;
}

async function readUpload(req: FastifyRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of requestBody(req)) {
    size += chunk.length;
    if (size > MAX_WORKBOOK_BYTES)
      throw new HttpError(413, 'too_large', `The workbook is larger than ${MAX_WORKBOOK_BYTES / 1024 / 1024} MB.`);
    chunks.push(Buffer.from(chunk));
  }
  if (!size)
    throw new HttpError(400, 'bad_request', 'Send the XLSForm workbook (.xlsx) as the request body.', {
      code: 'empty-body',
      params: {},
    });
  return Buffer.concat(chunks);
}

/** Questionnaires of reviews: signed-in users read them; administrators write them (every new version audited). */
export function registerQuestionnaireRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const signedIn = requireActor(ctx);
  const admin = requireAdministrator(ctx);

  r.get(
    '/api/v1/questionnaires',
    {
      onRequest: signedIn,
      schema: {
        tags: ['reviews'],
        summary: 'Questionnaires, each with its latest version',
        security: [{ bearer: [] }, { session: [] }],
        querystring: PageQuery,
      },
    },
    async (req) => {
      const { limit, offset } = req.query;
      const { total, items } = await listQuestionnaires(ctx.store, limit, offset);
      return page(items, total, limit, offset);
    },
  );

  r.get(
    '/api/v1/questionnaires/:id',
    {
      onRequest: signedIn,
      schema: {
        tags: ['reviews'],
        summary: 'A questionnaire: its versions and its latest definition',
        security: [{ bearer: [] }, { session: [] }],
        params: Id,
      },
    },
    async (req) => {
      const q = await getQuestionnaire(ctx.store, req.params.id);
      if (!q) throw new HttpError(404, 'not_found', `No questionnaire ${req.params.id}.`);
      return q;
    },
  );

  r.get(
    '/api/v1/questionnaire-versions/:id',
    {
      onRequest: signedIn,
      schema: {
        tags: ['reviews'],
        summary: 'One version of a questionnaire, with its definition (what cycles and submissions refer to)',
        security: [{ bearer: [] }, { session: [] }],
        params: Id,
      },
    },
    async (req) => {
      const v = await getVersion(ctx.store, req.params.id);
      if (!v) throw new HttpError(404, 'not_found', `No questionnaire version ${req.params.id}.`);
      return v;
    },
  );

  r.get(
    '/api/v1/questionnaire-versions/:id/xlsform',
    {
      onRequest: signedIn,
      schema: {
        tags: ['reviews'],
        summary: 'One version of a questionnaire as an XLSForm workbook (.xlsx)',
        security: [{ bearer: [] }, { session: [] }],
        params: Id,
      },
    },
    async (req, reply) => {
      const v = await getVersion(ctx.store, req.params.id);
      if (!v) throw new HttpError(404, 'not_found', `No questionnaire version ${req.params.id}.`);
      const bytes = await exportXlsForm(v.definition);
      const file = `${v.formId.replace(/[^\w.-]+/g, '_')}-v${v.number}.xlsx`;
      reply
        .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', `attachment; filename="${file}"`);
      return reply.send(bytes);
    },
  );

  r.post(
    '/api/v1/questionnaires',
    {
      onRequest: admin,
      schema: {
        tags: ['reviews'],
        summary: 'Create a questionnaire built in the app (checked as an import is)',
        security: [{ bearer: [] }, { session: [] }],
        description:
          'Refused with 400 and `details.problems` (path, code, name, position, message) when a check fails; 409 when the form_id exists.',
        body: DefinitionBody,
      },
    },
    async (req, reply) => {
      const definition = parseDefinition(req.body);
      const saved = await saveQuestionnaire(ctx.store, actorOf(req), definition, { mode: 'create', source: 'app' });
      reply.code(201);
      return saved;
    },
  );

  r.put(
    '/api/v1/questionnaires/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['reviews'],
        summary: 'Save a changed questionnaire as its next version (a version is never changed in place)',
        security: [{ bearer: [] }, { session: [] }],
        description:
          'The same definition as the latest version adds nothing (200, `created: false`); a different one adds a version (201).',
        params: Id,
        body: DefinitionBody,
      },
    },
    async (req, reply) => {
      const definition = parseDefinition(req.body);
      const saved = await saveQuestionnaire(ctx.store, actorOf(req), definition, {
        mode: 'update',
        questionnaireId: req.params.id,
        source: 'app',
      });
      reply.code(saved.created ? 201 : 200);
      return saved;
    },
  );

  r.post(
    '/api/v1/questionnaires/check',
    {
      onRequest: admin,
      schema: {
        tags: ['reviews'],
        summary: 'Check a questionnaire built in the app without saving it',
        security: [{ bearer: [] }, { session: [] }],
        body: DefinitionBody,
      },
    },
    async (req) => {
      return { ok: true, definition: normaliseDefinition(parseDefinition(req.body)) };
    },
  );
}

/** The upload route (the body is the workbook, read raw): registered where bodies stay streams. */
export function registerQuestionnaireUploadRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  limits: UploadLimits = uploadLimits(),
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/questionnaires/import',
    {
      onRequest: requireAdministrator(ctx),
      schema: {
        tags: ['reviews'],
        summary: 'Import a questionnaire from an XLSForm workbook (.xlsx, the request body)',
        security: [{ bearer: [] }, { session: [] }],
        description:
          'A new form_id creates a questionnaire; a known one adds a version when the workbook differs from its latest version. ' +
          'A workbook that uses anything outside the supported subset is refused with 400 and every problem in `details.problems` (sheet, row, column, header, code, name, message). docs/methods/questionnaires.md. ' +
          "What is read but left aside (KoboToolbox's own kobo-- and $ columns, metadata a browser cannot give) is listed in `notices` (same shape), on success and refusal alike. " +
          'An .xls workbook (Excel 97–2003) is refused with 400 and `details.code` xls-file; bytes that are no workbook with not-a-workbook. ' +
          `A workbook of more than ${MAX_WORKBOOK_BYTES / 1024 / 1024} MB, or one that unpacks to more than the upload limits (${sizeText(limits.maxUnpackedBytes)}, ${limits.maxRows} rows: MARSAD_UPLOAD_MAX_UNPACKED_BYTES, MARSAD_UPLOAD_MAX_ROWS), is refused with 413.`,
        querystring: z.object({
          fileName: z
            .string()
            .max(300)
            .optional()
            .describe('Name of the file (the form_id when the settings sheet gives none)'),
          dryRun: BoolParam.optional().describe('Check only; save nothing'),
        }),
      },
    },
    async (req, reply) => {
      const bytes = await readUpload(req);
      let result: Awaited<ReturnType<typeof importXlsForm>>;
      try {
        result = await importXlsForm(bytes, { fileName: req.query.fileName, limits });
      } catch (err) {
        if (err instanceof NotAWorkbookError)
          throw new HttpError(400, 'bad_request', err.message, { code: err.code, params: {} });
        if (err instanceof WorkbookLimitError) throw new HttpError(413, 'too_large', err.message, { limit: err.limit });
        throw err;
      }
      if (!result.ok) {
        const first = result.problems[0]!;
        throw new HttpError(
          400,
          'bad_request',
          `The workbook was refused: ${result.problems.length} problem(s). First: ${where(first)}: ${first.message}`,
          { problems: result.problems, notices: result.notices },
        );
      }
      const notices = result.notices;
      if (req.query.dryRun) return { dryRun: true, definition: normaliseDefinition(result.questionnaire), notices };
      const saved = await saveQuestionnaire(ctx.store, actorOf(req), result.questionnaire, {
        mode: 'import',
        source: 'xlsform',
        fileName: req.query.fileName ?? null,
      });
      reply.code(saved.created ? 201 : 200);
      return { ...saved, notices };
    },
  );
}
