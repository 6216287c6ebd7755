/**
 * SDMX identifiers for Marsad's codes. A code of a code list must match SDMX's IDType (`[A-Za-z0-9_@$-]+`), a
 * component (dimension, attribute) or concept its NCNameIDType (a letter first, then letters, digits, `_`, `-`).
 * Marsad's codes are freer (`11.1.1`, a place code with a dot or a space, an open dimension named after a column), so
 * each code list gives every code an SDMX id: the code itself when SDMX allows it, else the code with each run of
 * other characters made one `_` (`11.1.1` → `11_1_1`). The ids are given in a fixed order (the order the codes were
 * created in), and an id already given gets a suffix (`_2`, `_3` …): the mapping is one to one, and a code keeps its
 * id when codes are added after it. Pure: no I/O.
 */

/** SDMX IDType: the id of a code, of a maintainable artefact. */
export const SDMX_ID = /^[A-Za-z0-9_@$-]+$/;
/** SDMX NCNameIDType: the id of a component or a concept. */
export const SDMX_NCNAME_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;

export type IdKind = 'code' | 'component';

/** The id a code would have on its own (before a collision's suffix). */
export function baseSdmxId(code: string, kind: IdKind): string {
  if (kind === 'code') {
    if (SDMX_ID.test(code)) return code;
    const id = code.replace(/[^A-Za-z0-9_@$-]+/g, '_').replace(/^_+(?=.)|(?<=.)_+$/g, '');
    return id === '' || id === '_' ? 'CODE' : id;
  }
  if (SDMX_NCNAME_ID.test(code)) return code;
  let id = code.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+(?=.)|(?<=.)_+$/g, '');
  if (id === '' || id === '_') id = 'COMPONENT';
  return /^[A-Za-z]/.test(id) ? id : `D_${id}`;
}

/** Codes ↔ SDMX ids of one code list (or of one list of components). */
export class IdMap {
  readonly #toId = new Map<string, string>();
  readonly #toCode = new Map<string, string>();

  /** The codes in the order they were given ids. */
  get codes(): string[] {
    return [...this.#toId.keys()];
  }

  /** Gives `code` an id unless it has one: its base id, suffixed while that is taken (here or in `taken`). */
  add(code: string, kind: IdKind, taken?: ReadonlySet<string>): string {
    const known = this.#toId.get(code);
    if (known !== undefined) return known;
    const base = baseSdmxId(code, kind);
    let id = base;
    for (let n = 2; this.#toCode.has(id) || taken?.has(id); n++) id = `${base}_${n}`;
    this.#toId.set(code, id);
    this.#toCode.set(id, code);
    return id;
  }

  /** Sets a pair given elsewhere (an id kept from an earlier version of a structure). */
  set(code: string, id: string): void {
    this.#toId.set(code, id);
    this.#toCode.set(id, code);
  }

  idOf(code: string): string | undefined {
    return this.#toId.get(code);
  }

  codeOf(id: string): string | undefined {
    return this.#toCode.get(id);
  }

  /**
   * The code a query names: an SDMX id of the list, or else an original code of the list (accepted where it is not
   * the id of another code). undefined: neither.
   */
  resolve(text: string): string | undefined {
    return this.#toCode.get(text) ?? (this.#toId.has(text) ? text : undefined);
  }

  /** The id a query names (see `resolve`). */
  resolveId(text: string): string | undefined {
    const code = this.resolve(text);
    return code === undefined ? undefined : this.#toId.get(code);
  }
}

/** An IdMap of `codes`, given ids in this order. */
export function idMapOf(codes: Iterable<string>, kind: IdKind, taken?: ReadonlySet<string>): IdMap {
  const map = new IdMap();
  for (const code of codes) map.add(code, kind, taken);
  return map;
}
