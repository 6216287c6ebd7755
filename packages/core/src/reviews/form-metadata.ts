/**
 * The metadata questions of a questionnaire (XLSForm `start`, `end`, `today`, `deviceid`, `username`, …) filled by
 * the app, never asked: when the form is opened, `start` (if not yet set) and `today` (if not yet set); when it is
 * saved, `end`, `deviceid` and `username` (the device and person who saved it last). `phonenumber`, `simserial`,
 * `subscriberid` and `audit` are left as they are: a web browser does not give them.
 */
import type { AnswerSet } from './evaluate-form.ts';
import { flattenQuestions, type MetadataKind, type Questionnaire } from './questionnaire.ts';

export interface MetadataValues {
  /** Now, as an ISO 8601 timestamp with its offset (`2026-03-15T10:02:00.000+01:00`). */
  now: string;
  /** Today's date, 'YYYY-MM-DD'. */
  today: string;
  /** An identifier of this browser, kept from one visit to the next. */
  deviceId: string;
  /** Who is signed in (their e-mail address or name); null when nobody is. */
  username: string | null;
}

/** The metadata questions of a questionnaire (outside repeats, as checkQuestionnaire requires), with their kind. */
export function metadataQuestions(q: Questionnaire): { name: string; kind: MetadataKind }[] {
  return flattenQuestions(q.questions).flatMap((l) =>
    l.node.type === 'metadata' && !l.repeats.length ? [{ name: l.node.name, kind: l.node.metadata }] : [],
  );
}

/** The answers with the metadata filled for the moment given (a new object when something changed). */
export function fillMetadata(
  q: Questionnaire,
  answers: AnswerSet,
  values: MetadataValues,
  moment: 'open' | 'save',
): AnswerSet {
  let out = answers;
  const put = (name: string, v: string) => {
    if (Object.hasOwn(out, name) && out[name] === v) return;
    if (out === answers) out = { ...answers };
    out[name] = v;
  };
  const empty = (name: string) => {
    const v = Object.hasOwn(answers, name) ? answers[name] : undefined;
    return v === undefined || v === null || v === '';
  };
  for (const { name, kind } of metadataQuestions(q)) {
    if (kind === 'start' && empty(name)) put(name, values.now);
    else if (kind === 'today' && empty(name)) put(name, values.today);
    else if (moment === 'save' && kind === 'end') put(name, values.now);
    else if (moment === 'save' && kind === 'deviceid') put(name, values.deviceId);
    else if (moment === 'save' && kind === 'username' && values.username) put(name, values.username);
  }
  return out;
}

/** A timestamp as form-metadata writes it: local time with its offset from UTC (as ODK records start and end). */
export function localTimestamp(d: Date): string {
  const pad = (n: number, w = 2) => String(Math.trunc(Math.abs(n))).padStart(w, '0');
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}
