import type { TFunction } from 'i18next';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem, Shown } from '../pages/admin/admin-api.ts';

export interface FieldProblemsOptions {
  /**
   * Reads the problems of a failed answer (translated where the case is known), each with the field path the API named.
   */
  read(res: Response, t: TFunction): Promise<Problem[]>;
  /**
   * The form field a path names ("body.roles.0.place" → "place"); null or a field not in `known`: a problem of the
   * whole form.
   */
  fieldOf(path: string | null): string | null;
  /** A further problem on a field that shows one already: listed with the form's problems, or left out. */
  repeated: 'general' | 'drop';
}

/**
 * The problems of a form: those the API (or a check before sending) tied to a known field are
 * shown next to it — the field is marked aria-invalid and described by its message — and the
 * others above the buttons. After a failed submit, focus moves to the first field in error, or
 * to the message (`.form-problems`). Used by the administration forms (pages/admin/forms.tsx)
 * and the programme forms (pages/programmes/programme-kit.tsx), each with its reader of problems.
 */
export function useFieldProblems(known: readonly string[], { read, fieldOf, repeated }: FieldProblemsOptions) {
  const { t } = useTranslation();
  const [fields, setFields] = useState<Record<string, Shown>>({});
  const [general, setGeneral] = useState<Shown[]>([]);
  const formRef = useRef<HTMLFormElement>(null);
  const focusPending = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after the problems shown change, to focus the first
  useEffect(() => {
    if (!focusPending.current) return;
    focusPending.current = false;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], .form-problems')?.focus();
  }, [fields, general]);
  const clear = useCallback(() => {
    setFields({});
    setGeneral([]);
  }, []);
  const fromResponse = useCallback(
    async (res: Response) => {
      const problems = await read(res, t);
      const f: Record<string, Shown> = {};
      const g: Shown[] = [];
      for (const p of problems) {
        const name = fieldOf(p.path);
        const shown: Shown = { text: p.text, ...(p.lang ? { lang: p.lang } : {}) };
        if (name && known.includes(name)) {
          if (!f[name]) f[name] = shown;
          else if (repeated === 'general') g.push(shown);
        } else g.push(shown);
      }
      focusPending.current = true;
      setFields(f);
      setGeneral(g);
    },
    [t, known, fieldOf, read, repeated],
  );
  /** Problems found before sending, shown the same way. */
  const setLocal = useCallback((f: Record<string, Shown>, g: Shown[] = []) => {
    focusPending.current = true;
    setFields(f);
    setGeneral(g);
  }, []);
  return { formRef, fields, general, clear, fromResponse, setLocal };
}
