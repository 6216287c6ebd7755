import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../app/prefs.tsx';
import { LANGS, languageLabel } from './admin-api.ts';
import { Done } from './forms.tsx';

/**
 * An invitation or reset link to give to its user: shown with a copy button, its expiry, and
 * whether Marsad sent it by e-mail (as the API says).
 */
export function LinkResult({
  title,
  url,
  expiresAt,
  emailSent,
  emailProblem,
  email,
}: {
  title: string;
  url: string;
  expiresAt: string;
  emailSent: boolean;
  emailProblem?: string | null;
  email: string;
}) {
  const { t } = useTranslation();
  const { date } = usePrefs();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // No clipboard (a page not served over HTTPS): select the text for the user to copy.
      input.current?.select();
      setCopied(false);
    }
  };
  return (
    <Done focus className="notice link-result">
      <h3>
        {title} <bdi dir="auto">{email}</bdi>
      </h3>
      <p>{emailSent ? t('admin.link.emailed') : t('admin.link.notEmailed')}</p>
      {!emailSent &&
        emailProblem &&
        (/^No SMTP server is configured/.test(emailProblem) ? (
          <p className="small">{t('admin.link.noSmtp')}</p>
        ) : (
          <p className="small">
            {t('admin.link.mailFailed')}{' '}
            <span lang="en" dir="auto">
              {emailProblem}
            </span>
          </p>
        ))}
      <div className="copy-row">
        <label htmlFor={id} className="visually-hidden">
          {title}
        </label>
        <input
          ref={input}
          id={id}
          type="text"
          dir="ltr"
          readOnly
          value={url}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" onClick={copy}>
          {t('admin.link.copy')}
        </button>
      </div>
      <p className="small muted">{t('admin.link.expires', { date: date(expiresAt) })}</p>
      {copied !== null && <p className="small">{copied ? t('admin.link.copied') : t('admin.link.copyByHand')}</p>}
    </Done>
  );
}

/** The language of the e-mail carrying a link (the API's default: Arabic and English). */
export function MailLanguageSelect({ id, value, onChange }: { id: string; value: string; onChange(v: string): void }) {
  const { t } = useTranslation();
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('admin.link.languageDefault')}</option>
      {LANGS.map((l) => (
        <option key={l} value={l}>
          {languageLabel(t, l)}
        </option>
      ))}
    </select>
  );
}
