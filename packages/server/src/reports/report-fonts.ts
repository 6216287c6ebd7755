/**
 * The fonts a PDF report needs beyond Chromium's own (issue 15 item 3). Chromium picks, for each
 * character, the first font of the app's CSS stack that has it (styles.css: Noto Sans Arabic, Noto
 * Sans, Noto Sans CJK SC): Arabic and Latin, Greek, Cyrillic come with Debian's fonts-noto-core (or
 * fall back to DejaVu); Han has no fallback, so without fonts-noto-cjk a Chinese report would print
 * every character as a box. A Chinese report is refused then, with what to install, rather than
 * printed unreadable. The fonts are asked of fontconfig (`fc-list`), which Chromium uses too.
 */
import { spawnSync } from 'node:child_process';
import { HttpError } from '../http/errors.ts';
import type { ReportLang } from './pdf-report.ts';

/** What a language's script needs: a fontconfig family and the Debian package holding it. */
const NEEDED: Partial<Record<ReportLang, { family: string; pkg: string }>> = {
  zh: { family: 'Noto Sans CJK SC', pkg: 'fonts-noto-cjk' },
};

/** The installed font families, once per fontconfig configuration; null when fc-list is not there. */
const families = new Map<string, Set<string> | null>();
function installedFamilies(): Set<string> | null {
  const key = process.env.FONTCONFIG_FILE ?? '';
  if (!families.has(key)) {
    const r = spawnSync('fc-list', [':', 'family'], { encoding: 'utf8' });
    families.set(
      key,
      r.error || r.status !== 0
        ? null
        : new Set(r.stdout.split('\n').flatMap((line) => line.split(',').map((f) => f.trim()))),
    );
  }
  return families.get(key) ?? null;
}

/** Throws a 503 naming the package to install when `lang`'s script has no font (unknown without fc-list: no check). */
export function requireReportFonts(lang: ReportLang): void {
  const need = NEEDED[lang];
  const have = installedFamilies();
  if (!need || !have || have.has(need.family)) return;
  throw new HttpError(
    503,
    'no_font',
    `A PDF report in ${lang} needs the font ${need.family} on the server, which is not installed: ` +
      `install Debian's package with \`apt-get install ${need.pkg}\`, then try again.`,
  );
}
