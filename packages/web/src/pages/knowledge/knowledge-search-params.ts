/** The search parameters of /knowledge (kept apart from the page so that the router needs not load it). */
export interface KnowledgeSearch {
  q?: string;
  type?: string;
  language?: string;
  place?: string;
  framework?: string;
  sdg?: string;
  year?: string;
  page?: number;
}
export const FACET_KEYS = ['type', 'language', 'place', 'framework', 'sdg', 'year'] as const;
export type FacetKey = (typeof FACET_KEYS)[number];

/** The search parameters of the address (shared links keep the query, the filters and the page). */
export function validateKnowledgeSearch(s: Record<string, unknown>): KnowledgeSearch {
  const out: KnowledgeSearch = {};
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  const q = str(s.q);
  if (q) out.q = q;
  for (const k of FACET_KEYS) {
    const v = str(s[k]);
    if (v) out[k] = v;
  }
  const page = Number(s.page);
  if (Number.isInteger(page) && page > 1) out.page = page;
  return out;
}
