/**
 * Problems with an expression are values, not exceptions: the parser and the evaluator return
 * them, so that the server (XLSForm import, submission checks) and the browser (the form)
 * report the same code, position and name. `message` is English; the web app translates by
 * `code` with `name` and `position` as parameters.
 */
export type ExpressionErrorCode =
  /** A character or token that has no place here (e.g. a curly quote, a lone `$`). */
  | 'syntax'
  /** The expression stops where more was expected (an open bracket, a missing operand). */
  | 'unexpected-end'
  /** A string literal without its closing quote. */
  | 'unclosed-string'
  /** A function outside the supported list (docs/methods/questionnaires.md). */
  | 'unsupported-function'
  /** A bare name or path (`age`, `/data/age`, `../x`): answers are referred to as `${name}`. */
  | 'unsupported-name'
  /** `${name}` where the questionnaire has no question of that name. */
  | 'unknown-reference'
  /** A bare name in a choice filter that no choice of the list has as a column. */
  | 'unknown-column'
  /** `${name}` that cannot be read from here (a question inside a repeat, read from outside it). */
  | 'unreachable-reference'
  /** `.` where there is no current question (a calculation). */
  | 'no-current-value'
  /** A supported function given the wrong number of arguments. */
  | 'wrong-arguments'
  /** A regular expression that does not compile. */
  | 'bad-regex'
  /** An empty expression. */
  | 'empty'
  /** Values that depend on each other in a circle (a calculation or relevance that refers back to itself). */
  | 'cycle';

export interface ExpressionError {
  code: ExpressionErrorCode;
  /** Offset of the problem in the expression text, from 0 (messages say "character N", from 1). */
  position: number;
  /** The unsupported function, name or reference, or the unexpected text. */
  name?: string;
  message: string;
}

export function expressionError(
  code: ExpressionErrorCode,
  position: number,
  message: string,
  name?: string,
): ExpressionError {
  return name === undefined ? { code, position, message } : { code, position, name, message };
}
