import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorDetail } from '../../api/types.ts';
import { useSession } from '../../app/session.tsx';
import { LangFields, type LangValues } from '../../components/LangFields.tsx';
import { LANGUAGES } from '../../i18n/languages.ts';
import type { Shown } from './admin-api.ts';
import { Done, FormProblems, useFormProblems } from './forms.tsx';

const CODES = LANGUAGES.map((l) => l.code);
const FIELDS = CODES.flatMap((l) => [`names.${l}`, `definitions.${l}`]);

/** "body.names.fr" → "names.fr"; "names" (none left) → the name in the first language. */
function fieldOf(path: string | null): string | null {
  const m = path?.match(/(names|definitions)(?:\.([a-z]{2}))?$/);
  return m ? `${m[1]}.${m[2] ?? CODES[0]}` : null;
}

const sixOf = (texts: Record<string, string>): LangValues => Object.fromEntries(CODES.map((l) => [l, texts[l] ?? '']));

/**
 * The indicator's name and definition in each of the six languages (PATCH /api/v1/indicators/:code):
 * every language is sent, an emptied one is removed; a name must stay in at least one language.
 */
export function IndicatorTextsForm({ ind }: { ind: IndicatorDetail }) {
  const { t } = useTranslation();
  const { send } = useSession();
  const client = useQueryClient();
  const id = useId();
  const [names, setNames] = useState(sixOf(ind.names));
  const [definitions, setDefinitions] = useState(sixOf(ind.definitions));
  const [saved, setSaved] = useState(false);
  const problems = useFormProblems(FIELDS, fieldOf);
  const errorsOf = (field: 'names' | 'definitions') =>
    Object.fromEntries(CODES.map((l) => [l, problems.fields[`${field}.${l}`]]).filter(([, e]) => e)) as Record<
      string,
      Shown
    >;

  const submit = async () => {
    problems.clear();
    setSaved(false);
    const trim = (v: LangValues) => Object.fromEntries(Object.entries(v).map(([l, x]) => [l, x.trim()]));
    if (!Object.values(names).some((x) => x.trim())) {
      problems.setLocal({ [`names.${CODES[0]}`]: { text: t('admin.indicatorTexts.nameNeeded') } });
      return;
    }
    const res = await send(`/indicators/${encodeURIComponent(ind.code)}`, 'PATCH', {
      names: trim(names),
      definitions: trim(definitions),
    });
    if (!res.ok) {
      await problems.fromResponse(res);
      return;
    }
    setSaved(true);
    await client.invalidateQueries({ queryKey: ['admin', 'indicator', ind.code] });
    await client.invalidateQueries({ queryKey: ['indicator', ind.code] });
  };

  return (
    <form
      ref={problems.formRef}
      className="form indicator-texts-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset className="card">
        <legend>{t('admin.indicatorTexts.title')}</legend>
        <p className="hint">{t('admin.indicatorTexts.intro')}</p>
        <LangFields
          id={`${id}-name`}
          label={t('admin.indicatorTexts.name')}
          values={names}
          onChange={setNames}
          errors={errorsOf('names')}
        />
        <LangFields
          id={`${id}-def`}
          label={t('admin.indicatorTexts.definition')}
          values={definitions}
          onChange={setDefinitions}
          errors={errorsOf('definitions')}
          multiline
        />
      </fieldset>
      <FormProblems problems={problems.general} />
      <button type="submit">{t('admin.indicatorTexts.save')}</button>
      {saved && <Done focus>{t('admin.indicatorTexts.saved')}</Done>}
    </form>
  );
}
