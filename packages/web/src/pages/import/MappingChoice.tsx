import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { messageOf, useSession } from '../../app/session.tsx';
import { Field } from '../admin/forms.tsx';

/**
 * The mapping of an import of values: one of the user's saved mappings of the right kind
 * (GET /api/v1/mappings), or a JSON file uploaded; and, after a dry run that went through with
 * an uploaded file, "save this mapping as…" (POST /api/v1/mappings) for the place of the import.
 */

export type MappingKind = 'columns' | 'dhis2';
interface SavedMapping {
  id: number;
  name: string;
  kind: MappingKind;
  place: string;
}

function useSavedMappings(kind: MappingKind) {
  const { me } = useSession();
  return useQuery({
    queryKey: ['saved-mappings', kind],
    enabled: !!me,
    queryFn: async () => (await getJson<{ items: SavedMapping[] }>('/mappings', { kind })).items,
  });
}

export function MappingChoice({
  kind,
  savedId,
  onSavedChange,
  onFileChange,
  invalid,
}: {
  kind: MappingKind;
  /** The id of the saved mapping chosen, or '' for none. */
  savedId: string;
  onSavedChange(id: string): void;
  onFileChange(file: File | null): void;
  invalid: boolean;
}) {
  const { t } = useTranslation();
  const saved = useSavedMappings(kind).data ?? [];
  const fileRef = useRef<HTMLInputElement>(null);
  return (
    <>
      {saved.length > 0 && (
        <Field id="import-saved-mapping" label={t('import.mapping.saved')} hint={t('import.mapping.savedHint')}>
          <select
            id="import-saved-mapping"
            value={savedId}
            aria-describedby="import-saved-mapping-hint"
            onChange={(e) => {
              onSavedChange(e.target.value);
              // One or the other: a saved mapping replaces an uploaded file.
              if (e.target.value && fileRef.current) {
                fileRef.current.value = '';
                onFileChange(null);
              }
            }}
          >
            <option value="">{t('import.mapping.none')}</option>
            {saved.map((m) => (
              <option key={m.id} value={String(m.id)} dir="auto">
                {t('import.mapping.option', { name: m.name, place: m.place })}
              </option>
            ))}
          </select>
        </Field>
      )}
      <div className="field">
        <label htmlFor="import-mapping">
          {kind === 'dhis2' ? t('import.dhis2Mapping') : t('import.columnMapping')}
        </label>
        <p id="import-mapping-hint" className="hint">
          {kind === 'dhis2' ? t('import.dhis2MappingHint') : t('import.columnMappingHint')}
        </p>
        <input
          ref={fileRef}
          id="import-mapping"
          type="file"
          accept=".json,application/json"
          aria-describedby="import-mapping-hint"
          aria-invalid={invalid || undefined}
          onChange={(e) => {
            const f = e.target.files?.[0] ?? null;
            onFileChange(f);
            if (f) onSavedChange('');
          }}
        />
      </div>
    </>
  );
}

/** "Save this mapping as…": the uploaded mapping file kept under a name for the place of the import (else of the user's first role). */
export function SaveMapping({ kind, file, place: chosen }: { kind: MappingKind; file: File; place: string }) {
  const { t } = useTranslation();
  const { me, send } = useSession();
  const place = chosen || me?.roles.find((r) => r.place)?.place || '';
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string; english?: string } | null>(null);
  if (!place) return <p className="hint">{t('import.mapping.needPlace')}</p>;
  const save = async () => {
    if (!name.trim()) return setOutcome({ ok: false, text: t('import.mapping.noName') });
    setBusy(true);
    try {
      const body = JSON.parse(await file.text()) as unknown;
      const res = await send('/mappings', 'POST', { name: name.trim(), kind, place, body });
      if (res.ok) {
        setOutcome({ ok: true, text: t('import.mapping.savedAs', { name: name.trim() }) });
        await client.invalidateQueries({ queryKey: ['saved-mappings'] });
      } else if (res.status === 409) setOutcome({ ok: false, text: t('import.mapping.nameTaken', { place }) });
      else if (res.status === 403) setOutcome({ ok: false, text: t('import.error.forbidden') });
      else setOutcome({ ok: false, text: t('import.mapping.refused'), english: await messageOf(res) });
    } catch {
      setOutcome({ ok: false, text: t('import.error.network') });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="import-save-mapping">
      <Field id="import-save-mapping-name" label={t('import.mapping.saveAs')}>
        <p id="import-save-mapping-hint" className="hint">
          {t('import.mapping.saveHint', { place })}
        </p>
        <input
          id="import-save-mapping-name"
          dir="auto"
          maxLength={100}
          value={name}
          aria-describedby="import-save-mapping-hint"
          aria-invalid={(outcome && !outcome.ok) || undefined}
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <button type="button" onClick={() => void save()} disabled={busy}>
        {t('import.mapping.save')}
      </button>
      <p role="status" className={outcome && !outcome.ok ? 'notice warn' : undefined}>
        {outcome?.text}{' '}
        {outcome?.english && (
          <span lang="en" dir="ltr">
            {outcome.english}
          </span>
        )}
      </p>
    </div>
  );
}
