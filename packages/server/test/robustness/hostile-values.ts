import fc from 'fast-check';

/**
 * Hostile inputs for the HTTP API, as fast-check arbitraries: values driven by a route's JSON
 * schema (from the OpenAPI document) that are plausible, slightly wrong or wholly hostile;
 * raw bodies that are not JSON at all or nest 10,000 levels deep; hostile path segments and
 * query strings. Used by hostile-bodies.test.ts; a bench script may reuse them.
 *
 * Nothing here knows the routes: what makes a value plausible for a route (codes and ids that
 * exist in the test database) comes in a Vocabulary, by property or parameter name.
 */

/** The part of JSON Schema (2020-12, as zod writes it into the OpenAPI document) that is read here. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
}

/**
 * Real words for a property, parameter or dictionary key of that name: place codes for `place`,
 * ids for `parent`, keys of a dictionary under `name:keys`, its values under `name{}`; whole
 * values (objects: a questionnaire definition for `definition`) are used as they are.
 */
export type Vocabulary = Record<string, readonly unknown[]>;

// ---------------------------------------------------------------------------------------------
// Raw JSON text inside a generated value

/** JSON text put into a body as it is: a number JSON.stringify cannot write (1e999), 10,000 levels of nesting. */
export class RawJson {
  constructor(readonly text: string) {}
}

const RAW_MARK = '\u2063RAW\u2063';

/** The JSON text of a generated value, RawJson leaves written as their text. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) =>
    v instanceof RawJson ? `${RAW_MARK}${raws.push(v.text) - 1}${RAW_MARK}` : v,
  );
  if (text === undefined) return 'null';
  if (!raws.length) return text;
  return text.replace(new RegExp(`"${RAW_MARK}(\\d+)${RAW_MARK}"`, 'g'), (_m, i: string) => raws[Number(i)] ?? 'null');
}

// ---------------------------------------------------------------------------------------------
// Constants

export const DEPTH = 10_000;
/** 10,000 nested arrays, and 10,000 nested objects. */
export const DEEP_ARRAY = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
export const DEEP_OBJECT = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;

/** Names that are special on JavaScript objects. */
export const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'toJSON',
  'then',
  '__defineGetter__',
] as const;

/** Text PostgreSQL cannot store: NUL characters and unpaired UTF-16 surrogates. */
export const UNSTORABLE_STRINGS = [
  '\u0000',
  'a\u0000b',
  'MAAGA\u0000',
  '\u0000'.repeat(100),
  '\uD800',
  '\uDFFF',
  'x\uDBFFy',
  '\uDC00\uD800',
  'ok\uD83D',
] as const;

const LONG = 100_000;
/** Strings of 100 KB (and in three scripts). */
export const LONG_STRINGS = [
  'a'.repeat(LONG),
  'ب'.repeat(LONG / 2),
  '😀'.repeat(LONG / 4),
  `${'x '.repeat(LONG / 2)}`,
] as const;

/** Strings that are storable but odd: each is valid text, and some routes must still refuse it. */
export const ODD_STRINGS = [
  '',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '   padded   ',
  '\u200B',
  '\u202Eevil',
  '\u200F',
  '\uFEFF',
  '\uFFFE',
  '\uFFFF',
  'e\u0301',
  'ـ',
  '١٢٣',
  '😀',
  '%00',
  '%ED%A0%80',
  '%',
  '_',
  '\\',
  "'",
  '"',
  "' OR 1=1 --",
  "'); DROP TABLE users; --",
  '$1',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '..%2F..%2F',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  '-1',
  '0x10',
  '9007199254740993',
  'true',
  '[]',
  '{}',
  '0000-00-00',
  '0999-12-31',
  '0001-01-01',
  '9999-12-31',
  '2020-02-30',
  '2020-13-01',
  '275760-09-13',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01',
  '2020-01-01T25:00:00Z',
  'javascript:alert(1)',
  'http://',
  'https://example.org/\u0301',
  'a@b',
  '@',
  '*',
  '.*',
  '(',
  '[',
  ...PROTOTYPE_NAMES,
] as const;

export const HOSTILE_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  2 ** 63,
  1e21,
  1e-7,
  123456789.125,
  999999999999999.9,
  1e15 + 0.5,
] as const;

/** Number literals JSON.stringify cannot write: they parse to Infinity, -Infinity, 0, an inexact float. */
export const RAW_NUMBERS = [
  '1e999',
  '-1e999',
  '1e-999',
  '-0',
  '-0.0',
  '0e0',
  '123456789012345678901234567890',
  '1.00000000000000000000000001',
  '2100.0000000000001',
] as const;

// ---------------------------------------------------------------------------------------------
// Strings and numbers

export const unstorableString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...UNSTORABLE_STRINGS),
    fc
      .tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\u0000', '\uD800', '\uDFFF'), fc.string({ maxLength: 8 }))
      .map(([a, b, c]) => a + b + c),
  );

/** Any string: unstorable, 100 KB, odd, or any code points (half surrogates included). */
export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: unstorableString() },
    { weight: 1, arbitrary: fc.constantFrom(...LONG_STRINGS) },
    { weight: 3, arbitrary: fc.constantFrom(...ODD_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  );

export const hostileNumber = (): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: fc.integer() },
  );

const rawLeaf = (): fc.Arbitrary<RawJson> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...RAW_NUMBERS).map((t) => new RawJson(t)) },
    { weight: 1, arbitrary: fc.constantFrom(DEEP_ARRAY, DEEP_OBJECT).map((t) => new RawJson(t)) },
  );

/** An object whose keys are prototype names (as own properties: `__proto__` too), with any values. */
export const prototypeObject = (): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .array(
      fc.tuple(
        fc.constantFrom(...PROTOTYPE_NAMES),
        fc.oneof(
          fc.constantFrom<unknown>(null, 1, 'x', true, {}, [], { polluted: true }),
          fc.constantFrom(...PROTOTYPE_NAMES),
        ),
      ),
      { minLength: 1, maxLength: 3 },
    )
    // Object.fromEntries defines own properties, so a key "__proto__" is written out as JSON.
    .map((entries) => Object.fromEntries(entries));

/** A value of a wrong kind for almost any field: hostile scalars, empty or nested containers, prototype names, raw JSON. */
export const hostileValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 5, arbitrary: hostileString() },
    { weight: 3, arbitrary: hostileNumber() },
    { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], [[]], { '': '' }) },
    { weight: 2, arbitrary: prototypeObject() },
    { weight: 2, arbitrary: rawLeaf() },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: 1, arbitrary: fc.array(hostileString(), { maxLength: 3 }) },
  );

// ---------------------------------------------------------------------------------------------
// Values from a JSON schema

const ABSENT = Symbol('absent');

function types(schema: JsonSchema): string[] {
  if (schema.type) return [schema.type].flat();
  if (schema.properties || schema.additionalProperties !== undefined) return ['object'];
  if (schema.items) return ['array'];
  return [];
}

const patternCache = new Map<string, fc.Arbitrary<string> | null>();

function matching(pattern: string): fc.Arbitrary<string> | null {
  let arb = patternCache.get(pattern);
  if (arb === undefined) {
    arb = null;
    for (const flags of ['u', '']) {
      try {
        const re = new RegExp(pattern, flags);
        const candidate = fc.stringMatching(re);
        // fast-check refuses some constructs only when it draws: try it once.
        fc.sample(candidate, { numRuns: 1, seed: 1 });
        arb = candidate;
        break;
      } catch {
        // another flag, or words from the vocabulary instead
      }
    }
    patternCache.set(pattern, arb);
  }
  return arb;
}

const iso = (d: Date) => d.toISOString();
const plausibleDate = () =>
  fc.oneof(
    fc
      .date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
      .map((d) => iso(d).slice(0, 10)),
    fc.constantFrom('2020-01-01', '2024-02-29', '2030-12-31', '1000-01-01', '1999-12-31'),
  );
const plausibleDateTime = () =>
  fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map(iso);

/** Whether a key is allowed by a propertyNames schema (its enum or pattern; anything else allows all). */
function keyFilter(schema: JsonSchema): (key: string) => boolean {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const tests = alternatives.map(keyFilter);
    return (k) => tests.some((test) => test(k));
  }
  const values = schema.enum;
  if (values) return (k) => values.includes(k);
  if (schema.pattern) {
    const re = new RegExp(schema.pattern, 'u');
    return (k) => re.test(k);
  }
  return () => true;
}

/** The words (strings and numbers) of the vocabulary for a name, else null. */
function words(vocab: Vocabulary, name: string): readonly (string | number)[] | null {
  const w = vocab[name.replace(/\[\]$/, '')]?.filter((x) => typeof x === 'string' || typeof x === 'number');
  return w?.length ? w : null;
}

/** The whole values (objects, arrays) of the vocabulary for a name, else null. */
function wholeValues(vocab: Vocabulary, name: string): readonly unknown[] | null {
  const w = vocab[name.replace(/\[\]$/, '')]?.filter((x) => x !== null && typeof x === 'object');
  return w?.length ? w : null;
}

/** Words of ordinary text, for strings that must merely be text. */
const CLEAN_WORDS = ['Test', 'نص تجريبي', 'Texte d’essai', 'Prueba', 'Тест', '测试', 'Ünïcödé', 'x'] as const;

/**
 * A generator of values for one schema. `clean` values keep to the schema (real words, enum
 * values, strings of the pattern, numbers within the bounds, required properties present), so
 * that most reach the route's handler; plausible ones also take odd but storable strings,
 * boundary numbers and missing properties. `rate` is how often a node is replaced by a hostile
 * value (0: never), and how often a required property is left out or an unknown one added.
 */
export class SchemaValues {
  constructor(
    readonly vocab: Vocabulary,
    readonly rate: number,
    readonly clean = false,
  ) {}

  /** A value for the schema; `name` is the property (or parameter) it is for, used to pick real words. */
  of(schema: JsonSchema | undefined, name = ''): fc.Arbitrary<unknown> {
    const plausible = this.plausible(schema ?? {}, name);
    if (this.rate <= 0) return plausible;
    const hostile = Math.max(1, Math.round(this.rate * 100));
    return fc.oneof({ weight: 100 - hostile, arbitrary: plausible }, { weight: hostile, arbitrary: hostileValue() });
  }

  private plausible(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
    const whole = wholeValues(this.vocab, name);
    const generated = this.generated(schema, name);
    return whole
      ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...whole) }, { weight: 1, arbitrary: generated })
      : generated;
  }

  private generated(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum?.length) return fc.constantFrom(...schema.enum);
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives?.length) return fc.oneof(...alternatives.map((s) => this.of(s, name)));
    const ts = types(schema);
    if (ts.length === 0) return this.anything(name);
    return fc.oneof(...ts.map((t) => this.ofType(t, schema, name)));
  }

  private anything(name: string): fc.Arbitrary<unknown> {
    const w = words(this.vocab, name);
    return fc.oneof(
      ...(w ? [fc.constantFrom(...w)] : []),
      fc.string({ maxLength: 20 }),
      fc.dictionary(this.key({}, name), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }),
      ...(this.clean ? [] : [fc.jsonValue({ maxDepth: 2 })]),
    );
  }

  private ofType(type: string, schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
    switch (type) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
        return this.integer(schema, name);
      case 'number':
        return this.number(schema, name);
      case 'string':
        return this.string(schema, name);
      case 'array':
        return this.array(schema, name);
      case 'object':
        return this.object(schema, name);
      default:
        return this.anything(name);
    }
  }

  private bounds(schema: JsonSchema): [number, number] {
    const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum : -1e6);
    const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum : 1e6);
    return [min, max];
  }

  private integer(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
    const [min, max] = this.bounds(schema);
    const lo = Math.ceil(Math.max(min + (schema.exclusiveMinimum !== undefined ? 1 : 0), -1e6));
    const hi = Math.floor(Math.min(max - (schema.exclusiveMaximum !== undefined ? 1 : 0), lo + 1e6));
    const inRange = hi >= lo ? fc.integer({ min: lo, max: hi }) : fc.constant(lo);
    const w = words(this.vocab, name)?.filter((x) => typeof x === 'number');
    const real = w?.length ? fc.constantFrom(...w) : inRange;
    if (this.clean) return fc.oneof({ weight: 4, arbitrary: real }, { weight: 1, arbitrary: inRange });
    const edges = [min, max, min - 1, max + 1].filter((x) => Number.isFinite(x));
    return fc.oneof(
      { weight: 4, arbitrary: real },
      { weight: 2, arbitrary: inRange },
      { weight: 1, arbitrary: fc.constantFrom(...edges) },
    );
  }

  private number(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
    const [min, max] = this.bounds(schema);
    const w = words(this.vocab, name)?.filter((x) => typeof x === 'number');
    const inRange = fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    const small = fc.integer({ min: Math.max(Math.ceil(min), 0), max: Math.max(Math.ceil(min), Math.min(max, 100)) });
    if (this.clean) return fc.oneof(inRange, w?.length ? fc.constantFrom(...w) : small);
    return fc.oneof(
      { weight: 3, arbitrary: inRange },
      { weight: 2, arbitrary: w?.length ? fc.constantFrom(...w) : fc.integer({ min: -100, max: 100 }) },
      { weight: 1, arbitrary: fc.constantFrom(min, max, 0, -0, 1e-9, 1e15) },
    );
  }

  private string(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
    const w = words(this.vocab, name)?.map(String);
    const options: fc.WeightedArbitrary<string>[] = [];
    if (w?.length) options.push({ weight: 6, arbitrary: fc.constantFrom(...w) });
    if (schema.format === 'date') options.push({ weight: 6, arbitrary: plausibleDate() });
    else if (schema.format === 'date-time') options.push({ weight: 6, arbitrary: plausibleDateTime() });
    else if (schema.format === 'uri')
      options.push({
        weight: 6,
        arbitrary: fc.constantFrom('https://example.org/a', 'http://localhost/', 'mailto:x@y'),
      });
    else if (schema.pattern) {
      const m = matching(schema.pattern);
      if (m) options.push({ weight: 6, arbitrary: m });
    }
    const maxLength = schema.maxLength ?? 60;
    const minLength = Math.min(schema.minLength ?? 0, maxLength);
    if (this.clean) {
      if (options.length) return fc.oneof(...options);
      const fit = (t: string) => t.padEnd(minLength, 'x').slice(0, maxLength);
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...CLEAN_WORDS).map(fit) },
        {
          weight: 1,
          arbitrary: fc.string({
            minLength: Math.max(minLength, 1),
            maxLength: Math.max(minLength, Math.min(maxLength, 20)),
          }),
        },
      );
    }
    options.push(
      { weight: 3, arbitrary: fc.string({ minLength, maxLength: Math.max(minLength, Math.min(maxLength, 30)) }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength, maxLength: Math.max(minLength, 12) }) },
      { weight: 2, arbitrary: fc.constantFrom(...ODD_STRINGS) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('a'.repeat(maxLength), 'ب'.repeat(maxLength), 'a'.repeat(maxLength + 1)),
      },
    );
    return fc.oneof(...options);
  }

  private array(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
    const minLength = schema.minItems ?? 0;
    const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 4, this.clean ? 3 : 4));
    return fc.array(this.of(schema.items, `${name}[]`), { minLength, maxLength });
  }

  /**
   * A key of a dictionary: from the vocabulary of its name (`name:keys`), the default keys (`:keys`,
   * such as language codes) that its propertyNames schema allows, that schema, or prototype names.
   */
  private key(schema: JsonSchema, name: string): fc.Arbitrary<string> {
    const w = words(this.vocab, `${name}:keys`)?.map(String);
    const allowed = schema.propertyNames ? keyFilter(schema.propertyNames) : () => true;
    const defaults = words(this.vocab, ':keys')?.map(String).filter(allowed);
    const named = schema.propertyNames ? (this.plausible(schema.propertyNames, '') as fc.Arbitrary<string>) : null;
    const options: fc.WeightedArbitrary<string>[] = [];
    if (w?.length) options.push({ weight: 8, arbitrary: fc.constantFrom(...w) });
    else if (defaults?.length) options.push({ weight: 8, arbitrary: fc.constantFrom(...defaults) });
    if (named) options.push({ weight: 2, arbitrary: named });
    if (!this.clean || !options.length) {
      options.push(
        { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
        { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
      );
    }
    return fc.oneof(...options);
  }

  private object(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
    const props = Object.entries(schema.properties ?? {});
    const required = new Set(schema.required ?? []);
    const dropRequired = Math.round(this.rate * 100);
    const fields = props.map(([key, sub]) => {
      const value = this.of(sub, key);
      const absent = required.has(key) ? dropRequired : this.clean ? 50 : 35;
      return absent > 0
        ? fc.oneof(
            { weight: 100 - absent, arbitrary: value },
            { weight: absent, arbitrary: fc.constant<typeof ABSENT>(ABSENT) },
          )
        : value;
    });
    const extra =
      typeof schema.additionalProperties === 'object'
        ? fc.array(fc.tuple(this.key(schema, name), this.of(schema.additionalProperties, `${name}{}`)), {
            minLength: this.clean ? 1 : 0,
            maxLength: 3,
          })
        : this.rate > 0
          ? fc.oneof(
              { weight: 4, arbitrary: fc.constant<[string, unknown][]>([]) },
              {
                weight: 1,
                arbitrary: fc.array(fc.tuple(this.key({}, name), hostileValue()), { minLength: 1, maxLength: 2 }),
              },
            )
          : fc.constant<[string, unknown][]>([]);
    return fc.tuple(fc.tuple(...fields), extra).map(([values, more]) => {
      const entries: [string, unknown][] = [];
      props.forEach(([key], i) => {
        if (values[i] !== ABSENT) entries.push([key, values[i]]);
      });
      return Object.fromEntries([...entries, ...more]);
    });
  }
}

/** The places of a JSON value where a value can be put: [container, key]; the root is not one. */
function slots(value: unknown): [Record<string | number, unknown>, string | number][] {
  const out: [Record<string | number, unknown>, string | number][] = [];
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || v instanceof RawJson) continue;
    for (const [k, child] of Object.entries(v)) {
      out.push([v as Record<string, unknown>, Array.isArray(v) ? Number(k) : k]);
      stack.push(child);
    }
  }
  return out;
}

/**
 * One thing wrong in an otherwise good value: one of its values replaced by a hostile one, or a
 * property removed, or an unknown property (a prototype name, say) added next to it.
 */
export function withOneMutation(value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      value,
      fc.nat(),
      fc.constantFrom('replace', 'replace', 'replace', 'remove', 'add'),
      hostileValue(),
      fc.constantFrom(...PROTOTYPE_NAMES, 'unknown'),
    )
    .map(([v, n, how, hostile, key]) => {
      const copy = structuredClone(v);
      const all = slots(copy);
      const slot = all[n % Math.max(1, all.length)];
      if (!slot) return hostile;
      const [container, k] = slot;
      if (how === 'replace') container[k] = hostile;
      else if (how === 'remove' && !Array.isArray(container)) delete container[k];
      else if (!Array.isArray(container))
        Object.defineProperty(container, key, { value: hostile, enumerable: true, writable: true, configurable: true });
      else container[k] = hostile;
      return copy;
    });
}

// ---------------------------------------------------------------------------------------------
// Whole bodies

/** What a request carries: its body (absent, text or bytes) and Content-Type (absent when undefined). */
export interface HostileBody {
  payload?: string | Buffer;
  contentType?: string;
}

/** Bodies that are not JSON, or JSON no route expects. */
export const RAW_BODIES: readonly string[] = [
  DEEP_ARRAY,
  DEEP_OBJECT,
  `{"x":${DEEP_ARRAY}}`,
  `[${DEEP_OBJECT}]`,
  '',
  ' ',
  '{',
  '}',
  '[',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}{"b":2}',
  '{"a":1} trailing',
  '{"a":1,"a":2}',
  'undefined',
  'NaN',
  'Infinity',
  '1e999',
  '-1e999',
  '\uFEFF{}',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"a":{"__proto__":[]}}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"\\u0000":1}',
  '{"\\ud800":1}',
  '{"a":"\\uDC00\\uD800"}',
  '"\\ud800"',
  '"\\u0000"',
  'null',
  'true',
  '0',
  '-0',
  '"text"',
  '[]',
  '{}',
  '[{}]',
  '{"":""}',
  `{"a":"${'x'.repeat(1_000_000)}"}`,
  `[${'1,'.repeat(100_000)}1]`,
  `{${Array.from({ length: 10_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`,
];

const RAW_BYTES: readonly Buffer[] = [
  Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), // "{}" in UTF-16 LE with its byte-order mark
  Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), // a surrogate in CESU-8
  Buffer.from('{"a":"\xff\xfe"}', 'latin1'),
  Buffer.from([0xc0, 0xae, 0xc0, 0xae]),
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x00, 0x7d]), // a raw NUL byte
];

export const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/json; charset=utf-16le',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/json;',
  'application/problem+json',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/octet-stream',
  'text/csv',
  '*/*',
  '',
] as const;

/**
 * Bodies for a route whose JSON body has this schema (none: any JSON): mostly JSON from the
 * schema, clean (to reach the handler), clean but for one thing, or plausible with hostile values
 * in places (missing and extra properties among them); then wholly hostile JSON, raw text and
 * bytes, other content types, no body at all.
 */
export function hostileBody(schema: JsonSchema | undefined, vocab: Vocabulary): fc.Arbitrary<HostileBody> {
  const json = (v: unknown): HostileBody => ({ payload: toJsonText(v), contentType: 'application/json' });
  const clean = new SchemaValues(vocab, 0, true).of(schema);
  const fromSchema = (rate: number) => new SchemaValues(vocab, rate).of(schema).map(json);
  return fc.oneof(
    { weight: 24, arbitrary: clean.map(json) },
    { weight: 24, arbitrary: withOneMutation(clean).map(json) },
    { weight: 12, arbitrary: fromSchema(0.05) },
    { weight: 6, arbitrary: fromSchema(0.3) },
    { weight: 8, arbitrary: hostileValue().map(json) },
    {
      weight: 5,
      arbitrary: fc.constantFrom(...RAW_BODIES).map((payload) => ({ payload, contentType: 'application/json' })),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...RAW_BYTES).map((payload) => ({ payload, contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 64 })
        .map((b) => ({ payload: Buffer.from(b), contentType: 'application/json' })),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(clean, fc.constantFrom(...CONTENT_TYPES))
        .map(([v, contentType]) => ({ payload: toJsonText(v), contentType })),
    },
    { weight: 3, arbitrary: fc.constantFrom<HostileBody>({}, { contentType: 'application/json' }, { payload: '{}' }) },
  );
}

// ---------------------------------------------------------------------------------------------
// Paths and query strings

/** Percent-encodes text for a URL, writing an unpaired surrogate as its three (CESU-8) bytes, as a hostile client would. */
export function percentEncode(text: string): string {
  if ((text as string & { isWellFormed(): boolean }).isWellFormed()) return encodeURIComponent(text);
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(ch);
  }
  return out;
}

/** Path segments as they are sent (already encoded): NUL, surrogates, bad escapes, traversal, too long, odd numbers. */
export const HOSTILE_SEGMENTS = [
  '%00',
  'MA%00GA',
  '%ED%A0%80',
  '%ED%B0%80',
  '%F0%9F%98%80',
  '%C0%AE%C0%AE',
  '%C0%80',
  '%FF',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '..',
  '.',
  '%25',
  '%',
  '%zz',
  '%E0%A4%A',
  'a%2Fb',
  'a'.repeat(301),
  '9'.repeat(400),
  '-1',
  '0',
  '1.5',
  '1e3',
  '1e400',
  '9007199254740993',
  '99999999999999999999',
  '0x10',
  '+1',
  '%201',
  '%20',
  '%D9%A1',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  "'%20OR%201=1",
  '%3Cscript%3E',
  ';',
  '@',
] as const;

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * A path segment for a parameter: mostly a real value, else a plausible one for its schema, else
 * hostile. Never one that names a value of `avoid` (as text or as a number: `+1`, `%201` name 1),
 * such as the id of the account whose token the requests carry.
 */
export function pathSegment(
  schema: JsonSchema | undefined,
  real: readonly (string | number)[],
  avoid: readonly (string | number)[] = [],
): fc.Arbitrary<string> {
  const plausible = new SchemaValues({}, 0).of(schema).map((v) => percentEncode(String(v)));
  const any = fc.oneof(
    ...(real.length ? [{ weight: 6, arbitrary: fc.constantFrom(...real).map((v) => percentEncode(String(v))) }] : []),
    { weight: 2, arbitrary: plausible },
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
    { weight: 1, arbitrary: hostileString().map(percentEncode) },
  );
  if (!avoid.length) return any;
  const texts = new Set(avoid.map(String));
  const numbers = new Set(avoid.map(Number));
  return any.filter((segment) => {
    const text = decoded(segment).trim();
    return !texts.has(text) && !(text !== '' && numbers.has(Number(text)));
  });
}

/** Query pairs no route expects (already encoded). */
export const HOSTILE_QUERY_PAIRS = [
  '%00=1',
  'a=%00',
  'a=%ED%A0%80',
  '%ED%A0%80=1',
  '__proto__=1',
  '__proto__[x]=1',
  'constructor[prototype][x]=1',
  'toString=1',
  'hasOwnProperty=x',
  'a=1&a=2',
  '%=1',
  'a=%zz',
  '=',
  '&&',
  'a[]=1',
  `x=${'y'.repeat(20_000)}`,
] as const;

export interface QueryParameter {
  name: string;
  schema?: JsonSchema;
}

/** A query string (with its "?", or empty) for the declared parameters, with hostile pairs sometimes. */
export function hostileQuery(parameters: readonly QueryParameter[], vocab: Vocabulary): fc.Arbitrary<string> {
  const clean = new SchemaValues(vocab, 0, true);
  const values = new SchemaValues(vocab, 0);
  const pair = (p: QueryParameter): fc.Arbitrary<string | null> =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constant(null) },
      { weight: 5, arbitrary: clean.of(p.schema, p.name).map((v) => `${p.name}=${percentEncode(String(v))}`) },
      { weight: 2, arbitrary: values.of(p.schema, p.name).map((v) => `${p.name}=${percentEncode(String(v))}`) },
      { weight: 1, arbitrary: hostileString().map((v) => `${p.name}=${percentEncode(v)}`) },
      { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS).map((v) => `${p.name}=${v}`) },
      { weight: 1, arbitrary: fc.constant(`${p.name}=a&${p.name}=b`) },
    );
  return fc
    .tuple(
      fc.tuple(...parameters.map(pair)),
      fc.oneof(
        { weight: 4, arbitrary: fc.constant<string[]>([]) },
        { weight: 1, arbitrary: fc.subarray([...HOSTILE_QUERY_PAIRS], { minLength: 1, maxLength: 2 }) },
      ),
    )
    .map(([declared, extra]) => {
      const pairs = [...declared.filter((x): x is string => x !== null), ...extra];
      return pairs.length ? `?${pairs.join('&')}` : '';
    });
}
