/**
 * The parser of relevance, constraint, calculation and required expressions: the XLSForm/ODK
 * XPath subset of docs/methods/questionnaires.md, without `eval` or `Function`. It returns a
 * syntax tree or the first problem with its offset; `references` lists every `${name}` used.
 */

import {
  type BinaryOperator,
  type ExpressionNode,
  isSupportedFunction,
  SUPPORTED_FUNCTIONS,
} from './expression-ast.ts';
import { type ExpressionError, expressionError } from './expression-error.ts';

/** A question name: a letter or `_`, then letters, digits, `_`, `-` or `.` (as XML names, any script). */
export const NAME_PATTERN = /^[\p{L}_][\p{L}\p{N}_.-]*$/u;

export type ParseResult =
  | {
      ok: true;
      ast: ExpressionNode;
      references: { name: string; position: number }[];
      usesCurrent: boolean;
      /** Bare names read as a choice's columns (choice filters only). */
      columns: { name: string; position: number }[];
    }
  | { ok: false; error: ExpressionError };

export interface ParseOptions {
  /**
   * A choice filter: a bare name (`cf`, `name`) is a column of the choice being filtered, as XLSForm writes them;
   * elsewhere a bare name is refused (`unsupported-name`).
   */
  choiceColumns?: boolean;
}

type Token =
  | { t: 'number'; value: number; pos: number }
  | { t: 'string'; value: string; pos: number }
  | { t: 'reference'; name: string; pos: number }
  | { t: 'current'; pos: number }
  | { t: 'column'; name: string; pos: number }
  | { t: 'op'; op: BinaryOperator; pos: number }
  | { t: 'function'; name: string; pos: number }
  | { t: '(' | ')' | ','; pos: number };

class Failure {
  constructor(readonly error: ExpressionError) {}
}
function fail(...args: Parameters<typeof expressionError>): never {
  throw new Failure(expressionError(...args));
}

const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}_.:-]/u;
const KEYWORD_OPERATORS = new Set(['and', 'or', 'div', 'mod']);

function isOperandEnd(tok: Token | undefined): boolean {
  return (
    !!tok &&
    (tok.t === 'number' ||
      tok.t === 'string' ||
      tok.t === 'reference' ||
      tok.t === 'current' ||
      tok.t === 'column' ||
      tok.t === ')')
  );
}

function tokenize(src: string, options: ParseOptions): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      let j = i;
      while (/[0-9]/.test(src[j] ?? '')) j++;
      if (src[j] === '.') {
        j++;
        while (/[0-9]/.test(src[j] ?? '')) j++;
      }
      tokens.push({ t: 'number', value: Number(src.slice(i, j)), pos });
      i = j;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) fail('unclosed-string', pos, `The text that starts at character ${pos + 1} has no closing ${c}.`);
      tokens.push({ t: 'string', value: src.slice(i + 1, end), pos });
      i = end + 1;
      continue;
    }
    if (c === '$') {
      if (src[i + 1] !== '{') fail('syntax', pos, `"$" at character ${pos + 1} must start a reference \${name}.`, '$');
      const end = src.indexOf('}', i + 2);
      if (end < 0) fail('syntax', pos, `The reference at character ${pos + 1} has no closing "}".`, src.slice(i));
      const name = src.slice(i + 2, end).trim();
      if (!NAME_PATTERN.test(name))
        fail('syntax', pos, `"\${${name}}" at character ${pos + 1} is not a valid question name.`, name);
      tokens.push({ t: 'reference', name, pos });
      i = end + 1;
      continue;
    }
    if (c === '.') {
      if (src[i + 1] === '.')
        fail(
          'unsupported-name',
          pos,
          `".." at character ${pos + 1}: paths are not supported; refer to a question as \${name}.`,
          '..',
        );
      tokens.push({ t: 'current', pos });
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ t: 'op', op: two, pos });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>' || c === '+' || c === '-' || c === '*') {
      tokens.push({ t: 'op', op: c, pos });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: c, pos });
      i++;
      continue;
    }
    if (c === '/' || c === '@' || c === '[' || c === ']' || c === '|') {
      fail(
        'unsupported-name',
        pos,
        `"${c}" at character ${pos + 1}: XPath paths, predicates and unions are not supported; refer to a question as \${name}.`,
        c,
      );
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < src.length && IDENT_PART.test(src[j]!)) j++;
      const word = src.slice(i, j);
      i = j;
      if (KEYWORD_OPERATORS.has(word) && isOperandEnd(tokens[tokens.length - 1])) {
        tokens.push({ t: 'op', op: word as BinaryOperator, pos });
        continue;
      }
      let k = i;
      while (/\s/.test(src[k] ?? '')) k++;
      if (src[k] === '(') {
        if (!isSupportedFunction(word)) {
          fail('unsupported-function', pos, `The function ${word}() at character ${pos + 1} is not supported.`, word);
        }
        tokens.push({ t: 'function', name: word, pos });
        continue;
      }
      if (options.choiceColumns && !word.includes(':')) {
        tokens.push({ t: 'column', name: word, pos });
        continue;
      }
      fail(
        'unsupported-name',
        pos,
        `"${word}" at character ${pos + 1} is not supported: refer to a question as \${name}, and put text in quotes.`,
        word,
      );
    }
    const quotes = /[\u2018\u2019\u201A\u201B\u201C\u201D\u201E\u00AB\u00BB]/.test(c)
      ? ' (write text between straight quotes \' or ")'
      : '';
    fail('syntax', pos, `Unexpected "${c}" at character ${pos + 1}${quotes}.`, c);
  }
  return tokens;
}

const LEVELS: BinaryOperator[][] = [
  ['or'],
  ['and'],
  ['=', '!='],
  ['<', '<=', '>', '>='],
  ['+', '-'],
  ['*', 'div', 'mod'],
];

/** Parses an expression. The answer carries the syntax tree or the first problem. */
export function parseExpression(src: string, options: ParseOptions = {}): ParseResult {
  if (!src.trim()) return { ok: false, error: expressionError('empty', 0, 'The expression is empty.') };
  const references: { name: string; position: number }[] = [];
  const columns: { name: string; position: number }[] = [];
  let usesCurrent = false;
  try {
    const tokens = tokenize(src, options);
    let p = 0;
    const peek = () => tokens[p];
    const endPos = src.length;

    const expectOperand = (): never => {
      const tok = peek();
      if (!tok) return fail('unexpected-end', endPos, 'The expression ends where a value was expected.');
      return fail(
        'syntax',
        tok.pos,
        `Unexpected "${describe(tok)}" at character ${tok.pos + 1}: a value was expected.`,
        describe(tok),
      );
    };

    const binary = (level: number): ExpressionNode => {
      if (level >= LEVELS.length) return unary();
      let left = binary(level + 1);
      for (;;) {
        const tok = peek();
        if (tok?.t !== 'op' || !LEVELS[level]!.includes(tok.op)) return left;
        p++;
        const right = binary(level + 1);
        left = { kind: 'binary', operator: tok.op, left, right, position: tok.pos };
      }
    };

    const unary = (): ExpressionNode => {
      const tok = peek();
      if (tok && tok.t === 'op' && tok.op === '-') {
        p++;
        return { kind: 'negate', operand: unary(), position: tok.pos };
      }
      return primary();
    };

    const primary = (): ExpressionNode => {
      const tok = peek();
      if (!tok) return expectOperand();
      switch (tok.t) {
        case 'number':
          p++;
          return { kind: 'number', value: tok.value, position: tok.pos };
        case 'string':
          p++;
          return { kind: 'string', value: tok.value, position: tok.pos };
        case 'reference':
          p++;
          references.push({ name: tok.name, position: tok.pos });
          return { kind: 'reference', name: tok.name, position: tok.pos };
        case 'current':
          p++;
          usesCurrent = true;
          return { kind: 'current', position: tok.pos };
        case 'column':
          p++;
          columns.push({ name: tok.name, position: tok.pos });
          return { kind: 'column', name: tok.name, position: tok.pos };
        case '(': {
          p++;
          const inner = binary(0);
          closing(tok.pos);
          return inner;
        }
        case 'function': {
          p++;
          const open = peek();
          if (open?.t !== '(') return fail('syntax', tok.pos, `${tok.name} must be followed by "(".`, tok.name);
          p++;
          const args: ExpressionNode[] = [];
          const next = peek();
          if (next && next.t === ')') p++;
          else {
            for (;;) {
              args.push(binary(0));
              const sep = peek();
              if (sep && sep.t === ',') {
                p++;
                continue;
              }
              closing(open.pos);
              break;
            }
          }
          const name = tok.name;
          if (!isSupportedFunction(name))
            return fail('unsupported-function', tok.pos, `The function ${name}() is not supported.`, name);
          const [min, max] = SUPPORTED_FUNCTIONS[name];
          if (args.length < min || args.length > max) {
            const wanted = min === max ? `${min}` : `${min} to ${max}`;
            return fail(
              'wrong-arguments',
              tok.pos,
              `${name}() at character ${tok.pos + 1} takes ${wanted} argument${max === 1 ? '' : 's'}, not ${args.length}.`,
              name,
            );
          }
          if (name === 'regex' && args[1]?.kind === 'string') {
            const problem = regexProblem(args[1].value);
            if (problem)
              return fail(
                'bad-regex',
                args[1].position,
                `The regular expression at character ${args[1].position + 1} does not compile: ${problem}.`,
                args[1].value,
              );
          }
          return { kind: 'call', name, args, position: tok.pos };
        }
        default:
          return expectOperand();
      }
    };

    const closing = (openPos: number) => {
      const tok = peek();
      if (tok && tok.t === ')') {
        p++;
        return;
      }
      if (!tok) fail('unexpected-end', endPos, `The "(" at character ${openPos + 1} is never closed.`);
      fail(
        'syntax',
        tok.pos,
        `Unexpected "${describe(tok)}" at character ${tok.pos + 1}: expected ")" or an operator.`,
        describe(tok),
      );
    };

    const ast = binary(0);
    const rest = peek();
    if (rest)
      fail(
        'syntax',
        rest.pos,
        `Unexpected "${describe(rest)}" at character ${rest.pos + 1}: expected an operator or the end.`,
        describe(rest),
      );
    return { ok: true, ast, references, usesCurrent, columns };
  } catch (err) {
    if (err instanceof Failure) return { ok: false, error: err.error };
    throw err;
  }
}

function describe(tok: Token): string {
  switch (tok.t) {
    case 'number':
      return String(tok.value);
    case 'string':
      return `'${tok.value}'`;
    case 'reference':
      return `\${${tok.name}}`;
    case 'current':
      return '.';
    case 'column':
      return tok.name;
    case 'op':
      return tok.op;
    case 'function':
      return tok.name;
    default:
      return tok.t;
  }
}

/**
 * Compiles a pattern as the evaluator does (Unicode mode first, else the classic mode); a string is the reason it does
 * not compile.
 */
export function compileRegex(pattern: string): RegExp | string {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch (err) {
      return (err as Error).message;
    }
  }
}

function regexProblem(pattern: string): string | null {
  const r = compileRegex(pattern);
  return typeof r === 'string' ? r : null;
}
