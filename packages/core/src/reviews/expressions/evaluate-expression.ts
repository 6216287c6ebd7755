/**
 * The evaluator of parsed expressions (parse-expression.ts). Pure: answers and today's date
 * come from the context, so the browser and the server get the same result, and tests are
 * deterministic. Semantics: docs/methods/questionnaires.md ("Expressions").
 */

import type { ExpressionNode } from './expression-ast.ts';
import { type ExpressionError, expressionError } from './expression-error.ts';
import { type ExpressionValue, selectedItems, toBoolean, toNumber, toText } from './expression-values.ts';
import { compileRegex } from './parse-expression.ts';

export interface EvaluationContext {
  /**
   * The value of `${name}`: the answer ('' when empty or not relevant), a calculated value, or
   * a problem (such as a cycle). Undefined for a name the questionnaire does not have.
   */
  reference(name: string, position: number): ExpressionValue | ExpressionError | undefined;
  /** The answer to the current question, for `.`; undefined where there is none (a calculation). */
  current?: ExpressionValue;
  /** Today's date, 'YYYY-MM-DD', for `today()`. */
  today: string;
  /**
   * In a choice filter: the value of a column of the choice being filtered ('' for a column it leaves empty);
   * undefined for a column no choice of the list has.
   */
  column?(name: string): string | undefined;
}

export type EvaluationResult = { ok: true; value: ExpressionValue } | { ok: false; error: ExpressionError };

class Failure {
  constructor(readonly error: ExpressionError) {}
}

function isError(v: ExpressionValue | ExpressionError | undefined): v is ExpressionError {
  return typeof v === 'object' && v !== null;
}

/** Evaluates a syntax tree; never throws for a problem of the expression or the answers. */
export function evaluateExpression(ast: ExpressionNode, ctx: EvaluationContext): EvaluationResult {
  try {
    return { ok: true, value: evaluate(ast, ctx) };
  } catch (err) {
    if (err instanceof Failure) return { ok: false, error: err.error };
    throw err;
  }
}

function compare(op: '=' | '!=' | '<' | '<=' | '>' | '>=', a: ExpressionValue, b: ExpressionValue): boolean {
  if (op === '=' || op === '!=') {
    let equal: boolean;
    if (typeof a === 'boolean' || typeof b === 'boolean') equal = toBoolean(a) === toBoolean(b);
    else if (typeof a === 'number' || typeof b === 'number') equal = toNumber(a) === toNumber(b);
    else equal = a === b;
    return op === '=' ? equal : !equal;
  }
  const x = toNumber(a);
  const y = toNumber(b);
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

function evaluate(node: ExpressionNode, ctx: EvaluationContext): ExpressionValue {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'string':
      return node.value;
    case 'current':
      if (ctx.current === undefined)
        throw new Failure(
          expressionError(
            'no-current-value',
            node.position,
            `"." at character ${node.position + 1} has no current question here.`,
            '.',
          ),
        );
      return ctx.current;
    case 'column': {
      const v = ctx.column?.(node.name);
      if (v === undefined)
        throw new Failure(
          expressionError(
            'unknown-column',
            node.position,
            `"${node.name}" at character ${node.position + 1}: the choices have no column of that name.`,
            node.name,
          ),
        );
      return v;
    }
    case 'reference': {
      const v = ctx.reference(node.name, node.position);
      if (v === undefined)
        throw new Failure(
          expressionError(
            'unknown-reference',
            node.position,
            `\${${node.name}} at character ${node.position + 1}: the questionnaire has no question of that name.`,
            node.name,
          ),
        );
      if (isError(v)) throw new Failure(v);
      return v;
    }
    case 'negate':
      return -toNumber(evaluate(node.operand, ctx));
    case 'binary': {
      const op = node.operator;
      if (op === 'or') return toBoolean(evaluate(node.left, ctx)) || toBoolean(evaluate(node.right, ctx));
      if (op === 'and') return toBoolean(evaluate(node.left, ctx)) && toBoolean(evaluate(node.right, ctx));
      const a = evaluate(node.left, ctx);
      const b = evaluate(node.right, ctx);
      switch (op) {
        case '+':
          return toNumber(a) + toNumber(b);
        case '-':
          return toNumber(a) - toNumber(b);
        case '*':
          return toNumber(a) * toNumber(b);
        case 'div':
          return toNumber(a) / toNumber(b);
        case 'mod':
          return toNumber(a) % toNumber(b);
        default:
          return compare(op, a, b);
      }
    }
    case 'call': {
      const arg = (i: number) => evaluate(node.args[i]!, ctx);
      switch (node.name) {
        case 'not':
          return !toBoolean(arg(0));
        case 'if':
          return toBoolean(arg(0)) ? arg(1) : arg(2);
        case 'selected':
          return selectedItems(arg(0)).includes(toText(arg(1)).trim());
        case 'count-selected':
          return selectedItems(arg(0)).length;
        case 'string-length':
          return [...toText(arg(0))].length;
        case 'regex': {
          const text = toText(arg(0));
          const pattern = toText(arg(1));
          const re = compileRegex(pattern);
          if (typeof re === 'string') {
            throw new Failure(
              expressionError(
                'bad-regex',
                node.args[1]!.position,
                `The regular expression at character ${node.args[1]!.position + 1} does not compile: ${re}.`,
                pattern,
              ),
            );
          }
          return re.test(text);
        }
        case 'coalesce': {
          const first = arg(0);
          return toText(first) !== '' ? first : arg(1);
        }
        case 'today':
          return ctx.today;
        case 'concat':
          return node.args.map((_, i) => toText(arg(i))).join('');
        case 'contains':
          return toText(arg(0)).includes(toText(arg(1)));
        case 'starts-with':
          return toText(arg(0)).startsWith(toText(arg(1)));
        case 'ends-with':
          return toText(arg(0)).endsWith(toText(arg(1)));
        case 'substr': {
          // XPath 2 / ODK substr(text, start, end): characters from start (0-based) up to end, exclusive.
          const chars = [...toText(arg(0))];
          const start = Math.max(0, Math.trunc(toNumber(arg(1))) || 0);
          const endArg = node.args.length > 2 ? toNumber(arg(2)) : chars.length;
          const end = Number.isNaN(endArg) ? chars.length : Math.min(chars.length, Math.trunc(endArg));
          return chars.slice(start, Math.max(start, end)).join('');
        }
        case 'selected-at': {
          const n = toNumber(arg(1));
          const items = selectedItems(arg(0));
          return Number.isInteger(n) && n >= 0 && n < items.length ? items[n]! : '';
        }
        case 'string':
          return toText(arg(0));
        case 'number':
          return toNumber(arg(0));
        case 'int': {
          const n = toNumber(arg(0));
          return Number.isFinite(n) ? Math.trunc(n) : n;
        }
      }
    }
  }
}
