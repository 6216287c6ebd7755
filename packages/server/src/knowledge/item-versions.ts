import { diffWords } from 'diff';
import { HttpError } from '../http/errors.ts';
import { changedFields, type ItemSnapshot } from './item-store.ts';
import { type Run, TS } from './knowledge-sql.ts';
import { richTextToPlain } from './rich-text.ts';

/**
 * Versions of an item: every save wrote one holding the whole item (item-store.ts). Two
 * versions are compared field by field; changed texts also word by word (on the text of the
 * rich text, so that a change of markup alone shows as the field changed but no words).
 */

export async function listVersions(run: Run, id: number) {
  const rows = await run<{ version: number; status: string; created_at: string; snapshot: ItemSnapshot }>(
    `SELECT version, status, ${TS('created_at')} AS created_at, snapshot FROM knowledge_item_versions WHERE item_id = $1 ORDER BY version`,
    [id],
  );
  return rows
    .map((r, k) => {
      const prev = rows[k - 1]?.snapshot;
      const changed = prev ? changedFields(prev, r.snapshot) : [];
      if (prev && JSON.stringify(prev.attachments) !== JSON.stringify(r.snapshot.attachments))
        changed.push('attachments');
      return { version: r.version, status: r.status, createdAt: r.created_at, changed };
    })
    .reverse();
}

export async function getVersion(
  run: Run,
  id: number,
  version: number,
): Promise<ItemSnapshot & { version: number; createdAt: string }> {
  const [r] = await run<{ snapshot: ItemSnapshot; created_at: string }>(
    `SELECT snapshot, ${TS('created_at')} AS created_at FROM knowledge_item_versions WHERE item_id = $1 AND version = $2`,
    [id, version],
  );
  if (!r) throw new HttpError(404, 'not_found', `Item ${id} has no version ${version}.`);
  return { ...r.snapshot, version, createdAt: r.created_at };
}

export interface WordChange {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  words?: WordChange[];
}

function words(a: string, b: string): WordChange[] {
  return diffWords(a, b).map((part) => ({
    op: part.added ? 'insert' : part.removed ? 'delete' : 'equal',
    text: part.value,
  }));
}

/** The differences from version `from` to version `to`. */
export function compareSnapshots(from: ItemSnapshot, to: ItemSnapshot): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of changedFields(from, to)) {
    if (field.startsWith('texts.')) {
      const lang = field.slice(6);
      const a = from.texts[lang];
      const b = to.texts[lang];
      for (const part of ['title', 'summary', 'body', 'results', 'translated'] as const) {
        const x = a?.[part] ?? null;
        const y = b?.[part] ?? null;
        if (x === y) continue;
        const change: FieldChange = { field: `texts.${lang}.${part}`, before: x, after: y };
        if (part !== 'translated') {
          const plain = (v: unknown) =>
            typeof v === 'string' ? (part === 'body' || part === 'results' ? richTextToPlain(v) : v) : '';
          change.words = words(plain(x), plain(y));
        }
        out.push(change);
      }
    } else {
      out.push({ field, before: from[field as keyof ItemSnapshot], after: to[field as keyof ItemSnapshot] });
    }
  }
  if (JSON.stringify(from.attachments) !== JSON.stringify(to.attachments))
    out.push({ field: 'attachments', before: from.attachments, after: to.attachments });
  return out;
}
