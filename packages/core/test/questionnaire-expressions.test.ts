import { describe, expect, it } from 'vitest';
import { type ExpressionValue, evaluateExpression, parseExpression, toNumber, toText } from '../src/index.ts';

/** Evaluates with fixed answers and today = 2026-03-15. */
function run(src: string, answers: Record<string, ExpressionValue> = {}, current?: ExpressionValue) {
  const p = parseExpression(src);
  if (!p.ok) throw new Error(`parse failed: ${p.error.message}`);
  const r = evaluateExpression(p.ast, { today: '2026-03-15', current, reference: (name) => answers[name] });
  if (!r.ok) throw new Error(`evaluation failed: ${r.error.message}`);
  return r.value;
}
function parseError(src: string) {
  const p = parseExpression(src);
  if (p.ok) throw new Error(`expected a parse error for ${src}`);
  return { code: p.error.code, position: p.error.position, name: p.error.name };
}

describe('expressions: operators', () => {
  it('does arithmetic with + - * div mod and unary minus, by precedence', () => {
    expect(run('1 + 2 * 3')).toBe(7);
    expect(run('(1 + 2) * 3')).toBe(9);
    expect(run('7 div 2')).toBe(3.5);
    expect(run('7 mod 3')).toBe(1);
    expect(run('-7 mod 3')).toBe(-1);
    expect(run('10 - 4 - 3')).toBe(3);
    expect(run('- ${a} + 1', { a: 4 })).toBe(-3);
    expect(run('1 div 0')).toBe(Number.POSITIVE_INFINITY);
    expect(run('.5 + 1.25')).toBe(1.75);
  });

  it('compares with = != < <= > >=', () => {
    expect(run('2 = 2')).toBe(true);
    expect(run('2 != 2')).toBe(false);
    expect(run('1 < 2')).toBe(true);
    expect(run('2 <= 2')).toBe(true);
    expect(run('3 > 2')).toBe(true);
    expect(run('2 >= 3')).toBe(false);
    expect(run("'abc' = 'abc'")).toBe(true);
    expect(run('"abc" != \'abd\'')).toBe(true);
    // A number against a text compares as numbers (XPath).
    expect(run("${n} = '5'", { n: 5 })).toBe(true);
    expect(run("'10' > '9'")).toBe(true);
  });

  it('combines with and, or, not() and short-circuits', () => {
    expect(run('1 = 1 and 2 = 2')).toBe(true);
    expect(run('1 = 2 or 2 = 2')).toBe(true);
    expect(run('not(1 = 2)')).toBe(true);
    expect(run('1 = 1 or 1 = 2 and 1 = 2')).toBe(true); // and binds tighter
    // The pattern of the right-hand side (from an answer) does not compile: it is never evaluated.
    expect(run("1 = 2 and regex('x', ${p})", { p: '[' })).toBe(false);
    const p = parseExpression("1 = 1 and regex('x', ${p})");
    if (!p.ok) throw new Error('parse');
    expect(evaluateExpression(p.ast, { today: '2026-01-01', reference: () => '[' })).toMatchObject({
      ok: false,
      error: { code: 'bad-regex', position: 21 },
    });
  });
});

describe('expressions: functions', () => {
  it('if() picks a branch', () => {
    expect(run("if(${a} > 2, 'big', 'small')", { a: 3 })).toBe('big');
    expect(run("if(${a} > 2, 'big', 'small')", { a: 1 })).toBe('small');
  });
  it('selected() and count-selected() read a select-multiple answer', () => {
    expect(run("selected(${m}, 'b')", { m: 'a b c' })).toBe(true);
    expect(run("selected(${m}, 'd')", { m: 'a b c' })).toBe(false);
    expect(run("selected(., 'a')", {}, 'a')).toBe(true);
    expect(run('count-selected(${m})', { m: 'a b c' })).toBe(3);
    expect(run('count-selected(${m})', { m: '' })).toBe(0);
  });
  it('string-length() counts characters, Arabic too', () => {
    expect(run('string-length(${t})', { t: 'مرصد' })).toBe(4);
    expect(run('string-length(${t})', { t: '' })).toBe(0);
    expect(run('string-length(12.5)')).toBe(4);
  });
  it('regex() finds the pattern in the text', () => {
    expect(run("regex(., '^[0-9]{4}$')", {}, '2030')).toBe(true);
    expect(run("regex(., '^[0-9]{4}$')", {}, '20301')).toBe(false);
    expect(run("regex(${e}, '@')", { e: 'a@b.org' })).toBe(true);
    expect(run("regex(${t}, '^\\p{Script=Arabic}+$')", { t: 'مدينة' })).toBe(true);
  });
  it('coalesce() gives the first non-empty value', () => {
    expect(run("coalesce(${a}, 'none')", { a: '' })).toBe('none');
    expect(run("coalesce(${a}, 'none')", { a: 'x' })).toBe('x');
    expect(run('coalesce(${a}, 0) + 1', { a: '' })).toBe(1);
  });
  it('today() comes from the context', () => {
    expect(run('today()')).toBe('2026-03-15');
  });
});

describe('expressions: dates', () => {
  it('compares dates as dates, answers and literals alike', () => {
    expect(run('${d} < today()', { d: '2025-12-31' })).toBe(true);
    expect(run('${d} > today()', { d: '2026-03-16' })).toBe(true);
    expect(run('${d} <= today()', { d: '2026-03-15' })).toBe(true);
    expect(run("${d} >= '2026-01-01'", { d: '2025-12-31' })).toBe(false);
    expect(run("${d} = '2026-03-15'", { d: '2026-03-15' })).toBe(true);
    expect(run('${end} >= ${start}', { start: '2026-02-28', end: '2026-03-01' })).toBe(true);
  });
  it('subtracts dates into days (day numbers since 1970-01-01)', () => {
    expect(run('today() - ${d}', { d: '2026-03-01' })).toBe(14);
    expect(run("'2024-03-01' - '2024-02-28'")).toBe(2); // a leap year
    expect(toNumber('1970-01-02')).toBe(1);
  });
  it('does not take an impossible date for a date', () => {
    expect(toNumber('2026-02-30')).toBeNaN();
    expect(run("${d} < '2026-02-30'", { d: '2026-01-01' })).toBe(false);
  });
});

describe('expressions: empty answers', () => {
  it("are '' as text: equal to '', of length 0", () => {
    expect(run("${a} = ''", { a: '' })).toBe(true);
    expect(run("${a} != ''", { a: '' })).toBe(false);
    expect(run("${n} = ''", { n: 3 })).toBe(false);
  });
  it('are NaN as numbers: arithmetic gives NaN and every comparison with a number is false', () => {
    expect(run('${a} + 1', { a: '' })).toBeNaN();
    expect(run('${a} > 0', { a: '' })).toBe(false);
    expect(run('${a} <= 0', { a: '' })).toBe(false);
    expect(run('${a} = 0', { a: '' })).toBe(false);
    expect(run('${a} != 0', { a: '' })).toBe(true);
  });
  it('are false as booleans', () => {
    expect(run("if(${a}, 'yes', 'no')", { a: '' })).toBe('no');
    expect(run('not(${a})', { a: '' })).toBe(true);
  });
  it('write numbers as XPath does', () => {
    expect(toText(3)).toBe('3');
    expect(toText(2.5)).toBe('2.5');
    expect(toText(Number.NaN)).toBe('NaN');
    expect(toText(-0)).toBe('0');
    expect(toText(true)).toBe('true');
  });
});

describe('expressions: problems with their position and name', () => {
  it('refuses a function outside the list', () => {
    expect(parseError('round(${a}, 2)')).toEqual({ code: 'unsupported-function', position: 0, name: 'round' });
    expect(parseError('1 + sqrt(4)')).toEqual({ code: 'unsupported-function', position: 4, name: 'sqrt' });
    expect(parseError('count(${r})')).toMatchObject({ code: 'unsupported-function', name: 'count' });
  });
  it('refuses bare names and paths', () => {
    expect(parseError("because pyxform doesn't know")).toEqual({
      code: 'unsupported-name',
      position: 0,
      name: 'because',
    });
    expect(parseError('/data/age > 3')).toEqual({ code: 'unsupported-name', position: 0, name: '/' });
    expect(parseError('../age')).toEqual({ code: 'unsupported-name', position: 0, name: '..' });
  });
  it('refuses syntax errors at their place', () => {
    expect(parseError('${a} = ‘yes’')).toEqual({ code: 'syntax', position: 7, name: '‘' });
    expect(parseError('1 +')).toMatchObject({ code: 'unexpected-end', position: 3 });
    expect(parseError('(1 + 2')).toMatchObject({ code: 'unexpected-end', position: 6 });
    expect(parseError('1 2')).toMatchObject({ code: 'syntax', position: 2, name: '2' });
    expect(parseError("'open")).toMatchObject({ code: 'unclosed-string', position: 0 });
    expect(parseError('${a b} = 1')).toMatchObject({ code: 'syntax', position: 0 });
    expect(parseError('$a')).toMatchObject({ code: 'syntax', position: 0, name: '$' });
    expect(parseError('   ')).toMatchObject({ code: 'empty' });
  });
  it('refuses a wrong number of arguments and a pattern that does not compile', () => {
    expect(parseError('if(1, 2)')).toEqual({ code: 'wrong-arguments', position: 0, name: 'if' });
    expect(parseError('today(1)')).toEqual({ code: 'wrong-arguments', position: 0, name: 'today' });
    expect(parseError("regex(., '[a-')")).toMatchObject({ code: 'bad-regex', position: 9 });
  });
  it('reports an unknown reference and a missing current value when evaluated, as values', () => {
    const p = parseExpression('1 + ${nobody}');
    if (!p.ok) throw new Error('parse');
    expect(p.references).toEqual([{ name: 'nobody', position: 4 }]);
    const r = evaluateExpression(p.ast, { today: '2026-01-01', reference: () => undefined });
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown-reference', position: 4, name: 'nobody' } });
    const q = parseExpression('. > 1');
    if (!q.ok) throw new Error('parse');
    expect(evaluateExpression(q.ast, { today: '2026-01-01', reference: () => undefined })).toMatchObject({
      ok: false,
      error: { code: 'no-current-value', position: 0 },
    });
  });
  it('never evaluates text as code', () => {
    expect(parseError('constructor.constructor("return 1")()')).toMatchObject({
      code: 'unsupported-function',
      name: 'constructor.constructor',
    });
    expect(parseError('constructor(1)')).toMatchObject({ code: 'unsupported-function', name: 'constructor' });
    expect(parseError('toString()')).toMatchObject({ code: 'unsupported-function', name: 'toString' });
    expect(run("'${a}'")).toBe('${a}');
  });
});
