import { useTranslation } from 'react-i18next';

/** A value's status in words: provisional, validated or approved (docs: the approval workflow). */
export function StatusLabel({ status }: { status: string }) {
  const { t } = useTranslation();
  const label =
    status === 'approved'
      ? t('status.approved')
      : status === 'validated'
        ? t('status.validated')
        : status === 'provisional'
          ? t('status.provisional')
          : status;
  return <span className={`value-status value-status-${status}`}>{label}</span>;
}

export interface ValueSource {
  name: string;
  licence: string | null;
  synthetic: boolean;
}

/** A value's source: its name (as written by its publisher), its licence if any, and the synthetic-data mark. */
export function SourceText({ source }: { source: ValueSource | null | undefined }) {
  const { t } = useTranslation();
  if (!source) return <>—</>;
  return (
    <>
      <span dir="auto">{source.name}</span>
      {source.licence && (
        <>
          {' '}
          <span className="muted licence">
            (<span dir="auto">{source.licence}</span>)
          </span>
        </>
      )}
      {source.synthetic && (
        <div>
          <span className="tag warn">{t('common.synthetic')}</span>
        </div>
      )}
    </>
  );
}
