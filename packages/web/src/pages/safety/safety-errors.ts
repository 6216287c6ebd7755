import type { TFunction } from 'i18next';

/** The API's stable error codes of this area, said in the reader's language (else the API's English words). */
const KNOWN: Record<string, string> = {
  safety_assessment_forbidden: 'safetyAssessment.err.forbidden',
  safety_assessment_draft_exists: 'safetyAssessment.err.draftExists',
  safety_assessment_submitted: 'safetyAssessment.err.submitted',
  safety_assessment_unknown_indicator: 'safetyAssessment.err.unknownIndicator',
  safety_assessment_not_found: 'safetyAssessment.err.notFound',
  safety_assessment_unknown_evidence: 'safetyAssessment.err.unknownEvidence',
};

export async function problemOf(res: Response, t: TFunction): Promise<{ text: string; lang: string | undefined }> {
  const body = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
  const key = body.error ? KNOWN[body.error] : undefined;
  if (key) return { text: t(key), lang: undefined };
  return { text: body.message ?? res.statusText, lang: 'en' };
}
