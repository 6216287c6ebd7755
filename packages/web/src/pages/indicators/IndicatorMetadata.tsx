import { useQuery } from '@tanstack/react-query';
import type { i18n as I18n, TFunction } from 'i18next';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { ErrorMessage } from '../../components/States.tsx';
import { languageName } from '../../i18n/pick-user-text.ts';
import { RichText } from '../knowledge/RichText.tsx';

/** GET /api/v1/indicators/:code/metadata (packages/server/src/indicators/indicator-metadata-routes.ts). */
export interface IndicatorMetadataResponse {
  indicator: string;
  lang: string;
  sources: {
    source: string;
    place: { code: string; name: string | null } | null;
    updatedAt: string | null;
    reportingStatus: 'complete' | 'inprogress' | 'notstarted' | null;
    languages: string[];
    fields: { field: string; lang: string; text: string; html: string }[];
  }[];
}

type Field = IndicatorMetadataResponse['sources'][number]['fields'][number];

const SOURCE_FIELD = /^source_([a-z_]+)_(\d{1,2})$/;

/** The name of a metadata field in the reader's language ("data_footnote" → "Footnote"); Open SDG's name if unknown. */
export function metadataFieldLabel(t: TFunction, i18n: I18n, field: string): string {
  const key = `indicatorMetadata.field.${field}`;
  return i18n.exists(key) ? t(key) : field.replace(/_/g, ' ');
}

/** Text of either direction inside a sentence, isolated (FSI … PDI) so that its punctuation stays with it. */
const isolate = (text: string) => `\u2068${text}\u2069`;

/**
 * The metadata an Open SDG repository gives for the indicator (national description, computation
 * units and definitions, footnotes, graph titles, keywords, sources), per source, in the page's
 * language where the source gives it, else in English or the language it has, marked. The texts
 * hold HTML and Markdown as published: the server sanitises them and RichText checks them again.
 */
export function IndicatorMetadata({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const { lang, num } = usePrefs();
  const headingId = useId();
  const q = useQuery({
    queryKey: ['indicator-metadata', code, lang],
    queryFn: () => getJson<IndicatorMetadataResponse>(`/indicators/${encodeURIComponent(code)}/metadata`, { lang }),
  });
  if (q.isPending) return null;
  if (q.isError) return <ErrorMessage error={q.error} />;
  if (!q.data.sources.length) return null;

  const status = {
    complete: t('indicatorMetadata.status.complete'),
    inprogress: t('indicatorMetadata.status.inprogress'),
    notstarted: t('indicatorMetadata.status.notstarted'),
  };
  const label = (field: string) => metadataFieldLabel(t, i18n, field);
  const value = (f: Field) => (
    <>
      <RichText html={f.html} lang={f.lang} className="rich-text metadata-text" />
      {f.lang !== lang && (
        <span className="fallback-mark" lang={lang}>
          ({t('common.inLanguage', { language: languageName(f.lang, lang) })})
        </span>
      )}
    </>
  );

  return (
    <section aria-labelledby={headingId} className="indicator-metadata">
      <h2 id={headingId}>{t('indicatorMetadata.title')}</h2>
      {q.data.sources.map((s) => {
        const main = s.fields.filter((f) => !SOURCE_FIELD.test(f.field));
        const bySource = new Map<string, Field[]>();
        for (const f of s.fields) {
          const m = SOURCE_FIELD.exec(f.field);
          if (m) bySource.set(m[2]!, [...(bySource.get(m[2]!) ?? []), f]);
        }
        return (
          <div className="card" key={s.source}>
            <p>
              <span dir="auto">{t('indicatorMetadata.from', { source: isolate(s.source) })}</span>
              {s.place?.name && (
                <>
                  {' '}
                  <span dir="auto">{t('indicatorMetadata.forPlace', { place: isolate(s.place.name) })}</span>
                </>
              )}
              {s.reportingStatus && (
                <>
                  {' '}
                  <span className="tag">{status[s.reportingStatus]}</span>
                </>
              )}
            </p>
            <dl>
              {main.map((f) => (
                <div key={f.field}>
                  <dt>
                    <strong>{label(f.field)}</strong>
                  </dt>
                  <dd>{value(f)}</dd>
                </div>
              ))}
            </dl>
            {[...bySource].map(([n, fields]) => (
              <div key={n}>
                <h3>{t('indicatorMetadata.sourceN', { n: num(Number(n), 0) })}</h3>
                <dl>
                  {fields.map((f) => (
                    <div key={f.field}>
                      <dt>
                        <strong>{label(`source_${SOURCE_FIELD.exec(f.field)![1]}`)}</strong>
                      </dt>
                      <dd>{value(f)}</dd>
                    </div>
                  ))}
                </dl>
              </div>
            ))}
          </div>
        );
      })}
    </section>
  );
}
