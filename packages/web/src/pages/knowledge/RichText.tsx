import { useMemo } from 'react';

/**
 * Text the server marked up, shown safely.
 *
 * Snippets (GET /api/v1/knowledge/search): the API escapes everything and adds only <mark>
 * and </mark> around matched words. They are never given to innerHTML: the string is cut at
 * those two exact tags, the pieces between are unescaped to plain text, and React builds the
 * <mark> elements and text nodes itself — so whatever a snippet holds, it can only become
 * text and marks.
 *
 * Bodies of items: rich text the server sanitised with sanitize-html before storing it
 * (packages/server/src/knowledge/rich-text.ts: an allow-list of text elements, no attribute
 * but dir, lang, href (http/https or a path), title, spans; no scripts, styles, images,
 * frames or event handlers). It is safe by that contract; as a second line of defence the
 * page parses it into an inert document (the content of a <template>: nothing in it runs or loads), keeps
 * only the same allow-list of elements and attributes, drops any href that is not http(s) or
 * a path of this site, and only then places the result in its container. The site's
 * Content-Security-Policy (default-src 'self') also refuses inline scripts and handlers.
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0' };

/** Escaped text back to plain text (named, decimal and hexadecimal references). */
export function unescapeHtml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return ENTITIES[ref.toLowerCase()] ?? all;
  });
}

/** A snippet's parts: plain text, and the words to mark. */
export function snippetParts(snippet: string): { text: string; mark: boolean }[] {
  const out: { text: string; mark: boolean }[] = [];
  const re = /<mark>([\s\S]*?)<\/mark>/g;
  let last = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > last) out.push({ text: unescapeHtml(snippet.slice(last, m.index)), mark: false });
    out.push({ text: unescapeHtml(m[1]!), mark: true });
    last = m.index + m[0].length;
  }
  if (last < snippet.length) out.push({ text: unescapeHtml(snippet.slice(last)), mark: false });
  // Any other tag left in the text is shown as text, never interpreted.
  return out;
}

export function Snippet({ snippet, lang }: { snippet: string; lang?: string }) {
  const parts = useMemo(() => snippetParts(snippet), [snippet]);
  return (
    <p className="snippet" dir="auto" lang={lang}>
      {parts.map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </p>
  );
}

const ALLOWED_TAGS = new Set([
  'P',
  'BR',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'STRONG',
  'B',
  'EM',
  'I',
  'U',
  'S',
  'SUB',
  'SUP',
  'SMALL',
  'MARK',
  'BLOCKQUOTE',
  'Q',
  'CITE',
  'ABBR',
  'UL',
  'OL',
  'LI',
  'DL',
  'DT',
  'DD',
  'A',
  'CODE',
  'PRE',
  'HR',
  'SPAN',
  'DIV',
  'TABLE',
  'CAPTION',
  'THEAD',
  'TBODY',
  'TFOOT',
  'TR',
  'TH',
  'TD',
]);
/** Elements dropped with their content (the server drops them too). */
const DROPPED = new Set([
  'SCRIPT',
  'STYLE',
  'TEXTAREA',
  'OPTION',
  'NOSCRIPT',
  'TEMPLATE',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'SVG',
  'MATH',
  'TITLE',
  'HEAD',
  'LINK',
  'META',
  'BASE',
  'FORM',
]);
const ALLOWED_ATTRS: Record<string, string[]> = {
  '*': ['dir', 'lang'],
  A: ['href', 'title', 'rel'],
  ABBR: ['title'],
  OL: ['start'],
  TH: ['colspan', 'rowspan', 'scope'],
  TD: ['colspan', 'rowspan'],
};

function safeHref(v: string): boolean {
  const s = v.trim();
  return /^https?:\/\//i.test(s) || (s.startsWith('/') && !s.startsWith('//'));
}

/** The server-sanitised rich text, checked once more against the same allow-list in an inert document. */
export function checkedRichText(html: string): string {
  // A <template>'s content belongs to an inert document: nothing in it loads or runs.
  const tpl = document.createElement('template');
  // Handler attributes are renamed inside tags before parsing, so that the browser never even
  // considers them (the walk below then drops the renamed attributes with every other one).
  tpl.innerHTML = html.replace(/<[^>]*>/g, (tag) => tag.replace(/(\s|\/)on([a-z]+)\s*=/gi, '$1data-removed-on$2='));
  const walk = (el: Element | DocumentFragment) => {
    for (const child of [...el.children]) {
      const tag = child.tagName.toUpperCase();
      if (DROPPED.has(tag)) {
        child.remove();
        continue;
      }
      walk(child);
      if (!ALLOWED_TAGS.has(tag)) {
        child.replaceWith(...child.childNodes);
        continue;
      }
      const allowed = [...ALLOWED_ATTRS['*']!, ...(ALLOWED_ATTRS[tag] ?? [])];
      for (const a of [...child.attributes]) {
        if (!allowed.includes(a.name.toLowerCase()) || (a.name.toLowerCase() === 'href' && !safeHref(a.value)))
          child.removeAttribute(a.name);
      }
      if (tag === 'A') child.setAttribute('rel', 'nofollow noopener noreferrer');
    }
  };
  // Comments and processing instructions are not elements: they are kept as they are (inert).
  walk(tpl.content);
  return tpl.innerHTML;
}

/** A rich-text body in a container; see the comment at the top of this file for why this is safe. */
export function RichText({ html, lang, className = 'rich-text' }: { html: string; lang?: string; className?: string }) {
  // Drawn on the server (src/entry-server.tsx) there is no document to check in: the server's own sanitised HTML
  // is sent, and the browser checks it again when the page is drawn there.
  const checked = useMemo(() => (typeof document === 'undefined' ? html : checkedRichText(html)), [html]);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by the server and checked again above
  return <div className={className} dir="auto" lang={lang} dangerouslySetInnerHTML={{ __html: checked }} />;
}
