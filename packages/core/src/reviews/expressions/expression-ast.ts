/** The syntax tree of a parsed expression; every node keeps its offset in the text. */
export type BinaryOperator = 'or' | 'and' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | 'div' | 'mod';

export type ExpressionNode =
  | { kind: 'number'; value: number; position: number }
  | { kind: 'string'; value: string; position: number }
  /** `${name}`: the answer to another question. */
  | { kind: 'reference'; name: string; position: number }
  /** `.`: the answer to the current question. */
  | { kind: 'current'; position: number }
  /** A bare name in a choice filter: that column of the choice being filtered (`cf`, `name`). */
  | { kind: 'column'; name: string; position: number }
  | { kind: 'negate'; operand: ExpressionNode; position: number }
  | { kind: 'binary'; operator: BinaryOperator; left: ExpressionNode; right: ExpressionNode; position: number }
  | { kind: 'call'; name: SupportedFunction; args: ExpressionNode[]; position: number };

/** The functions an expression may call, with the number of arguments each takes. */
export const SUPPORTED_FUNCTIONS = {
  not: [1, 1],
  if: [3, 3],
  selected: [2, 2],
  'count-selected': [1, 1],
  'string-length': [1, 1],
  regex: [2, 2],
  coalesce: [2, 2],
  today: [0, 0],
  concat: [1, 100],
  contains: [2, 2],
  'starts-with': [2, 2],
  'ends-with': [2, 2],
  substr: [2, 3],
  'selected-at': [2, 2],
  string: [1, 1],
  number: [1, 1],
  int: [1, 1],
} as const satisfies Record<string, readonly [number, number]>;

export type SupportedFunction = keyof typeof SUPPORTED_FUNCTIONS;

export function isSupportedFunction(name: string): name is SupportedFunction {
  return Object.hasOwn(SUPPORTED_FUNCTIONS, name);
}
