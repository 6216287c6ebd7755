import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiUrl } from '../api/client.ts';
import { usePrefs } from '../app/prefs.tsx';

/**
 * "PDF": asks the server for the PDF of this page in the reader's language
 * (GET /api/v1/reports/pdf, made by Chromium on the server) and saves it. When the server has no
 * Chromium (503) it says what to install there — and that the print layout works meanwhile.
 */
export function PdfButton({ page }: { page: string }) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const [state, setState] = useState<{ busy: boolean; problem: null | 'unavailable' | 'failed'; detail?: string }>({
    busy: false,
    problem: null,
  });
  const make = async () => {
    setState({ busy: true, problem: null });
    try {
      const res = await fetch(apiUrl('/reports/pdf', { page, lang }));
      if (!res.ok) {
        let detail = res.statusText;
        try {
          detail = ((await res.json()) as { message?: string }).message ?? detail;
        } catch {
          /* not JSON */
        }
        setState({ busy: false, problem: res.status === 503 ? 'unavailable' : 'failed', detail });
        return;
      }
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? 'marsad-report.pdf';
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState({ busy: false, problem: null });
    } catch (e) {
      setState({ busy: false, problem: 'failed', detail: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <>
      <button
        type="button"
        className="secondary"
        onClick={() => void make()}
        disabled={state.busy}
        aria-busy={state.busy}
      >
        {state.busy ? t('pdf.making') : t('pdf.button')}
      </button>
      {state.problem && (
        <span role="alert" className="notice warn pdf-problem">
          {state.problem === 'unavailable' ? t('pdf.unavailable') : t('pdf.failed')}{' '}
          {state.detail && (
            <span lang="en" dir="ltr" className="small">
              {state.detail}
            </span>
          )}
        </span>
      )}
    </>
  );
}
