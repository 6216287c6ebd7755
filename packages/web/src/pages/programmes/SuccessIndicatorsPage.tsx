import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { openFoldedForPrint, useOpenFoldedWhenPrinting } from '../../components/open-for-print.ts';
import { PdfButton } from '../../components/PdfButton.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import './programmes.css';
import { IndicatorCard, type SuccessIndicator } from './SuccessIndicatorCard.tsx';

interface Answer {
  asOf: string;
  generatedAt: string;
  indicators: SuccessIndicator[];
}

/**
 * The success indicators of seed 000 §8 as the records stand today (GET /api/v1/success-indicators):
 * each figure with its definition and the list behind it (expandable, opened for printing).
 */
export function SuccessIndicatorsPage() {
  const { t } = useTranslation();
  const { lang, date } = usePrefs();
  const answer = useQuery({
    queryKey: ['success-indicators', lang],
    queryFn: () => getJson<Answer>('/success-indicators'),
  });
  useOpenFoldedWhenPrinting();
  return (
    <article className="programmes success-indicators">
      <Breadcrumbs
        items={[
          { to: '/', label: t('nav.home') },
          { to: '/programmes', label: t('nav.programmes') },
          { label: t('successIndicators.title') },
        ]}
      />
      <h1>{t('successIndicators.title')}</h1>
      <p className="lead">{t('successIndicators.intro')}</p>
      {answer.isPending ? (
        <Loading />
      ) : answer.error ? (
        <ErrorMessage error={answer.error} />
      ) : (
        <>
          <p className="small muted">{t('successIndicators.asOf', { date: date(answer.data.asOf) })}</p>
          <p className="no-print">
            <button
              type="button"
              className="secondary"
              onClick={() => {
                openFoldedForPrint();
                window.print();
              }}
            >
              {t('programmes.print')}
            </button>{' '}
            <PdfButton page="/results/success-indicators" />
          </p>
          <p>
            <Link to="/results/board-progress">{t('boardProgress.link')}</Link>
          </p>
          {answer.data.indicators.map((s) => (
            <IndicatorCard key={s.code} s={s} />
          ))}
          <p className="small muted">{t('successIndicators.noTyping')}</p>
        </>
      )}
    </article>
  );
}
