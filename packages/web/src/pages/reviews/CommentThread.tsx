import type { Questionnaire } from '@marsad/core';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../app/prefs.tsx';
import { useSession } from '../../app/session.tsx';
import { fieldIdOf, labelOfPath } from './QuestionnaireForm.tsx';
import { bodyOf, type CommentView, roleOnReview } from './review-api.ts';
import { Countries } from './review-kit.tsx';

/** Comments on one answer (path) or on the whole submission (null), with replies; authors by role and country. */
export function CommentThread({
  submissionId,
  path,
  comments,
  canComment,
  canReply,
  q,
}: {
  submissionId: number;
  path: string | null;
  comments: CommentView[];
  canComment: boolean;
  canReply: boolean;
  q: Questionnaire;
}) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const here = comments.filter((c) => c.questionPath === path);
  const roots = here.filter((c) => c.parentId === null || !here.some((p) => p.id === c.parentId));
  const repliesOf = (id: number): CommentView[] =>
    here.filter((c) => c.parentId === id).flatMap((c) => [c, ...repliesOf(c.id)]);
  const what = path ? labelOfPath(q, path, lang) : t('reviews.comments.wholeSubmission');
  if (!roots.length && !canComment) return path === null ? <p className="muted">{t('reviews.comments.none')}</p> : null;
  return (
    <div className="thread">
      {roots.map((c) => (
        <div key={c.id}>
          <Comment c={c} />
          {repliesOf(c.id).map((r) => (
            <Comment key={r.id} c={r} reply />
          ))}
          {canReply && (
            <CommentForm
              submissionId={submissionId}
              path={path}
              replyTo={c.id}
              label={t('reviews.comments.reply')}
              what={what}
            />
          )}
        </div>
      ))}
      {canComment && (
        <CommentForm
          submissionId={submissionId}
          path={path}
          label={path ? t('reviews.comments.onAnswer') : t('reviews.comments.add')}
          what={what}
        />
      )}
    </div>
  );
}

function Comment({ c, reply }: { c: CommentView; reply?: boolean }) {
  const { t } = useTranslation();
  const { date, num } = usePrefs();
  return (
    <div className={`comment${reply ? ' reply' : ''}`}>
      <p className="meta">
        {roleOnReview(t, c.authorRole)}
        {c.authorCountries.length > 0 && (
          <>
            {' '}
            · <Countries codes={c.authorCountries} />
          </>
        )}
        {c.mine && <> · {t('reviews.reviewers.you')}</>} · {date(c.createdAt)} ·{' '}
        {t('reviews.comments.round', { n: num(c.round, 0) })}
      </p>
      <p dir="auto" lang={c.language ?? undefined} className="long-answer">
        {c.body}
      </p>
    </div>
  );
}

function CommentForm({
  submissionId,
  path,
  replyTo,
  label,
  what,
}: {
  submissionId: number;
  path: string | null;
  replyTo?: number;
  label: string;
  what: string;
}) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const { send } = useSession();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const id = `${path ? fieldIdOf(path) : 'overall'}-comment${replyTo ? `-r${replyTo}` : ''}`;
  if (!open) {
    return (
      <button
        ref={openRef}
        type="button"
        className="secondary small-button"
        aria-label={`${label}: ${what}`}
        onClick={() => {
          setOpen(true);
          setTimeout(() => document.getElementById(id)?.focus(), 0);
        }}
      >
        {label}
      </button>
    );
  }
  const submit = async () => {
    if (!body.trim()) {
      setError(t('reviews.comments.empty'));
      document.getElementById(id)?.focus();
      return;
    }
    const res = await send(`/review-submissions/${submissionId}/comments`, 'POST', {
      body: body.trim(),
      ...(path ? { questionPath: path } : {}),
      ...(replyTo ? { replyTo } : {}),
      language: lang,
    });
    if (!res.ok) {
      setError((await bodyOf(res)).message ?? res.statusText);
      return;
    }
    setBody('');
    setError(null);
    setOpen(false);
    await client.invalidateQueries({ queryKey: ['review-comments', submissionId] });
    await client.invalidateQueries({ queryKey: ['review-timeline', submissionId] });
  };
  return (
    <div className="comment-form" role="group" aria-label={`${label}: ${what}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        dir="auto"
        rows={3}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p id={`${id}-error`} className="field-error" dir="auto">
          ⚠ {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" onClick={() => void submit()}>
          {t('reviews.comments.send')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setOpen(false);
            setError(null);
          }}
        >
          {t('reviews.comments.cancel')}
        </button>
      </div>
    </div>
  );
}
