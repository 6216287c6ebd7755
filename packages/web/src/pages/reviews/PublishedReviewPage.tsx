import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, getJson } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { Breadcrumbs } from '../../components/Breadcrumbs.tsx';
import { PdfButton } from '../../components/PdfButton.tsx';
import { ErrorMessage, Loading } from '../../components/States.tsx';
import { UserText } from '../../components/UserText.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { QuestionnaireForm } from './QuestionnaireForm.tsx';
import { actionLabel, kindLabel, type PublishedReview } from './review-api.ts';
import { Countries, LanguageName, WrittenTexts } from './review-kit.tsx';

/**
 * A published review (public): answers as accepted, consolidated observations, reviewers by country, steps; printable.
 */
export function PublishedReviewPage() {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const { date } = usePrefs();
  const r = useQuery({
    queryKey: ['published-review', id],
    retry: false,
    queryFn: () => getJson<PublishedReview>(`/published-reviews/${id}`),
  });
  if (r.isPending) return <Loading />;
  if (r.error)
    return r.error instanceof ApiError && r.error.status === 404 ? (
      <NotFoundPage />
    ) : (
      <section className="reviews">
        <h1>{t('reviews.published.title')}</h1>
        <ErrorMessage error={r.error} />
      </section>
    );
  const p = r.data;
  return (
    <article className="reviews published-review">
      <Breadcrumbs
        items={[
          { to: '/reviews', label: t('reviews.title') },
          { label: <UserText names={p.place.names} fallbackText={p.place.code} /> },
        ]}
      />
      <h1>
        <UserText names={p.place.names} fallbackText={p.place.code} />
      </h1>
      <p className="lead">
        <UserText names={p.cycle.titles} /> · {kindLabel(t, p.cycle.kind)}
      </p>
      {p.demo && <p className="notice">{t('reviews.demoNotice')}</p>}
      <dl className="facts">
        <dt>{t('reviews.published.publishedOn')}</dt>
        <dd>{date(p.publishedAt)}</dd>
        <dt>{t('reviews.published.languages')}</dt>
        <dd>
          {p.languages.map((l, i) => (
            <span key={l}>
              {i > 0 ? '، ' : ''}
              <LanguageName code={l} />
            </span>
          ))}
        </dd>
        <dt>{t('reviews.published.reviewers')}</dt>
        <dd>
          <ul className="plain">
            {p.reviewers.map((rv, i) => (
              <li key={i}>
                <Countries codes={rv.countries} />
                {rv.lead && <> ({t('reviews.reviewers.lead')})</>}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <p className="no-print">
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t('reviews.print')}
        </button>{' '}
        <PdfButton page={`/reviews/published/${p.id}`} />
      </p>
      <section aria-labelledby="consolidated-title">
        <h2 id="consolidated-title">{t('reviews.consolidated.title')}</h2>
        <WrittenTexts texts={p.consolidated} />
      </section>
      <section aria-labelledby="answers-title">
        <h2 id="answers-title">{t('reviews.published.answers')}</h2>
        <QuestionnaireForm
          q={p.questionnaire.definition}
          answers={p.answers}
          state={null}
          issues={[]}
          readOnly
          placeCode={p.place.code}
        />
      </section>
      <section aria-labelledby="steps-title">
        <h2 id="steps-title">{t('reviews.published.steps')}</h2>
        <ol className="timeline">
          {p.steps.map((s, i) => (
            <li key={i}>
              <strong>{actionLabel(t, s.action)}</strong> <span className="muted small">· {date(s.at)}</span>
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
