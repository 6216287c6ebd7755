import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useFieldProblems } from '../../components/field-problems.ts';
import { lastSegment, problemsOf, type Shown } from './admin-api.ts';

/**
 * Errors of a form sent to the API (components/field-problems.ts): those tied to a field next
 * to it, the others above the submit button (as is a second problem on the same field); focus
 * moves to the first field in error, or to the message.
 */
export function useFormProblems(
  known: readonly string[],
  fieldOf: (path: string | null) => string | null = lastSegment,
) {
  return useFieldProblems(known, { read: problemsOf, fieldOf, repeated: 'general' });
}

/** The attributes a described input needs. */
export function described(
  id: string,
  error: Shown | undefined,
  hint?: boolean,
): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { ...(error ? { 'aria-invalid': true as const } : {}), ...(ids ? { 'aria-describedby': ids } : {}) };
}

/** The message of a field, next to it (an icon and words, never colour alone). */
export function FieldError({ id, error }: { id: string; error: Shown | undefined }) {
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="field-error">
      <span aria-hidden="true">⚠ </span>
      <span lang={error.lang} dir="auto">
        {error.text}
      </span>
    </p>
  );
}

/** A label, the control, an optional hint and the field's error. */
export function Field({
  id,
  label,
  hint,
  error,
  children,
  className,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: Shown;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {children}
      <FieldError id={id} error={error} />
    </div>
  );
}

/** Problems not tied to a field. Focusable, so that focus can be moved to them. */
export function FormProblems({ problems }: { problems: Shown[] }) {
  const { t } = useTranslation();
  if (problems.length === 0) return null;
  return (
    <div className="notice warn form-problems" role="alert" tabIndex={-1}>
      <strong>{t('admin.form.problem')}</strong>
      <ul>
        {problems.map((p, i) => (
          <li key={i} lang={p.lang} dir="auto">
            {p.text}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A success message that takes focus when it appears (for results the user must act on). */
export function Done({
  children,
  focus = false,
  className = 'notice',
}: {
  children: ReactNode;
  focus?: boolean;
  className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <div ref={ref} role="status" tabIndex={focus ? -1 : undefined} className={className}>
      {children}
    </div>
  );
}

/** A number from an input ('' → undefined; a comma as the decimal mark is accepted). */
export function numberOf(s: string): number | undefined {
  const v = s
    .trim()
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace('٫', '.')
    .replace(',', '.');
  if (v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : Number.NaN;
}

/** A question before a change that cannot be taken back at once; focus goes to it. */
export function ConfirmBox({ text, yes, onYes, onNo }: { text: string; yes: string; onYes(): void; onNo(): void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div
      ref={ref}
      className="notice warn confirm"
      role="group"
      aria-label={text}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onNo();
      }}
    >
      <p>{text}</p>
      <button type="button" className="danger" onClick={onYes}>
        {yes}
      </button>{' '}
      <button type="button" className="secondary" onClick={onNo}>
        {t('admin.cancel')}
      </button>
    </div>
  );
}
