import { METADATA_FIELDS, SOURCE_FIELD, SOURCE_KINDS } from '@marsad/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { LangFields, type LangValues, langErrors, langKeys, sixOf } from '../../components/LangFields.tsx';
import { metadataFieldLabel } from '../indicators/IndicatorMetadata.tsx';
import { Loaded } from './AdminShell.tsx';
import type { Shown } from './admin-api.ts';
import { Done, described, Field, FieldError, FormProblems, useFormProblems } from './forms.tsx';

/** GET /api/v1/indicators/:code/metadata/texts (packages/server/src/indicators/indicator-metadata-routes.ts). */
interface MetadataTexts {
  indicator: string;
  sources: {
    source: string;
    place: { code: string; name: string | null } | null;
    fields: { field: string; texts: Record<string, string> }[];
  }[];
}

interface FieldDraft {
  field: string;
  values: LangValues;
}

/** The choice of a source the indicator has no text of yet (a source's name is never empty). */
const NEW = '';
/** The longest text of a field in one language (migration 017). */
const TEXT_MAX = 100_000;

/**
 * The indicator's metadata (the texts its page shows under "Metadata from the national reporting
 * platform", per source: description, units, footnotes, sources…) in each of the six languages, on
 * the indicator's administration page: a source chosen (or a new one named), its fields edited with
 * LangFields, fields added from Open SDG's list; saved with PATCH /api/v1/indicators/:code/metadata,
 * where an emptied language is removed. The reporting status is not edited here (it is one code).
 */
export function IndicatorMetadataForm({ code }: { code: string }) {
  const { lang } = usePrefs();
  const client = useQueryClient();
  const q = useQuery({
    queryKey: ['admin', 'indicator-metadata-texts', code, lang],
    queryFn: () => getJson<MetadataTexts>(`/indicators/${encodeURIComponent(code)}/metadata/texts`, { lang }),
  });
  const [choice, setChoice] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  return (
    <Loaded q={q}>
      {(data) => {
        const current =
          choice !== null && (choice === NEW || data.sources.some((s) => s.source === choice))
            ? choice
            : (data.sources[0]?.source ?? NEW);
        return (
          <MetadataForm
            key={q.dataUpdatedAt}
            code={code}
            data={data}
            choice={current}
            onChoice={(c) => {
              setChoice(c);
              setSaved(false);
            }}
            saved={saved}
            onSubmit={() => setSaved(false)}
            onSaved={async (source) => {
              // The texts as saved first, then the source chosen in them (a new one is in the list only then).
              await client.invalidateQueries({ queryKey: ['admin', 'indicator-metadata-texts', code] });
              await client.invalidateQueries({ queryKey: ['indicator-metadata', code] });
              setChoice(source);
              setSaved(true);
            }}
          />
        );
      }}
    </Loaded>
  );
}

function MetadataForm({
  code,
  data,
  choice,
  onChoice,
  saved,
  onSubmit,
  onSaved,
}: {
  code: string;
  data: MetadataTexts;
  choice: string;
  onChoice(choice: string): void;
  saved: boolean;
  onSubmit(): void;
  onSaved(source: string): Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const { lang, num } = usePrefs();
  const { send } = useSession();
  const id = useId();
  const [drafts, setDrafts] = useState<Record<string, FieldDraft[]>>(() => ({
    [NEW]: [],
    ...Object.fromEntries(
      data.sources.map((s) => [
        s.source,
        s.fields.filter((f) => f.field !== 'reporting_status').map((f) => ({ field: f.field, values: sixOf(f.texts) })),
      ]),
    ),
  }));
  const [newName, setNewName] = useState('');
  const [adding, setAdding] = useState('');
  const fields = drafts[choice] ?? [];
  const known = ['source', 'addField', ...fields.flatMap((f) => langKeys(`fields.${f.field}`))];
  /** "fields.data_footnote.fr" as it is; a field as a whole in the reader's language; "fields" → the field to add. */
  const fieldOf = (path: string | null): string | null => {
    if (!path) return null;
    if (path === 'fields') return 'addField';
    return /^fields\.[a-z0-9_]+$/.test(path) ? `${path}.${lang}` : path;
  };
  const problems = useFormProblems(known, fieldOf);

  const label = (field: string) => {
    const m = SOURCE_FIELD.exec(field);
    return m
      ? t('admin.indicatorMetadata.sourceField', {
          field: metadataFieldLabel(t, i18n, `source_${m[1]}`),
          n: num(Number(m[2]), 0),
        })
      : metadataFieldLabel(t, i18n, field);
  };
  const present = new Set(fields.map((f) => f.field));
  const lastSource = Math.max(0, ...fields.map((f) => Number(SOURCE_FIELD.exec(f.field)?.[2] ?? 0)));
  const addable = [
    ...METADATA_FIELDS.filter((f) => f !== 'reporting_status'),
    ...Array.from({ length: lastSource + 1 }, (_, i) => SOURCE_KINDS.map((k) => `source_${k}_${i + 1}`)).flat(),
  ].filter((f) => !present.has(f));
  const setFields = (next: FieldDraft[]) => setDrafts({ ...drafts, [choice]: next });

  const submit = async () => {
    problems.clear();
    onSubmit();
    const source = choice === NEW ? newName.trim() : choice;
    const local: Record<string, Shown> = {};
    if (!source) local.source = { text: t('admin.indicatorMetadata.sourceNeeded') };
    if (!fields.length) local.addField = { text: t('admin.indicatorMetadata.fieldNeeded') };
    else if (choice === NEW && !fields.some((f) => Object.values(f.values).some((v) => v.trim())))
      local[`fields.${fields[0]!.field}.${lang}`] = { text: t('programmes.error.textNeeded') };
    if (Object.keys(local).length) {
      problems.setLocal(local);
      return;
    }
    const res = await send(`/indicators/${encodeURIComponent(code)}/metadata`, 'PATCH', {
      source,
      fields: Object.fromEntries(fields.map((f) => [f.field, f.values])),
    });
    if (!res.ok) {
      await problems.fromResponse(res);
      return;
    }
    await onSaved(source);
  };

  return (
    <form
      ref={problems.formRef}
      className="form indicator-metadata-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset className="card">
        <legend>{t('admin.indicatorMetadata.title')}</legend>
        <p className="hint">{t('admin.indicatorMetadata.intro')}</p>
        <div className="form-grid">
          {data.sources.length > 0 && (
            <Field id={`${id}-source`} label={t('admin.indicatorMetadata.source')}>
              <select
                id={`${id}-source`}
                value={choice}
                onChange={(e) => {
                  problems.clear();
                  setAdding('');
                  onChoice(e.target.value);
                }}
              >
                {data.sources.map((s) => (
                  <option key={s.source} value={s.source} dir="auto">
                    {s.source}
                  </option>
                ))}
                <option value={NEW}>{t('admin.indicatorMetadata.newSource')}</option>
              </select>
            </Field>
          )}
          {choice === NEW && (
            <Field
              id={`${id}-name`}
              label={t('admin.indicatorMetadata.sourceName')}
              hint={t('admin.indicatorMetadata.sourceHint')}
              error={problems.fields.source}
              className="wide"
            >
              <input
                id={`${id}-name`}
                type="text"
                dir="auto"
                maxLength={300}
                value={newName}
                onChange={(e) => setNewName(e.target.value)}
                {...described(`${id}-name`, problems.fields.source, true)}
              />
            </Field>
          )}
        </div>
        {fields.length === 0 && <p className="small muted">{t('admin.indicatorMetadata.noFields')}</p>}
        {fields.map((f) => (
          <LangFields
            key={`${choice}\u0000${f.field}`}
            id={`${id}-f-${f.field}`}
            label={label(f.field)}
            values={f.values}
            onChange={(values) => setFields(fields.map((x) => (x.field === f.field ? { ...x, values } : x)))}
            errors={langErrors(problems.fields, `fields.${f.field}`)}
            multiline
            maxLength={TEXT_MAX}
          />
        ))}
        <div className="field">
          <label htmlFor={`${id}-add`}>{t('admin.indicatorMetadata.addField')}</label>
          <div className="inline-add">
            <select
              id={`${id}-add`}
              value={adding}
              onChange={(e) => setAdding(e.target.value)}
              {...described(`${id}-add`, problems.fields.addField)}
            >
              <option value="">{t('admin.indicatorMetadata.chooseField')}</option>
              {addable.map((f) => (
                <option key={f} value={f}>
                  {label(f)}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="secondary"
              disabled={!adding}
              onClick={() => {
                setFields([...fields, { field: adding, values: sixOf({}) }]);
                const focus = `${id}-f-${adding}-${lang}`;
                setAdding('');
                setTimeout(() => document.getElementById(focus)?.focus(), 0);
              }}
            >
              {t('admin.indicatorMetadata.addFieldButton')}
            </button>
          </div>
          <FieldError id={`${id}-add`} error={problems.fields.addField} />
        </div>
      </fieldset>
      <FormProblems problems={problems.general} />
      <button type="submit">{t('admin.indicatorMetadata.save')}</button>
      {saved && <Done focus>{t('admin.indicatorMetadata.saved')}</Done>}
    </form>
  );
}
