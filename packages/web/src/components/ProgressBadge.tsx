import type { ProgressResult } from '@marsad/core';
import { useTranslation } from 'react-i18next';

const LOOK: Record<ProgressResult['class'], { tone: string; icon: string }> = {
  'met-or-almost': { tone: 'good', icon: '✔' },
  substantial: { tone: 'good', icon: '▲' },
  moderate: { tone: 'fair', icon: '↗' },
  marginal: { tone: 'warn', icon: '→' },
  stagnation: { tone: 'warn', icon: '■' },
  deterioration: { tone: 'bad', icon: '▼' },
  'insufficient-data': { tone: 'none', icon: '…' },
  'not-assessed': { tone: 'none', icon: '–' },
};

/** Progress toward the target as text and an icon (never colour alone). */
export function ProgressBadge({ result }: { result: ProgressResult }) {
  const { t } = useTranslation();
  const look = LOOK[result.class];
  const label = t(`progress.class.${result.class}`);
  const how =
    result.method === 'target' ? t('progress.byTarget') : result.method === 'trend' ? t('progress.byTrend') : '';
  return (
    <span className={`badge ${look.tone}`} title={how || undefined}>
      <span aria-hidden="true">{look.icon}</span>
      <span>{label}</span>
    </span>
  );
}
