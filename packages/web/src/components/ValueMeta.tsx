import { useTranslation } from 'react-i18next';
import { UserText } from './UserText.tsx';

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
  /** The name by language where Marsad has it (its own synthetic source); none or {} else. */
  names?: Record<string, string>;
  licence: string | null;
  synthetic: boolean;
}

/**
 * A source's name: in the reader's language where Marsad has it by language (marked when another
 * language is shown), else as its publisher writes it.
 */
export function SourceName({ source }: { source: ValueSource }) {
  if (source.names && Object.keys(source.names).length)
    return <UserText names={source.names} fallbackText={source.name} />;
  return <span dir="auto">{source.name}</span>;
}

/** A value's source: its name (SourceName), its licence if any, and the synthetic-data mark. */
export function SourceText({ source }: { source: ValueSource | null | undefined }) {
  const { t } = useTranslation();
  if (!source) return <>—</>;
  return (
    <>
      <SourceName source={source} />
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
