import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';

/** A value's history (GET /api/v1/observations/history; packages/server/src/observations/approval-history.ts). */
interface History {
  steps: {
    action: 'entered' | 'corrected' | 'validated' | 'approved' | 'sent-back' | 'reopened';
    version: number;
    value: number;
    reason: string | null;
    by: string;
    at: string;
  }[];
}

/**
 * The steps of a value's approval workflow — entered, corrected, validated, approved, sent back, reopened — with
 * who, when and why, read when the reader opens it.
 */
export function ValueHistory({
  item,
}: {
  item: { indicator: string; series: string; place: string; period: string; dims: Record<string, string> };
}) {
  const { t } = useTranslation();
  const { num, date } = usePrefs();
  const [open, setOpen] = useState(false);
  const stepName: Record<History['steps'][number]['action'], string> = {
    entered: t('inbox.step.entered'),
    corrected: t('inbox.step.corrected'),
    validated: t('inbox.step.validated'),
    approved: t('inbox.step.approved'),
    'sent-back': t('inbox.step.sent-back'),
    reopened: t('inbox.step.reopened'),
  };
  const dims = Object.entries(item.dims)
    .map(([k, v]) => `${k}=${v}`)
    .join('|');
  const history = useQuery({
    queryKey: ['value-history', item.indicator, item.series, item.place, item.period, dims],
    enabled: open,
    queryFn: () =>
      getJson<History>('/observations/history', {
        indicator: item.indicator,
        series: item.series,
        place: item.place,
        period: item.period,
        ...(dims ? { dims } : {}),
      }),
  });
  return (
    <details className="value-history small" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>{t('inbox.history')}</summary>
      {open &&
        (history.isPending ? (
          <Loading />
        ) : history.error ? (
          <ErrorMessage error={history.error} />
        ) : history.data.steps.length === 0 ? (
          <p className="muted">{t('inbox.historyEmpty')}</p>
        ) : (
          <ol>
            {history.data.steps.map((s, n) => (
              <li key={n}>
                <strong>{stepName[s.action]}</strong>{' '}
                {t('inbox.stepBy', { by: `\u2068${s.by}\u2069`, date: date(s.at), value: num(s.value, 4) })}
                {s.reason && (
                  <span className="reason" dir="auto">
                    {s.reason}
                  </span>
                )}
              </li>
            ))}
          </ol>
        ))}
    </details>
  );
}
