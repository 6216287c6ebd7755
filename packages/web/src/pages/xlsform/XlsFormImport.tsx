import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { bodyOf } from '../reviews/review-api.ts';
import { FILE_KEYS, ProblemText, ProblemWhere, type XlsFormProblem } from './xlsform-messages.tsx';
import './xlsform.css';

interface Result {
  ok: boolean;
  text: string;
  /** The server's English message when the catalogs have nothing better. */
  english?: string;
  problems: XlsFormProblem[];
  notices: XlsFormProblem[];
}

const list = (v: unknown): XlsFormProblem[] => (Array.isArray(v) ? (v as XlsFormProblem[]) : []);

/**
 * Imports an XLSForm workbook (.xlsx) as a questionnaire (or a new version of one): problems with sheet, row, column
 * and what is not supported, notices for what was read but left aside, all in the user's language.
 */
export function XlsFormImport({ onImported }: { onImported: (versionId: number) => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { num } = usePrefs();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const upload = async () => {
    const file = input.current?.files?.[0];
    if (!file) return setResult({ ok: false, text: t('reviews.import.chooseFile'), problems: [], notices: [] });
    setBusy(true);
    try {
      const res = await fetch(`/api/v1/questionnaires/import?fileName=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        body: file,
        headers: {
          'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          Accept: 'application/json',
          ...(me?.csrfToken ? { 'X-CSRF-Token': me.csrfToken } : {}),
        },
      });
      const b = await bodyOf(res);
      const details = (b.details ?? {}) as { code?: unknown; problems?: unknown; notices?: unknown };
      if (!res.ok) {
        const problems = list(details.problems);
        const fileKey = typeof details.code === 'string' ? FILE_KEYS[details.code] : undefined;
        const text = fileKey
          ? t(fileKey)
          : res.status === 413
            ? t('reviews.import.tooLarge')
            : problems.length
              ? t('reviews.import.refused', { n: num(problems.length, 0) })
              : t('reviews.import.failed');
        return setResult({
          ok: false,
          text,
          ...(!fileKey && !problems.length && b.message ? { english: b.message } : {}),
          problems,
          notices: list(details.notices),
        });
      }
      const version = (b as { version?: { id: number; number: number } }).version;
      setResult({
        ok: true,
        text: t('reviews.import.done', { n: num(version?.number ?? 1, 0) }),
        problems: [],
        notices: list((b as { notices?: unknown }).notices),
      });
      if (version) onImported(version.id);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="field">
      <label htmlFor="xlsform-file">{t('reviews.import.label')}</label>
      <p id="xlsform-file-hint" className="hint">
        {t('reviews.import.hint')}
      </p>
      <div className="row">
        <input
          ref={input}
          id="xlsform-file"
          type="file"
          accept=".xlsx,.xls,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-describedby="xlsform-file-hint"
        />
        <button type="button" className="secondary" disabled={busy} onClick={() => void upload()}>
          {t('reviews.import.button')}
        </button>
      </div>
      {result && (
        <div
          role={result.ok ? 'status' : 'alert'}
          className={result.ok ? 'notice xlsform-result' : 'notice warn xlsform-result'}
        >
          <p>
            {result.text}
            {result.english && (
              <>
                {' '}
                <span lang="en" dir="ltr">
                  {result.english}
                </span>
              </>
            )}
          </p>
          {result.problems.length > 0 && (
            <ul className="xlsform-problems">
              {result.problems.slice(0, 50).map((p, i) => (
                <li key={i}>
                  <ProblemWhere p={p} />: <ProblemText p={p} />
                </li>
              ))}
            </ul>
          )}
          {result.notices.length > 0 && (
            <>
              <p>{t('reviews.import.notices')}</p>
              <ul className="xlsform-notices">
                {result.notices.slice(0, 50).map((p, i) => (
                  <li key={i}>
                    <ProblemWhere p={p} />: <ProblemText p={p} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  );
}
