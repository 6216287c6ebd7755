import {
  escapeHtml,
  METADATA_FIELD_NAME,
  METADATA_FIELDS,
  METADATA_TEXT_MAX,
  REPORTING_STATUSES,
  SOURCE_FIELD,
  SOURCE_KINDS,
} from '@marsad/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import { canEditIndicator, currentActor, requireCatalogueWriter } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { LangParam, pick } from '../http/pagination.ts';
import { sanitiseRichText } from '../knowledge/rich-text.ts';
import { indicatorOf, metadataRows, writeMetadataTexts } from './indicator-metadata-store.ts';

const LINK = /\[([^\]\n]{1,500})\]\((https?:\/\/[^\s)]{1,2000})\)/g;
const BARE_URL = /(^|[\s(])(https?:\/\/[^\s<>"')]{1,2000})/g;

/** Escaped text with Markdown's inline marks: links, bold, emphasis, bare addresses as links. */
function inline(s: string): string {
  const links: string[] = [];
  let t = escapeHtml(s).replace(LINK, (_m, text: string, url: string) => {
    links.push(`<a href="${url}">${text}</a>`);
    return `\uE000${links.length - 1}\uE000`;
  });
  t = t.replace(BARE_URL, (_m, before: string, url: string) => {
    links.push(`<a href="${url}">${url}</a>`);
    return `${before}\uE000${links.length - 1}\uE000`;
  });
  t = t.replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>').replace(/(^|[\s(])\*([^*\s][^*\n]*)\*/g, '$1<em>$2</em>');
  return t.replace(/\uE000(\d+)\uE000/g, (_m, i: string) => links[Number(i)] ?? '');
}

/**
 * Metadata text as safe rich text: HTML as published, sanitised (knowledge/rich-text.ts); other
 * text read as Markdown (paragraphs, lists, headings, links, bold, emphasis), then sanitised too.
 */
export function metadataHtml(text: string): string {
  if (/<\/?[a-z][a-z0-9]*[\s/>]/i.test(text)) return sanitiseRichText(text);
  const html = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((b) => b.replace(/^\n+|\n+$/g, ''))
    .filter((b) => b.trim())
    .map((b) => {
      const lines = b.split('\n');
      if (lines.every((l) => /^\s*[-*+]\s+/.test(l)))
        return `<ul>${lines.map((l) => `<li>${inline(l.replace(/^\s*[-*+]\s+/, ''))}</li>`).join('')}</ul>`;
      if (lines.every((l) => /^\s*\d{1,3}[.)]\s+/.test(l)))
        return `<ol>${lines.map((l) => `<li>${inline(l.replace(/^\s*\d{1,3}[.)]\s+/, ''))}</li>`).join('')}</ol>`;
      const h = /^#{1,6}\s+(.+)$/.exec(b.trim());
      if (h && lines.length === 1) return `<h4>${inline(h[1]!)}</h4>`;
      return `<p>${lines.map((l) => inline(l.trim())).join('<br>')}</p>`;
    })
    .join('\n');
  return sanitiseRichText(html);
}

/** The UN languages in Marsad's order, after the reader's and English (web/src/i18n/pick-user-text.ts). */
const LANG_ORDER = ['ar', 'fr', 'es', 'ru', 'zh'];
const baseOf = (l: string) => l.toLowerCase().split('-')[0]!;

/** The text to show a reader of `lang`: theirs, else English, else the other UN languages in order, else any. */
function chooseText<T extends { lang: string }>(texts: T[], lang: string): T {
  for (const code of [lang, 'en', ...LANG_ORDER]) {
    const t = texts.find((x) => x.lang === code) ?? texts.find((x) => baseOf(x.lang) === code);
    if (t) return t;
  }
  return texts[0]!;
}

const METADATA_LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})?$/;
const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
/** A language code the Unicode data knows (kk, zh-Hans, en-GB), not one merely well formed (xx, qq). */
function knownLanguage(code: string): boolean {
  try {
    return languageNames.of(code) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Texts of one source of an indicator's metadata, as an administrator enters them in the pages. The field names and
 * language codes are checked one by one, so that a refusal names the key and says what it must be.
 */
const MetadataPatch = z
  .object({
    source: z
      .string()
      .trim()
      .min(1)
      .max(300)
      .describe(
        'Who publishes these texts, e.g. "Office for National Statistics (Open SDG)"; a source the indicator has no text of yet is added',
      ),
    fields: z
      .record(
        z.string().max(80),
        z
          .record(z.string().max(20), z.string().max(METADATA_TEXT_MAX))
          .describe(
            'Texts by language code (ar, en, fr, es, ru, zh, …); an empty text removes its language, the languages left out are unchanged',
          ),
      )
      .refine((f) => Object.keys(f).length > 0, 'give at least one field')
      .refine((f) => Object.keys(f).length <= 200, 'at most 200 fields at a time')
      .describe(
        `Texts by field (Open SDG's names: ${METADATA_FIELDS.filter((f) => f !== 'reporting_status').join(', ')}, source_<kind>_<n> with kind ${SOURCE_KINDS.join(', ')}) and language`,
      ),
  })
  .strict()
  .superRefine((b, ctx) => {
    for (const [field, byLang] of Object.entries(b.fields)) {
      if (!METADATA_FIELD_NAME.test(field))
        ctx.addIssue({
          code: 'custom',
          path: ['fields', field],
          message: 'not a field name: lower-case letters, digits and "_", starting with a letter (e.g. data_footnote)',
        });
      else if (!(METADATA_FIELDS as readonly string[]).includes(field) && !SOURCE_FIELD.test(field))
        ctx.addIssue({
          code: 'custom',
          path: ['fields', field],
          message: `not a metadata field: one of Open SDG's (${METADATA_FIELDS.slice(0, 4).join(', ')} …) or source_<kind>_<n> with kind ${SOURCE_KINDS.join(', ')}`,
        });
      for (const [lang, text] of Object.entries(byLang)) {
        if (!METADATA_LANG.test(lang) || !knownLanguage(lang))
          ctx.addIssue({
            code: 'custom',
            path: ['fields', field, lang],
            message: 'not a language code such as ar, en or zh-Hans',
          });
        else if (
          field === 'reporting_status' &&
          text.trim() &&
          !(REPORTING_STATUSES as readonly string[]).includes(text.trim())
        )
          ctx.addIssue({
            code: 'custom',
            path: ['fields', field, lang],
            message: `the reporting status is one of ${REPORTING_STATUSES.join(', ')}`,
          });
      }
    }
  });

/**
 * `GET /api/v1/indicators/:code/metadata`: the metadata brought with Open SDG repositories (or entered in the pages),
 * in a language; `GET …/metadata/texts`: every language, for editing; `PATCH …/metadata`: texts of one source.
 */
export function registerIndicatorMetadataRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  const indicator = async (code: string) => {
    const ind = await indicatorOf(db, code);
    if (!ind) throw new HttpError(404, 'not_found', `No indicator with code "${code}".`);
    return ind;
  };
  /** The rows of an indicator by source, in the order they come. */
  const bySource = async (indicatorId: number) => {
    const rows = await metadataRows(db, indicatorId);
    const out = new Map<string, typeof rows>();
    for (const row of rows) out.set(row.source, [...(out.get(row.source) ?? []), row]);
    return out;
  };
  r.get(
    '/api/v1/indicators/:code/metadata',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Metadata of an indicator from Open SDG repositories, per source, in a language',
        description:
          'Each source (who published the metadata, e.g. "Office for National Statistics (Open SDG)") with its fields in the language asked, else in English, else in the other UN languages in order (Arabic, French, Spanish, Russian, Chinese), else in the language it has (`lang` says which). `html` is sanitised rich text (HTML as published, or Markdown made HTML); `text` as published. `reportingStatus`: complete, inprogress or notstarted as the source declares it.',
        params: z.object({ code: z.string().max(80) }),
        querystring: z.object({ lang: LangParam }),
      },
    },
    async (req) => {
      const ind = await indicator(req.params.code);
      const lang = req.query.lang ?? 'en';
      const sources = [...(await bySource(ind.id))].map(([source, list]) => {
        const byField = new Map<string, typeof list>();
        for (const row of list) byField.set(row.field, [...(byField.get(row.field) ?? []), row]);
        const fields = [...byField].map(([field, texts]) => {
          const chosen = chooseText(texts, lang);
          return {
            field,
            lang: chosen.lang,
            text: chosen.text,
            html: field === 'reporting_status' ? escapeHtml(chosen.text) : metadataHtml(chosen.text),
          };
        });
        const status = byField.get('reporting_status')?.[0]?.text;
        const first = list[0]!;
        return {
          source,
          place: first.place_code ? { code: first.place_code, name: pick(first.place_names, lang) } : null,
          updatedAt:
            list
              .map((t) => new Date(t.updated_at as unknown as string | Date).toISOString())
              .sort()
              .at(-1) ?? null,
          reportingStatus: status && (REPORTING_STATUSES as readonly string[]).includes(status) ? status : null,
          languages: [...new Set(list.map((t) => t.lang))].sort(),
          fields: fields.filter((f) => f.field !== 'reporting_status'),
        };
      });
      return { indicator: ind.code, lang, sources };
    },
  );

  r.get(
    '/api/v1/indicators/:code/metadata/texts',
    {
      schema: {
        tags: ['catalogue'],
        summary: "An indicator's metadata texts in every language, per source and field (for editing)",
        description:
          'The texts as stored (HTML or Markdown as published, not sanitised: show them with `GET …/metadata`), each field with its texts by language code.',
        params: z.object({ code: z.string().max(80) }),
        querystring: z.object({ lang: LangParam }),
      },
    },
    async (req) => {
      const ind = await indicator(req.params.code);
      const lang = req.query.lang ?? 'en';
      const sources = [...(await bySource(ind.id))].map(([source, list]) => {
        const fields = new Map<string, Record<string, string>>();
        for (const row of list) fields.set(row.field, { ...fields.get(row.field), [row.lang]: row.text });
        const first = list[0]!;
        return {
          source,
          place: first.place_code ? { code: first.place_code, name: pick(first.place_names, lang) } : null,
          fields: [...fields].map(([field, texts]) => ({ field, texts })),
        };
      });
      return { indicator: ind.code, sources };
    },
  );

  r.patch(
    '/api/v1/indicators/:code/metadata',
    {
      onRequest: requireCatalogueWriter(ctx),
      schema: {
        tags: ['catalogue'],
        summary: "Enter or change texts of an indicator's metadata, in any language",
        description:
          'Administrators; national and city focal points for the local indicators owned by the places they hold (as for PATCH /api/v1/indicators/:code). The texts of one source: a language given replaces its text, an empty text removes it, the fields and languages left out are unchanged; all or nothing, audited. A new import of the Open SDG repository of that source replaces its texts.',
        security: [{ bearer: [] }, { session: [] }],
        params: z.object({ code: z.string().max(80) }),
        body: MetadataPatch,
      },
    },
    async (req) => {
      const ind = await indicator(req.params.code);
      const actor = await currentActor(req, ctx);
      if (!canEditIndicator(actor, { local: ind.local, ownerPath: ind.owner_path }))
        throw new HttpError(
          403,
          'forbidden',
          !ind.local
            ? `Indicator ${ind.code} belongs to the reference catalogue (SDG and the global frameworks); only administrators edit its metadata.`
            : `Indicator ${ind.code} is owned by ${ind.owner_code ?? 'no place'}; you hold no focal point role on it or on a place above it.`,
        );
      const { source, fields } = req.body;
      const written = await ctx.store.exclusive(async (conn) => {
        const w = await writeMetadataTexts(conn, ind.id, source, fields);
        if (w.added + w.changed + w.removed > 0)
          await appendAudit(conn, actorOf(req), {
            action: 'update-metadata',
            entityType: 'indicator',
            entityId: ind.code,
            summary: `${source}: ${w.added} added, ${w.changed} changed, ${w.removed} removed`,
            before: { source, fields: w.before },
            after: { source, fields: w.after },
          });
        return w;
      });
      return {
        indicator: ind.code,
        source,
        added: written.added,
        changed: written.changed,
        removed: written.removed,
        unchanged: written.unchanged,
      };
    },
  );
}
