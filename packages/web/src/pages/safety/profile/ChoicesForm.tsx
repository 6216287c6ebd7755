import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session.tsx';
import type { SafetyChoices, SafetyProfile } from './profile-types.ts';

type Input = Omit<SafetyChoices, 'version' | 'updatedAt'>;

const OPTIONS = {
  normalisation: ['min-max', 'benchmarks', 'z-score'],
  weights: ['equal', 'user', 'pca'],
  aggregation: ['arithmetic', 'geometric'],
  missing: ['theme-available', 'mean-imputation', 'exclude-unit'],
} as const;

/** A number typed by a person: Arabic-Indic digits and a decimal comma accepted. */
function numberOf(text: string): number {
  const western = text
    .trim()
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[٫,]/g, '.');
  return western === '' ? Number.NaN : Number(western);
}

/**
 * The choices of the index (administrators): the same for every place, each change audited by the server. An error
 * is said from the catalog by its code (safetyProfile.error.*), else the server's words.
 */
export function ChoicesForm({ profile }: { profile: SafetyProfile }) {
  const { t } = useTranslation();
  const { send } = useSession();
  const client = useQueryClient();
  const id = useId();
  const c = profile.choices;
  const [form, setForm] = useState<Input>({
    framework: c.framework,
    normalisation: c.normalisation,
    weights: c.weights,
    aggregation: c.aggregation,
    missing: c.missing,
    minThemeShare: c.minThemeShare,
    winsorise: c.winsorise,
  });
  const used = profile.indicators.filter((i) => i.used);
  const [weights, setWeights] = useState<Record<string, string>>(
    Object.fromEntries(used.map((i) => [i.code, String(c.userWeights?.indicators[i.code] ?? 1)])),
  );
  const [share, setShare] = useState(String(c.minThemeShare));
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const minThemeShare = numberOf(share);
    if (!(minThemeShare >= 0.05 && minThemeShare <= 1)) {
      setStatus({ ok: false, text: t('safetyProfile.form.shareInvalid') });
      return;
    }
    const body: Input = { ...form, minThemeShare };
    if (form.weights === 'user') {
      const indicators: Record<string, number> = {};
      for (const [code, text] of Object.entries(weights)) {
        const w = numberOf(text);
        if (!(w >= 0 && w <= 1000)) {
          setStatus({ ok: false, text: t('safetyProfile.form.weightInvalid', { code }) });
          return;
        }
        indicators[code] = w;
      }
      body.userWeights = { indicators };
    }
    setBusy(true);
    const res = await send('/safety/choices', 'PUT', body);
    setBusy(false);
    if (res.ok) {
      setStatus({ ok: true, text: t('safetyProfile.form.saved') });
      await client.invalidateQueries({ queryKey: ['safety-profile'] });
      return;
    }
    let text = res.statusText;
    try {
      const j = (await res.json()) as { error?: string; message?: string };
      text = j.error ? t(`safetyProfile.error.${j.error}`, { defaultValue: j.message ?? text }) : (j.message ?? text);
    } catch {
      // keep the status text
    }
    setStatus({ ok: false, text });
  };
  const select = (key: keyof typeof OPTIONS) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{t(`safetyProfile.choice.${key}`)}</label>
      <select id={`${id}-${key}`} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })}>
        {OPTIONS[key].map((o) => (
          <option key={o} value={o}>
            {t(`safetyProfile.option.${o}`)}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form className="admin form card no-print" onSubmit={submit} noValidate>
      <h2>{t('safetyProfile.form.title')}</h2>
      <p className="hint">{t('safetyProfile.form.hint')}</p>
      <div className="form-grid">
        {select('normalisation')}
        {select('weights')}
        {select('aggregation')}
        {select('missing')}
        <div className="field">
          <label htmlFor={`${id}-share`}>{t('safetyProfile.form.share')}</label>
          <input
            id={`${id}-share`}
            type="text"
            inputMode="decimal"
            dir="ltr"
            value={share}
            onChange={(e) => setShare(e.target.value)}
          />
        </div>
      </div>
      <label className="check-line">
        <input
          type="checkbox"
          checked={form.winsorise}
          onChange={(e) => setForm({ ...form, winsorise: e.target.checked })}
        />{' '}
        {t('safetyProfile.form.winsorise')}
      </label>
      {form.weights === 'pca' && !profile.pca.offered && (
        <p className="notice warn">{t('safetyProfile.form.pcaNotOffered')}</p>
      )}
      {form.weights === 'user' && (
        <fieldset>
          <legend>{t('safetyProfile.form.userWeights')}</legend>
          <div className="form-grid">
            {used.map((i) => (
              <div className="field" key={i.code}>
                <label htmlFor={`${id}-w-${i.code}`}>
                  {i.code} <span dir="auto">{i.name}</span>
                </label>
                <input
                  id={`${id}-w-${i.code}`}
                  type="text"
                  inputMode="decimal"
                  dir="ltr"
                  value={weights[i.code] ?? ''}
                  onChange={(e) => setWeights({ ...weights, [i.code]: e.target.value })}
                />
              </div>
            ))}
          </div>
        </fieldset>
      )}
      <p>
        <button type="submit" disabled={busy}>
          {t('safetyProfile.form.save')}
        </button>
      </p>
      {status && (
        <p className={status.ok ? 'notice' : 'notice warn'} role="status">
          {status.text}
        </p>
      )}
    </form>
  );
}
