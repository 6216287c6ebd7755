/**
 * What the XLSForm import answers (packages/server/src/reviews/xlsform/xlsform-import.ts: problems and notices with
 * sheet, row, column, header, `code` and `name`; a refusal of the whole file with `details.code`), said in the
 * user's language from the catalogs. A code the catalogs do not know shows the server's English message, marked so.
 */
import { useTranslation } from 'react-i18next';
import { PROBLEM_KEYS } from './xlsform-codes.ts';

export { FILE_KEYS, PROBLEM_KEYS } from './xlsform-codes.ts';

export interface XlsFormProblem {
  sheet: string;
  row: number | null;
  column: string | null;
  header: string | null;
  code: string;
  name?: string;
  position?: number;
  message: string;
}

/** First-strong isolate: a value (a name, a code) keeps its own direction inside the message. */
const isolate = (v: string | number) => `\u2068${v}\u2069`;

/** The values a problem's message may use: the name, it as a reference (`${name}`), the character (from 1). */
export function problemValues(p: Pick<XlsFormProblem, 'name' | 'position'>): Record<string, string> {
  const name = p.name ?? '';
  const ref = name.startsWith('${') ? name : `\${${name}}`;
  return {
    name: isolate(name),
    ref: isolate(ref),
    example: isolate('${name}'),
    character: isolate(String((p.position ?? 0) + 1)),
  };
}

/** Where a problem is: sheet, row, column letter and header, as far as the problem has them. */
export function ProblemWhere({ p }: { p: XlsFormProblem }) {
  const { t } = useTranslation();
  const values = {
    sheet: isolate(p.sheet),
    row: p.row === null ? '—' : isolate(p.row),
    column: p.column === null ? '—' : isolate(p.column),
    header: isolate(p.header ?? ''),
  };
  return (
    <span className="xlsform-where">
      {p.row === null && p.column === null
        ? t('reviews.import.whereSheet', values)
        : p.header
          ? t('reviews.import.whereHeader', values)
          : t('reviews.import.where', values)}
    </span>
  );
}

/** A problem or notice in the user's language (the server's English message for a code the catalogs lack). */
export function ProblemText({ p }: { p: XlsFormProblem }) {
  const { t } = useTranslation();
  const key = PROBLEM_KEYS[p.code];
  if (!key)
    return (
      <span lang="en" dir="ltr">
        {p.message}
      </span>
    );
  return <span data-problem={p.code}>{t(key, problemValues(p))}</span>;
}
