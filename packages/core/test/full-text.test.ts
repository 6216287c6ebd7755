import { describe, expect, it } from 'vitest';
import {
  alignedSearchText,
  HEADLINE_STOP as E,
  EMPTY_CHUNK,
  escapeHtml,
  leadSnippet,
  HEADLINE_START as S,
  searchChunk,
  searchForm,
  snippetFromHeadline,
} from '../src/index.ts';

/**
 * The search form given to PostgreSQL's full-text search (knowledge repository): every Arabic
 * spelling rule, one by one, makes the variants meet; the form stays aligned with the
 * original text chunk for chunk, so that snippets show the original words.
 */

describe('searchForm: each Arabic rule makes the spellings meet', () => {
  it.each([
    ['alef with hamza above أ', 'أكادير', 'اكادير'],
    ['alef with hamza below إ', 'إسكان', 'اسكان'],
    ['alef with maddah آ', 'آمنة', 'امنه'],
    ['alef wasla ٱ', 'ٱستعراض', 'استعراض'],
    ['ta marbuta ة and ha ه', 'مذكرة مفاهيمية', 'مذكره مفاهيميه'],
    ['alef maqsura ى and ya ي', 'المنتدى', 'المنتدي'],
    ['waw with hamza ؤ', 'مسؤول', 'مسوول'],
    ['yeh with hamza ئ', 'بيئة', 'بييه'],
    ['tatweel', 'مرصـــد الأمـــان', 'مرصد الامان'],
    ['diacritics', 'الذَّكَاءُ الاصْطِنَاعِيُّ', 'الذكاء الاصطناعي'],
    ['Arabic-Indic digits', '٢٠٢٦-٢٠٢٩', '2026-2029'],
    ['Persian digits', '۲۰۳۰', '2030'],
    ['the article ال', 'المدن', 'مدن'],
    ['the conjunction و with the article', 'والمستوطنات', 'مستوطنات'],
    ['the conjunction و alone', 'وتعزيز', 'تعزيز'],
    ['ب with the article', 'بالسكن', 'سكن'],
    ['ل with the article (لل)', 'للمدن', 'مدن'],
    ['ك with the article', 'كالمدن', 'مدن'],
    ['ف with the article', 'فالمدن', 'مدن'],
    ['و with ب and the article', 'وبالسكن', 'سكن'],
    ['Latin letters: case and accents', 'San José', 'san jose'],
  ])('%s: "%s" and "%s"', (_rule, a, b) => {
    expect(searchForm(a)).toBe(searchForm(b));
  });

  it('keeps short words whole: the article and و need a stem left', () => {
    expect(searchForm('الي')).toBe('الي');
    expect(searchForm('وقت وطن')).toBe('وقت وطن');
    expect(searchForm('ولد')).toBe('ولد');
  });

  it('separates words glued by the extraction of text from a PDF', () => {
    expect(searchChunk('التوجيهيةمدريد،')).toBe('توجيهيه·مدريد,');
    expect(searchChunk('2020لعام')).toBe('2020·لعام');
    expect(searchChunk('HSP/HA.1/Res.2ثر')).toBe('hsp/ha.1/res.2·ثر');
    expect(searchChunk('مدينةٌجديدة')).toBe('مدينه·جديده');
  });

  it('replaces what PostgreSQL would read as markup, and never leaves a chunk empty', () => {
    expect(searchChunk('<b>نص</b>')).toBe('·b·نص·/b·');
    expect(searchChunk('a&amp;b')).toBe('a·amp;b');
    expect(searchChunk('ـ')).toBe(EMPTY_CHUNK);
    expect(searchChunk('\u064B')).toBe(EMPTY_CHUNK);
  });
});

describe('alignedSearchText', () => {
  it('gives one search chunk per original chunk, white space collapsed', () => {
    const text = 'تنفيذ  المبادئ\nالتوجيهية ـ (الإسكوا)   11.7.2\t<b>';
    const a = alignedSearchText(text);
    expect(a.original).toBe('تنفيذ المبادئ التوجيهية ـ (الإسكوا) 11.7.2 <b>');
    expect(a.search.split(' ')).toHaveLength(a.original.split(' ').length);
    expect(a.search).toBe('تنفيذ مبادي توجيهيه - (اسكوا) 11.7.2 ·b·');
    expect(alignedSearchText('  ')).toEqual({ original: '', search: '' });
  });
});

describe('snippetFromHeadline', () => {
  const { original, search } = alignedSearchText(
    'قدّمت البلدية مذكرة مفاهيمية عن <السلامة> & الإنارة في الأحياء ليلاً مع الجمعيات',
  );

  it('marks the original words of the highlighted search words and escapes everything else', () => {
    const headline = `${S}مذكره${E} ${S}مفاهيميه${E} عن ·سلامه· ·`;
    const snippet = snippetFromHeadline(headline, original, search, '|');
    expect(snippet).toBe('… <mark>مذكرة</mark> <mark>مفاهيمية</mark> عن &lt;السلامة&gt; &amp; …');
  });

  it('joins fragments with ellipses, and says when the text goes on beyond a window', () => {
    const headline = `بلديه ${S}مذكره${E}|${S}احياء${E} ليلا`;
    expect(snippetFromHeadline(headline, original, search, '|')).toBe(
      '… البلدية <mark>مذكرة</mark> … <mark>الأحياء</mark> ليلاً …',
    );
    expect(snippetFromHeadline(`قدمت بلديه`, original, search, '|', { before: true, after: false })).toBe(
      '… قدّمت البلدية …',
    );
  });

  it('leaves out what cannot be placed, and gives null when nothing can', () => {
    expect(snippetFromHeadline(`${S}غريب${E}`, original, search, '|')).toBeNull();
  });

  it('leadSnippet and escapeHtml', () => {
    expect(leadSnippet('a <b> c', 2)).toBe('a &lt;b&gt; …');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
