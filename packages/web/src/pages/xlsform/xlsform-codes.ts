/**
 * The catalog keys of what the XLSForm import answers (packages/server/src/reviews/xlsform/xlsform-import.ts): each
 * problem and notice code, and the codes that refuse a whole file. Literal keys, checked against the six catalogs by
 * packages/web/test/xlsform-messages.test.ts.
 */

/** The catalog key of each problem and notice code (literal keys, so that the catalogs' test finds them). */
export const PROBLEM_KEYS: Record<string, string> = {
  'unsupported-sheet': 'reviews.import.problem.unsupported-sheet',
  'ignored-sheet': 'reviews.import.problem.ignored-sheet',
  'ignored-column': 'reviews.import.problem.ignored-column',
  'metadata-left-empty': 'reviews.import.problem.metadata-left-empty',
  'unreadable-cell': 'reviews.import.problem.unreadable-cell',
  'missing-sheet': 'reviews.import.problem.missing-sheet',
  'extra-settings-row': 'reviews.import.problem.extra-settings-row',
  missing: 'reviews.import.problem.missing',
  'unsupported-type': 'reviews.import.problem.unsupported-type',
  'unsupported-column': 'reviews.import.problem.unsupported-column',
  'column-not-used': 'reviews.import.problem.column-not-used',
  'unmatched-end': 'reviews.import.problem.unmatched-end',
  unclosed: 'reviews.import.problem.unclosed',
  'unsupported-required': 'reviews.import.problem.unsupported-required',
  'duplicate-column': 'reviews.import.problem.duplicate-column',
  'unnamed-column': 'reviews.import.problem.unnamed-column',
  'bad-setting': 'reviews.import.problem.bad-setting',
  'bad-name': 'reviews.import.problem.bad-name',
  'duplicate-name': 'reviews.import.problem.duplicate-name',
  'unknown-list': 'reviews.import.problem.unknown-list',
  'list-not-allowed': 'reviews.import.problem.list-not-allowed',
  'empty-list': 'reviews.import.problem.empty-list',
  'duplicate-list': 'reviews.import.problem.duplicate-list',
  'duplicate-choice': 'reviews.import.problem.duplicate-choice',
  'unknown-language': 'reviews.import.problem.unknown-language',
  'duplicate-language': 'reviews.import.problem.duplicate-language',
  'missing-label': 'reviews.import.problem.missing-label',
  'empty-group': 'reviews.import.problem.empty-group',
  'bad-appearance': 'reviews.import.problem.bad-appearance',
  'bad-theme': 'reviews.import.problem.bad-theme',
  'group-reference': 'reviews.import.problem.group-reference',
  'text-reference': 'reviews.import.problem.text-reference',
  cycle: 'reviews.import.problem.cycle',
  'field-not-allowed': 'reviews.import.problem.field-not-allowed',
  'other-name-taken': 'reviews.import.problem.other-name-taken',
  'metadata-in-repeat': 'reviews.import.problem.metadata-in-repeat',
  'expression:syntax': 'reviews.import.problem.expression.syntax',
  'expression:unexpected-end': 'reviews.import.problem.expression.unexpected-end',
  'expression:unclosed-string': 'reviews.import.problem.expression.unclosed-string',
  'expression:unsupported-function': 'reviews.import.problem.expression.unsupported-function',
  'expression:unsupported-name': 'reviews.import.problem.expression.unsupported-name',
  'expression:unknown-reference': 'reviews.import.problem.expression.unknown-reference',
  'expression:unknown-column': 'reviews.import.problem.expression.unknown-column',
  'expression:unreachable-reference': 'reviews.import.problem.expression.unreachable-reference',
  'expression:no-current-value': 'reviews.import.problem.expression.no-current-value',
  'expression:wrong-arguments': 'reviews.import.problem.expression.wrong-arguments',
  'expression:bad-regex': 'reviews.import.problem.expression.bad-regex',
  'expression:empty': 'reviews.import.problem.expression.empty',
  'expression:cycle': 'reviews.import.problem.expression.cycle',
};

/** What refuses a whole file (`details.code` of the answer). */
export const FILE_KEYS: Record<string, string> = {
  'xls-file': 'reviews.import.xlsFile',
  'not-a-workbook': 'reviews.import.notWorkbook',
  'empty-body': 'reviews.import.emptyFile',
};
