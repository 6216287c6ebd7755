import { z } from 'zod';

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('How many items (1–1000)'),
  offset: z.coerce.number().int().min(0).default(0).describe('How many items to skip'),
});

export function page<T>(items: T[], total: number, limit: number, offset: number) {
  return { items, total, limit, offset };
}

/** A list given as "a,b,c" or as a repeated parameter. */
export const CodeList = z.union([z.string(), z.array(z.string())]).transform((v) =>
  (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean),
);

export const BoolParam = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');

export const LangParam = z
  .enum(['ar', 'en', 'fr', 'es', 'ru', 'zh'])
  .optional()
  .describe('Language of the `name` fields (all languages are in `names`)');

/** The text in `lang`, else English, else any; with the language it is in. */
export function pick(names: Record<string, string> | null | undefined, lang = 'en'): string | null {
  if (!names) return null;
  return names[lang] ?? names.en ?? Object.values(names)[0] ?? null;
}
