/** The six UN languages, Arabic first. */
export const LANGUAGES = [
  { code: 'ar', name: 'العربية', dir: 'rtl' },
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'fr', name: 'Français', dir: 'ltr' },
  { code: 'es', name: 'Español', dir: 'ltr' },
  { code: 'ru', name: 'Русский', dir: 'ltr' },
  { code: 'zh', name: '中文', dir: 'ltr' },
] as const;
export type Lang = (typeof LANGUAGES)[number]['code'];
export const DEFAULT_LANG: Lang = 'ar';

export function isLang(v: unknown): v is Lang {
  return LANGUAGES.some((l) => l.code === v);
}
export function dirOf(lang: Lang): 'rtl' | 'ltr' {
  return LANGUAGES.find((l) => l.code === lang)?.dir ?? 'ltr';
}
