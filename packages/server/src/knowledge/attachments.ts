import { createHash } from 'node:crypto';
import path from 'node:path';
import { searchForm } from '@marsad/core';
import type { Store } from '@marsad/db';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import type { Actor } from '../auth/actor.ts';
import { HttpError } from '../http/errors.ts';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from '../http/upload-limits.ts';
import { appendVersion, loadState } from './item-store.ts';
import { canEditItem } from './knowledge-policy.ts';
import { type runOn, runWith } from './knowledge-sql.ts';
import { pdfText } from './pdf-text.ts';

/**
 * Files of an item: PDF, text and office files, kept byte for byte in the database with their
 * SHA-256 and served back unchanged. The kind of a file is decided by its name's extension and
 * checked against its first bytes (a PDF begins with %PDF-, office files are ZIP or OLE2
 * containers, text is valid UTF-8); a Content-Type that says otherwise is refused. The text of
 * PDF and text files is indexed for search (weight D); office files are kept, not read (never
 * unpacked). A PDF's text is read in a worker within a memory and a time limit (pdf-text.ts):
 * one whose compressed streams unpack to too much is kept with extraction 'failed' and a note.
 */

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
/** Characters of a file's text that are indexed (a tsvector holds at most 1 MB). */
const MAX_INDEXED_CHARS = 200_000;

type Magic = 'pdf' | 'zip' | 'ole2' | 'rtf' | 'utf8';
const TYPES: Record<string, { mediaType: string; magic: Magic }> = {
  '.pdf': { mediaType: 'application/pdf', magic: 'pdf' },
  '.txt': { mediaType: 'text/plain', magic: 'utf8' },
  '.csv': { mediaType: 'text/csv', magic: 'utf8' },
  '.md': { mediaType: 'text/markdown', magic: 'utf8' },
  '.rtf': { mediaType: 'application/rtf', magic: 'rtf' },
  '.doc': { mediaType: 'application/msword', magic: 'ole2' },
  '.xls': { mediaType: 'application/vnd.ms-excel', magic: 'ole2' },
  '.ppt': { mediaType: 'application/vnd.ms-powerpoint', magic: 'ole2' },
  '.docx': { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: 'zip' },
  '.xlsx': { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: 'zip' },
  '.pptx': { mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', magic: 'zip' },
  '.odt': { mediaType: 'application/vnd.oasis.opendocument.text', magic: 'zip' },
  '.ods': { mediaType: 'application/vnd.oasis.opendocument.spreadsheet', magic: 'zip' },
  '.odp': { mediaType: 'application/vnd.oasis.opendocument.presentation', magic: 'zip' },
};
export const ATTACHMENT_EXTENSIONS = Object.keys(TYPES);
/** Content-Types that say nothing about the file and are accepted for any kind. */
const GENERIC = new Set(['application/octet-stream', 'binary/octet-stream', '']);

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function magicMatches(magic: Magic, bytes: Uint8Array): boolean {
  switch (magic) {
    case 'pdf':
      return startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d]);
    case 'zip':
      return startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]);
    case 'ole2':
      return startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    case 'rtf':
      return startsWith(bytes, [0x7b, 0x5c, 0x72, 0x74, 0x66]);
    case 'utf8':
      return decodeUtf8(bytes) !== null;
  }
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return null;
  }
}

/** A file name as kept: no folders, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = path
    .basename(name.replace(/\\/g, '/'))
    // biome-ignore lint/suspicious/noControlCharactersInRegex: takes control characters out on purpose
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return base.length > 200 ? base.slice(0, 200) : base;
}

/** Whether most letters of a text are Arabic. */
function mostlyArabic(text: string): boolean {
  const sample = text.slice(0, 20_000);
  const arabic = (sample.match(/[\u0621-\u064A]/g) ?? []).length;
  const letters = (sample.match(/\p{L}/gu) ?? []).length;
  return letters > 0 && arabic / letters > 0.3;
}

export interface NewAttachment {
  fileName: string;
  contentType: string;
  language?: string;
}

export async function addAttachment(
  store: Store,
  actor: Actor,
  audit: AuditActor,
  itemId: number,
  meta: NewAttachment,
  bytes: Uint8Array,
  limits: Pick<UploadLimits, 'maxPdfMemory'> = DEFAULT_UPLOAD_LIMITS,
) {
  const item = await loadState(runWith(store.db), itemId);
  if (!item) throw new HttpError(404, 'not_found', `No item ${itemId}.`);
  if (!canEditItem(actor, item.ownerPath, itemId))
    throw new HttpError(403, 'forbidden', `You may not add files to item ${itemId}.`);
  const fileName = cleanFileName(meta.fileName);
  if (fileName === '' || fileName.startsWith('.'))
    throw new HttpError(
      400,
      'bad_request',
      'fileName: give the name of the file, with its extension (e.g. report.pdf).',
    );
  const ext = path.extname(fileName).toLowerCase();
  const type = TYPES[ext];
  if (!type)
    throw new HttpError(
      415,
      'unsupported_media_type',
      `fileName: files ending in "${ext || '(nothing)'}" are not kept; send one of ${ATTACHMENT_EXTENSIONS.join(' ')}.`,
    );
  const given = meta.contentType.split(';')[0]!.trim().toLowerCase();
  if (!GENERIC.has(given) && given !== type.mediaType) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `Content-Type: "${given}" does not agree with the file name ${fileName} (${type.mediaType}).`,
    );
  }
  if (bytes.length === 0) throw new HttpError(400, 'bad_request', 'body: the file is empty.');
  if (!magicMatches(type.magic, bytes)) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `body: the file's content is not ${type.magic === 'utf8' ? 'UTF-8 text' : `a ${ext.slice(1).toUpperCase()} file`}, whatever its name says.`,
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');

  let text = '';
  let extraction: 'pdf' | 'text' | 'none' | 'failed' = 'none';
  let note: string | null = null;
  if (type.magic === 'pdf') {
    try {
      const r = await pdfText(bytes, { maxMemoryBytes: limits.maxPdfMemory });
      text = r.text;
      extraction = 'pdf';
      note = r.truncated ? `read ${r.pagesRead} of ${r.pages} pages` : `${r.pages} page${r.pages === 1 ? '' : 's'}`;
      if (text.trim() === '') note += '; no text (a scanned document?)';
    } catch (e) {
      extraction = 'failed';
      note = `the PDF could not be read: ${(e as Error).message}`.slice(0, 300);
    }
  } else if (type.magic === 'utf8') {
    text = decodeUtf8(bytes) ?? '';
    extraction = 'text';
  }
  const language =
    meta.language ??
    (text === '' ? null : mostlyArabic(text) ? 'ar' : item.texts.en || item.originalLanguage === 'en' ? 'en' : null);
  const indexed = searchForm(text.slice(0, MAX_INDEXED_CHARS));

  return store.exclusive(async (conn) => {
    const [row] = (
      await conn.query<{ id: number }>(
        `INSERT INTO knowledge_attachments (item_id, file_name, media_type, size, sha256, content, language, extraction, extraction_note, text_chars, vector, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, setweight(to_tsvector(marsad_search_config($7), $11), 'D'), $12) RETURNING id`,
        [
          itemId,
          fileName,
          type.mediaType,
          bytes.length,
          sha256,
          bytes,
          language,
          extraction,
          note,
          text.length,
          indexed,
          actor.userId,
        ],
      )
    ).rows;
    const version = await bumpVersion(conn, itemId);
    await conn.query('SELECT marsad_refresh_item_search($1::int[])', [[itemId]]);
    const { id: _i, version: _v, ownerPath: _o, ...state } = item;
    await appendVersion(conn, itemId, version, state, audit);
    await appendAudit(conn, audit, {
      action: 'create',
      entityType: 'knowledge-attachment',
      entityId: row!.id,
      summary: `${fileName} (${bytes.length} bytes, sha256 ${sha256}) added to item ${itemId}, version ${version}`,
      after: { item: itemId, fileName, mediaType: type.mediaType, size: bytes.length, sha256, extraction },
    });
    return {
      id: row!.id,
      itemId,
      fileName,
      mediaType: type.mediaType,
      size: bytes.length,
      sha256,
      language,
      extraction,
      extractionNote: note,
      textChars: text.length,
      version,
    };
  });
}

async function bumpVersion(conn: Parameters<typeof runOn>[0], itemId: number): Promise<number> {
  const r = await conn.query<{ version: number }>(
    'UPDATE knowledge_items SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING version',
    [itemId],
  );
  return r.rows[0]!.version;
}

export async function deleteAttachment(store: Store, actor: Actor, audit: AuditActor, attachmentId: number) {
  const a = await store.db
    .selectFrom('knowledge_attachments')
    .select(['id', 'item_id', 'file_name', 'sha256', 'size'])
    .where('id', '=', attachmentId)
    .executeTakeFirst();
  if (!a) throw new HttpError(404, 'not_found', `No file ${attachmentId}.`);
  const item = await loadState(runWith(store.db), a.item_id);
  if (!item) throw new HttpError(404, 'not_found', `No file ${attachmentId}.`);
  if (!canEditItem(actor, item.ownerPath, a.item_id))
    throw new HttpError(403, 'forbidden', `You may not remove files of item ${a.item_id}.`);
  return store.exclusive(async (conn) => {
    await conn.query('DELETE FROM knowledge_attachments WHERE id = $1', [attachmentId]);
    const version = await bumpVersion(conn, a.item_id);
    await conn.query('SELECT marsad_refresh_item_search($1::int[])', [[a.item_id]]);
    const { id: _i, version: _v, ownerPath: _o, ...state } = item;
    await appendVersion(conn, a.item_id, version, state, audit);
    await appendAudit(conn, audit, {
      action: 'delete',
      entityType: 'knowledge-attachment',
      entityId: attachmentId,
      summary: `${a.file_name} removed from item ${a.item_id}, version ${version}`,
      before: { item: a.item_id, fileName: a.file_name, size: a.size, sha256: a.sha256 },
    });
    return { removed: true, version };
  });
}

/** A file with its bytes, when the reader may see it (its item is published, or they may edit it). */
export async function readAttachment(store: Store, actor: Actor | null, attachmentId: number) {
  const rows = await runWith(store.db)<{
    id: number;
    item_id: number;
    file_name: string;
    media_type: string;
    size: number;
    sha256: string;
    content: Uint8Array;
    status: string;
    owner_path: string | null;
  }>(
    `SELECT a.id, a.item_id, a.file_name, a.media_type, a.size, a.sha256, a.content, i.status, o.path AS owner_path
        FROM knowledge_attachments a JOIN knowledge_items i ON i.id = a.item_id LEFT JOIN places o ON o.id = i.owner_place_id
       WHERE a.id = $1`,
    [attachmentId],
  );
  const a = rows[0];
  if (!a || (a.status !== 'published' && !canEditItem(actor, a.owner_path, a.item_id)))
    throw new HttpError(404, 'not_found', `No file ${attachmentId}.`);
  const content = Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength);
  return { id: a.id, fileName: a.file_name, mediaType: a.media_type, size: a.size, sha256: a.sha256, content };
}

/** Content-Disposition for a file name in any script (RFC 6266 / RFC 5987). */
export function contentDisposition(fileName: string, mediaType: string): string {
  const inline = mediaType === 'application/pdf' || mediaType.startsWith('text/');
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
