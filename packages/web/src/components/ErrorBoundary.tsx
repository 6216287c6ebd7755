import { useRouter } from '@tanstack/react-router';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * What a page, or a section of one, shows instead of itself when it fails while drawing: a message in
 * the reader's language and a way to try again, inside the page, with the site's header and the rest
 * of the page kept. The error goes to the console for whoever debugs.
 */
function Failed({ kind, onRetry }: { kind: 'page' | 'section'; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="notice warn section-error" data-error-boundary={kind}>
      <p>{kind === 'page' ? t('errors.page') : t('errors.section')}</p>
      <button type="button" className="secondary" onClick={onRetry}>
        {t('errors.retry')}
      </button>
    </div>
  );
}

interface State {
  failed: boolean;
}

/** A React error boundary around one section of a page: the section fails alone. */
export class SectionBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.warn('A section of the page failed:', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.failed) return <Failed kind="section" onRetry={() => this.setState({ failed: false })} />;
    return this.props.children;
  }
}

/** The router's error component for a page (TanStack Router `errorComponent`): rendered inside the layout. */
export function PageError({ reset }: { error: unknown; reset: () => void }) {
  const router = useRouter();
  return (
    <Failed
      kind="page"
      onRetry={() => {
        reset();
        void router.invalidate();
      }}
    />
  );
}
