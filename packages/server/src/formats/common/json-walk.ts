/**
 * A streaming JSON walker: reads a JSON document chunk by chunk (stream-json's tokenizer) and
 * lets a reader choose, for each value by its path, whether to walk into it, to receive it
 * whole (assembled as a plain JS value) or to skip it. Only assembled values are held in
 * memory, so a reader that assembles one observation at a time stays flat in the file size.
 */

import { findUnstorableChar, unstorableMessage } from '@marsad/core';
import { getManyValues, isMany, none } from 'stream-chain/defs.js';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { decodeText, InputFormatError } from './text.ts';

export type PathKey = string | number;
export type JsonPath = readonly PathKey[];
export type Decision = 'enter' | 'assemble' | 'skip';

export interface JsonVisitor {
  /** A value begins at `path`. Scalars can only be assembled or skipped ('enter' assembles them). */
  begin(path: JsonPath, kind: 'object' | 'array' | 'scalar'): Decision;
  /** An assembled value is complete. */
  value(path: JsonPath, value: unknown): void;
  /** A container that was entered is complete. */
  end?(path: JsonPath, kind: 'object' | 'array'): void;
}

interface Frame {
  type: 'object' | 'array';
  mode: Decision;
  /** Path of this container (enter frames and the root of an assembled value). */
  path: JsonPath;
  /** The container being built (assemble mode). */
  container?: Record<string, unknown> | unknown[];
  /** Whether this frame is the root of an assembled value. */
  root?: boolean;
  key: string;
  index: number;
}

/** `dataSets[0].series["0:1"].observations["3"]` */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(k)) out += out === '' ? k : `.${k}`;
    else out += `[${JSON.stringify(k)}]`;
  }
  return out === '' ? '(top level)' : out;
}

export class JsonWalker {
  private readonly tokenize = jsonParser({ packValues: true, streamValues: false });
  private readonly frames: Frame[] = [];
  private started = false;
  private sawText = false;

  constructor(private readonly visitor: JsonVisitor) {}

  write(text: string): void {
    if (!this.sawText && /\S/.test(text)) this.sawText = true;
    this.feed(this.tokenize(text));
  }

  end(): void {
    if (!this.sawText) throw new InputFormatError('the file is empty: it holds no JSON', '(top level)');
    this.feed(this.tokenize(none as unknown as string));
    if (!this.started) throw new InputFormatError('the file is empty: it holds no JSON', '(top level)');
    if (this.frames.length > 0) throw new InputFormatError('the JSON ends too early: it is cut off', this.where());
  }

  /** Where the walker is now, as a path (for parse errors). */
  where(): string {
    const path: PathKey[] = [];
    for (const f of this.frames) path.push(f.type === 'array' ? f.index : f.key);
    return formatPath(path);
  }

  private feed(result: unknown): void {
    if (result === none) return;
    const tokens = isMany(result) ? (getManyValues(result) as Token[]) : [result as Token];
    for (const t of tokens) this.token(t);
  }

  private childPath(parent: Frame | undefined): PathKey[] {
    if (!parent) return [];
    return [...parent.path, parent.type === 'array' ? parent.index : parent.key];
  }

  private token(t: Token): void {
    switch (t.name) {
      case 'keyValue': {
        const top = this.frames[this.frames.length - 1];
        this.checkText(t.value);
        if (top) top.key = t.value;
        return;
      }
      case 'startObject':
      case 'startArray': {
        const type = t.name === 'startObject' ? 'object' : 'array';
        this.started = true;
        const parent = this.frames[this.frames.length - 1];
        if (parent && parent.mode === 'skip') {
          this.frames.push({ type, mode: 'skip', path: parent.path, key: '', index: 0 });
          return;
        }
        if (parent && parent.mode === 'assemble') {
          const container: Record<string, unknown> | unknown[] = type === 'object' ? Object.create(null) : [];
          this.attach(parent, container);
          this.frames.push({ type, mode: 'assemble', path: parent.path, container, key: '', index: 0 });
          return;
        }
        const path = this.childPath(parent);
        const decision = this.visitor.begin(path, type);
        const frame: Frame = { type, mode: decision, path, key: '', index: 0 };
        if (decision === 'assemble') {
          // Objects without a prototype: a key such as "__proto__" or "constructor" is data, never a lookup of Object's.
          frame.container = type === 'object' ? Object.create(null) : [];
          frame.root = true;
        }
        this.frames.push(frame);
        return;
      }
      case 'endObject':
      case 'endArray': {
        const frame = this.frames.pop();
        if (!frame) return;
        const parent = this.frames[this.frames.length - 1];
        if (frame.mode === 'assemble' && frame.root) this.visitor.value(frame.path, frame.container);
        else if (frame.mode === 'enter') this.visitor.end?.(frame.path, frame.type);
        if (parent && parent.type === 'array' && !(parent.mode === 'assemble' && !frame.root)) parent.index++;
        return;
      }
      case 'stringValue':
      case 'numberValue':
      case 'nullValue':
      case 'trueValue':
      case 'falseValue': {
        this.started = true;
        if (t.name === 'stringValue') this.checkText(t.value);
        const value = t.name === 'numberValue' ? Number(t.value) : t.value;
        const parent = this.frames[this.frames.length - 1];
        if (parent && parent.mode === 'skip') {
          if (parent.type === 'array') parent.index++;
          return;
        }
        if (parent && parent.mode === 'assemble') {
          this.attach(parent, value);
          return;
        }
        const path = this.childPath(parent);
        const decision = this.visitor.begin(path, 'scalar');
        if (decision !== 'skip') this.visitor.value(path, value);
        if (parent && parent.type === 'array') parent.index++;
        return;
      }
      default:
        return;
    }
  }

  /** Text the database cannot store (NUL, an unpaired surrogate from a "\\ud800" escape) stops the file here. */
  private checkText(text: string): void {
    const found = findUnstorableChar(text);
    if (found) throw new InputFormatError(unstorableMessage(found), this.where());
  }

  private attach(parent: Frame, value: unknown): void {
    if (Array.isArray(parent.container)) parent.container.push(value);
    else if (parent.container) parent.container[parent.key] = value;
  }
}

/**
 * Runs a walker over a byte stream, yielding what the visitor produced after each chunk.
 * `drain` returns (and clears) the items the visitor queued. Parse errors become an
 * InputFormatError with the path where reading stopped.
 */
export async function* walkJson<T>(
  input: AsyncIterable<Uint8Array | string>,
  visitor: JsonVisitor,
  drain: () => T[],
): AsyncGenerator<T> {
  const walker = new JsonWalker(visitor);
  const fail = (err: unknown): never => {
    if (err instanceof InputFormatError) throw err;
    const detail = err instanceof Error ? err.message.replace(/^Parser cannot parse input:\s*/, '') : String(err);
    throw new InputFormatError(`the file is not valid JSON (${detail}) after ${walker.where()}`, walker.where());
  };
  for await (const text of decodeText(input)) {
    try {
      walker.write(text);
    } catch (err) {
      yield* drain();
      fail(err);
    }
    yield* drain();
  }
  try {
    walker.end();
  } catch (err) {
    yield* drain();
    fail(err);
  }
  yield* drain();
}
