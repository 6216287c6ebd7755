import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { eventLabel, roleOnReview, stateLabel, type TimelineEvent } from './review-api.ts';

/** The steps of a submission, each with who made it by role (never by name). */
export function Timeline({ submissionId }: { submissionId: number }) {
  const { t } = useTranslation();
  const { date, num } = usePrefs();
  const tl = useQuery({
    queryKey: ['review-timeline', submissionId],
    queryFn: () => getJson<{ items: TimelineEvent[] }>(`/review-submissions/${submissionId}/timeline`),
  });
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('reviews.timeline.title')}</h2>
      {tl.isPending ? (
        <Loading />
      ) : tl.error ? (
        <ErrorMessage error={tl.error} />
      ) : (
        <ol className="timeline">
          {tl.data.items.map((e) => (
            <li key={e.id}>
              <strong>{eventLabel(t, e)}</strong>
              {e.to && e.kind !== 'invited' && <> → {stateLabel(t, e.to)}</>}
              <span className="muted small">
                {' '}
                · {roleOnReview(t, e.actorRole)} · {date(e.at)}
                {e.round > 0 && <> · {t('reviews.comments.round', { n: num(e.round, 0) })}</>}
              </span>
              {/* Notes of moves are written by people; the others are the server's English summaries, left out. */}
              {e.note && e.kind === 'transition' && (
                <p dir="auto" className="small long-answer">
                  {e.note}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
