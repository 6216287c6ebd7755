/**
 * Which messages a reader of the public pages needs (issue 16: under 150 kB of JavaScript before a page is
 * interactive). A language's catalog is sent in two parts: the messages of the public pages, loaded with the
 * app, and those of the pages of work (signing in, data entry, imports, administration, review work, the forms
 * that edit programmes and knowledge items), loaded when such a page is opened or someone is signed in
 * (i18n.ts). A message belongs to the work part when its key starts with one of WORK_PREFIXES and with none of
 * PUBLIC_EXCEPTIONS. A key put in the work part by mistake still shows once the part arrives, and says so on
 * the console (i18n.ts), which the browser tests treat as an error.
 * Imported by vite.config.ts only (and tests): the app gets the parts as built modules, and its build has no ICU
 * parser (compilePart's `parse` would throw there).
 */
import { type MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';

export const WORK_PREFIXES = [
  'admin.',
  'apiError.',
  'entry.',
  'import.',
  'tokens.',
  'knowledge.editor.',
  'knowledge.err.',
  'knowledge.form.',
  'langFields.',
  'programmes.edit.',
  'reviews.builder.',
  'programmes.error.',
  'programmes.form.',
  'reviews.actions.',
  'reviews.assign.',
  'reviews.board.',
  'reviews.candidates.',
  'reviews.comments.',
  'reviews.declaration.',
  'reviews.import.',
  'reviews.timeline.',
  'safetyAssessment.',
  'safetyMonitor.edit.',
] as const;

/**
 * Families under a work prefix that public pages show: labels of languages, roles and statuses, the pager of long
 * lists (a place's indicators), the place picker and form helpers of the public pages' own forms.
 */
export const PUBLIC_EXCEPTIONS = [
  'admin.form.',
  'admin.lang.',
  'admin.pager.',
  'admin.picker.',
  'admin.role.',
  'admin.tokenState.',
  'admin.userStatus.',
] as const;

export type CatalogPart = 'public' | 'work';

export function partOf(key: string): CatalogPart {
  if (PUBLIC_EXCEPTIONS.some((p) => key.startsWith(p))) return 'public';
  return WORK_PREFIXES.some((p) => key.startsWith(p)) ? 'work' : 'public';
}

/**
 * The messages of a catalog in `part`, each ICU message parsed once, as intl-messageformat would parse it in the
 * browser (with the options i18next-icu gave it: tags are text): a message that is only text becomes that text
 * (quotes undone), any other its syntax tree, which intl-messageformat formats without parsing.
 * A message that does not parse is named.
 */
export function compilePart(
  catalog: Record<string, unknown>,
  part: CatalogPart,
  where: string,
): Record<string, string | MessageFormatElement[]> {
  const out: Record<string, string | MessageFormatElement[]> = {};
  for (const [key, message] of Object.entries(catalog)) {
    if (key === '_meta' || typeof message !== 'string' || partOf(key) !== part) continue;
    let ast: MessageFormatElement[];
    try {
      ast = parse(message, { ignoreTag: true });
    } catch (e) {
      throw new Error(`${where}: the message "${key}" is not valid ICU: ${(e as Error).message}`);
    }
    const only = ast[0];
    out[key] = ast.length === 0 ? '' : ast.length === 1 && only?.type === TYPE.literal ? only.value : ast;
  }
  return out;
}
