import { escapeHtml } from '@marsad/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { LangParam, pick } from '../http/pagination.ts';
import { REPORTING_STATUSES } from '../imports/open-sdg-repository/repository-metadata.ts';
import { sanitiseRichText } from '../knowledge/rich-text.ts';

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

/** `GET /api/v1/indicators/:code/metadata`: the metadata brought with Open SDG repositories, in a language. */
export function registerIndicatorMetadataRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  r.get(
    '/api/v1/indicators/:code/metadata',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Metadata of an indicator from Open SDG repositories, per source, in a language',
        description:
          'Each source (who published the metadata, e.g. "Office for National Statistics (Open SDG)") with its fields in the language asked, else in English, else in the language it has (`lang` says which). `html` is sanitised rich text (HTML as published, or Markdown made HTML); `text` as published. `reportingStatus`: complete, inprogress or notstarted as the source declares it.',
        params: z.object({ code: z.string().max(80) }),
        querystring: z.object({ lang: LangParam }),
      },
    },
    async (req) => {
      const ind = await db
        .selectFrom('indicators')
        .select(['id', 'code'])
        .where('code', '=', req.params.code)
        .executeTakeFirst();
      if (!ind) throw new HttpError(404, 'not_found', `No indicator with code "${req.params.code}".`);
      const lang = req.query.lang ?? 'en';
      const rows = await db
        .selectFrom('indicator_metadata as m')
        .leftJoin('places as p', 'p.id', 'm.place_id')
        .select([
          'm.source',
          'm.lang',
          'm.field',
          'm.text',
          'm.position',
          'm.updated_at',
          'p.code as place_code',
          'p.names as place_names',
        ])
        .where('m.indicator_id', '=', ind.id)
        .orderBy('m.source')
        .orderBy('m.position')
        .execute();
      const bySource = new Map<string, typeof rows>();
      for (const row of rows) {
        const list = bySource.get(row.source) ?? [];
        list.push(row);
        bySource.set(row.source, list);
      }
      const sources = [...bySource].map(([source, list]) => {
        const byField = new Map<string, typeof rows>();
        for (const row of list) byField.set(row.field, [...(byField.get(row.field) ?? []), row]);
        const fields = [...byField].map(([field, texts]) => {
          const chosen = texts.find((t) => t.lang === lang) ?? texts.find((t) => t.lang === 'en') ?? texts[0]!;
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
}
