import { escapeHtml } from '@marsad/core';
import sanitizeHtml from 'sanitize-html';

/**
 * Rich text of the repository (bodies and results of items), sanitised on the server with
 * sanitize-html before it is stored, whatever the client sent: an allow-list of text elements
 * (paragraphs, headings, lists, emphasis, quotations, tables, code, links); no scripts, styles,
 * forms, images, media, frames or objects; no attribute but `dir` and `lang` (and `href` on
 * links, spans of tables, `start` of lists) — so no event handlers and no `style`; links only
 * to http(s) addresses or paths of this site, never `javascript:`, `data:` or another scheme,
 * and always with rel="nofollow noopener noreferrer". The text of removed elements is kept,
 * except that of script, style and similar elements, which is dropped.
 */

const ALLOWED_TAGS = [
  'p',
  'br',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'sub',
  'sup',
  'small',
  'mark',
  'blockquote',
  'q',
  'cite',
  'abbr',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'a',
  'code',
  'pre',
  'hr',
  'span',
  'div',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
];

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    '*': ['dir', 'lang'],
    a: ['href', 'title', 'rel'],
    abbr: ['title'],
    ol: ['start'],
    th: ['colspan', 'rowspan', 'scope'],
    td: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href', 'cite'],
  allowProtocolRelative: false,
  allowedIframeHostnames: [],
  allowVulnerableTags: false,
  disallowedTagsMode: 'discard',
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'template',
    'iframe',
    'object',
    'embed',
    'svg',
    'math',
    'title',
    'head',
  ],
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow noopener noreferrer' } }),
  },
};

/** The stored form of user-written rich text. */
export function sanitiseRichText(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}

const BLOCK_END = /<(?:br\s*\/?|\/p|\/h[1-6]|\/li|\/dt|\/dd|\/tr|\/blockquote|\/pre|\/div|\/caption|hr\s*\/?)>/gi;
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
  '&nbsp;': '\u00A0',
};

/** The text of sanitised rich text, for search and snippets: one line per block. */
export function richTextToPlain(html: string): string {
  const text = sanitizeHtml(
    html.replace(BLOCK_END, (m) => `${m}\n`),
    { allowedTags: [], allowedAttributes: {}, nonTextTags: OPTIONS.nonTextTags },
  );
  return text
    .replace(/&(?:amp|lt|gt|quot|nbsp|#39|#x27);/g, (e) => ENTITIES[e] ?? e)
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Plain text as rich text: paragraphs at blank lines, line breaks kept, everything escaped. */
export function plainToRichText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map(
      (p) =>
        `<p>${p
          .split('\n')
          .map((l) => escapeHtml(l.trim()))
          .join('<br>')}</p>`,
    )
    .join('\n');
}
