import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { RichText } from './RichText.tsx';

/**
 * A rich-text field: a textarea holding simple HTML, with a toolbar that wraps the selected
 * text in bold, italic, a heading, a link or a list, and a preview. What it produces is sent
 * as is; the server sanitises it (no scripts, handlers, styles or foreign schemes), and the
 * preview applies the same allow-list in the browser.
 */

const BLOCK = /^<(p|h[2-6]|ul|ol|blockquote|pre|table|div|hr|dl)\b/i;

/** Text written with blank lines between paragraphs, as HTML: bare paragraphs become <p>, single line breaks <br>. */
export function paragraphsToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) =>
      BLOCK.test(p)
        ? p
        : `<p>${p
            .split('\n')
            .map((l) => l.trim())
            .join('<br>')}</p>`,
    )
    .join('\n');
}

export function RichTextEditor({
  id,
  value,
  onChange,
  lang,
  describedBy,
  invalid,
}: {
  id: string;
  value: string;
  onChange(v: string): void;
  lang: string;
  describedBy?: string;
  invalid?: boolean;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLTextAreaElement>(null);
  const wrap = (before: string, after: string, placeholder: string) => {
    const el = ref.current;
    if (!el) return;
    const { selectionStart: s, selectionEnd: e } = el;
    const chosen = value.slice(s, e) || placeholder;
    const next = value.slice(0, s) + before + chosen + after + value.slice(e);
    onChange(next);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(s + before.length, s + before.length + chosen.length);
    });
  };
  const list = (tag: 'ul' | 'ol') => {
    const el = ref.current;
    if (!el) return;
    const { selectionStart: s, selectionEnd: e } = el;
    const chosen = value.slice(s, e) || t('knowledge.editor.item');
    const items = chosen
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => `  <li>${l}</li>`)
      .join('\n');
    const block = `\n\n<${tag}>\n${items}\n</${tag}>\n\n`;
    onChange(value.slice(0, s) + block + value.slice(e));
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(s + block.length, s + block.length);
    });
  };
  const link = () => {
    const url = window.prompt(t('knowledge.editor.linkPrompt'), 'https://');
    if (!url || !/^https?:\/\/\S+$/i.test(url.trim())) return;
    wrap(`<a href="${url.trim().replace(/"/g, '%22')}">`, '</a>', t('knowledge.editor.linkText'));
  };
  return (
    <div className="rte">
      <div role="toolbar" aria-label={t('knowledge.editor.toolbar')} aria-controls={id} className="rte-toolbar">
        <button
          type="button"
          className="secondary small-button"
          onClick={() => wrap('<strong>', '</strong>', t('knowledge.editor.text'))}
        >
          <strong>{t('knowledge.editor.bold')}</strong>
        </button>
        <button
          type="button"
          className="secondary small-button"
          onClick={() => wrap('<em>', '</em>', t('knowledge.editor.text'))}
        >
          <em>{t('knowledge.editor.italic')}</em>
        </button>
        <button
          type="button"
          className="secondary small-button"
          onClick={() => wrap('\n\n<h2>', '</h2>\n\n', t('knowledge.editor.heading'))}
        >
          {t('knowledge.editor.heading')}
        </button>
        <button type="button" className="secondary small-button" onClick={() => list('ul')}>
          {t('knowledge.editor.bullets')}
        </button>
        <button type="button" className="secondary small-button" onClick={() => list('ol')}>
          {t('knowledge.editor.numbers')}
        </button>
        <button type="button" className="secondary small-button" onClick={link}>
          {t('knowledge.editor.link')}
        </button>
      </div>
      <textarea
        id={id}
        ref={ref}
        dir="auto"
        lang={lang}
        rows={12}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={describedBy}
        {...(invalid ? { 'aria-invalid': true } : {})}
      />
      {value.trim() && (
        <details className="rte-preview">
          <summary>{t('knowledge.editor.preview')}</summary>
          <RichText html={paragraphsToHtml(value)} lang={lang} />
        </details>
      )}
    </div>
  );
}
