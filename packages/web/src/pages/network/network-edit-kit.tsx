import type { TFunction } from 'i18next';
import { type ReactNode, useEffect, useState } from 'react';
import { useFieldProblems } from '../../components/field-problems.ts';
import { type Problem, type Shown, splitMessage, translateProblem } from '../admin/admin-api.ts';
import { ConfirmBox } from '../admin/forms.tsx';
import type { PlaceRef, Workshop } from '../knowledge/knowledge-api.ts';

/** Texts by language, as the API stores them. */
export type Names = Partial<Record<string, string>>;

/** A partner organisation as the API answers it (texts in every language beside the reader's). */
export interface PartnerFull {
  id: number;
  name: string | null;
  names: Names;
  type: string;
  country: PlaceRef | null;
  website: string | null;
  description: string | null;
  descriptions: Names;
  joinedOn: string | null;
  leftOn: string | null;
}
export interface CentreFull {
  id: number;
  name: string | null;
  names: Names;
  place: PlaceRef | null;
  organisation: { id: number; name: string | null } | null;
  designatedOn: string | null;
  descriptions: Names;
}
export interface WorkshopFull extends Omit<Workshop, 'organisers'> {
  titles: Names;
  descriptions: Names;
  organisers: { organisation: { id: number; name: string | null } | null; name: string | null; names?: Names }[];
}

/** The texts a form sends: those filled, trimmed. */
export function filled(values: Record<string, string>): Names {
  return Object.fromEntries(
    Object.entries(values)
      .map(([l, v]) => [l, v.trim()] as const)
      .filter(([, v]) => v !== ''),
  );
}

type Rule = [RegExp, (t: TFunction, m: RegExpExecArray) => string];

/** The API's messages of these forms, each with its translation (others: as admin-api.ts translates them). */
const RULES: Rule[] = [
  [/^is before startsOn/, (t) => t('knowledge.err.net.endBeforeStart')],
  [/^is before joinedOn/, (t) => t('knowledge.err.net.leftBeforeJoined')],
  [/adds up to (\d+), not the total (\d+)/, (t, m) => t('knowledge.err.net.sum', { sum: m[1]!, total: m[2]! })],
  [/an http\(s\) address/, (t) => t('knowledge.err.net.url')],
  [/a date as YYYY-MM-DD/, (t) => t('knowledge.err.net.date')],
  [/give the text in at least one language/, (t) => t('knowledge.err.net.textNeeded')],
  [/no partner organisation (\d+)/, (t) => t('knowledge.err.net.noPartner')],
  [/no item (\d+) in the repository/, (t, m) => t('knowledge.err.net.noItem', { id: m[1]! })],
  [/you may not add or change workshops of ([^:\s]+)/, (t, m) => t('knowledge.err.net.notYourPlace', { code: m[1]! })],
  [/give the place of the workshop/, (t) => t('knowledge.err.net.placeNeeded')],
  [/You may not (?:change|delete) workshop/, (t) => t('knowledge.err.net.forbidden')],
  [/^No (?:partner organisation|coordination centre|workshop) \d+/, (t) => t('knowledge.err.net.gone')],
];

function translate(t: TFunction, text: string): Shown {
  for (const [re, f] of RULES) {
    const m = re.exec(text);
    if (m) return { text: f(t, m) };
  }
  return translateProblem(t, text);
}

/** The problems of a failed answer, each with the field path the API named, translated where the case is known. */
export async function readProblems(res: Response, t: TFunction): Promise<Problem[]> {
  let body: { message?: string } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    /* not JSON */
  }
  if (res.status === 401) return [{ path: null, text: t('apiError.signIn') }];
  const message = body.message ?? `${res.status} ${res.statusText}`;
  return splitMessage(message).map((p) => ({ path: p.path, ...translate(t, p.text) }));
}

/**
 * The problems of one of these forms: a path the API names ("names", "names.fr", "participants.bySex",
 * "materials.0") becomes the form's field; texts without a language go to the reader's language's field.
 */
export function useNetworkProblems(known: readonly string[], lang: string) {
  const fieldOf = (path: string | null): string | null => {
    if (!path) return null;
    if (known.includes(path)) return path;
    const parts = path.split('.');
    const head = parts[0]!;
    if (['names', 'titles', 'descriptions'].includes(head)) return `${head}.${lang}`;
    if (head === 'participants') return parts[1] === 'byOrganisationType' ? 'participants.org' : 'participants.sex';
    if (known.includes(head)) return head;
    return null;
  };
  return useFieldProblems(known, { read: readProblems, fieldOf, repeated: 'general' });
}

/** A message given to the next page (after adding, the page of what was added says so). */
let flash: string | null = null;
export function setFlash(message: string): void {
  flash = message;
}

/**
 * A polite live region, in the page from the start, that says what was saved or removed: a message given by the page
 * before (setFlash) is put in it once the page is shown, so that it is announced.
 */
export function useAnnouncer(): [ReactNode, (m: string) => void] {
  const [message, setMessage] = useState('');
  useEffect(() => {
    if (flash) {
      const m = flash;
      flash = null;
      setMessage(m);
    }
  }, []);
  const node = (
    <div className="net-status" aria-live="polite">
      {message && <p className="notice">{message}</p>}
    </div>
  );
  return [node, setMessage];
}

/** The remove button of an edit page, with its question before it removes. */
export function RemoveButton({ label, question, onYes }: { label: string; question: string; onYes(): void }) {
  const [asking, setAsking] = useState(false);
  if (asking)
    return (
      <ConfirmBox
        text={question}
        yes={label}
        onYes={() => {
          setAsking(false);
          onYes();
        }}
        onNo={() => setAsking(false)}
      />
    );
  return (
    <button type="button" className="danger" onClick={() => setAsking(true)}>
      {label}
    </button>
  );
}

/** A text in the reader's language, or in the first language it has. */
export function nameOf(names: Names, lang: string): string {
  return names[lang] ?? Object.values(names).find(Boolean) ?? '';
}
