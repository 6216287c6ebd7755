import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import IntlMessageFormat from 'intl-messageformat';

/** A catalog part as the build makes it (vite.config.ts): text, or an ICU message already parsed. */
export type CompiledCatalog = Record<string, string | MessageFormatElement[]>;

/**
 * i18next's formatter of the catalogs' ICU messages, which arrive parsed (vite.config.ts, compiledCatalogs): a
 * message that is only text is given as it is; any other is formatted by intl-messageformat from its syntax tree
 * (one formatter per language and message, kept). A message whose arguments were not all given is shown as its key
 * and said on the console, as i18next-icu did with the message's source.
 */
export function compiledMessages() {
  const formatters = new Map<string, IntlMessageFormat>();
  return {
    type: 'i18nFormat' as const,
    init() {},
    parse(res: unknown, options: Record<string, unknown>, lng: string, _ns: string, key: string): unknown {
      if (!Array.isArray(res)) return res;
      const id = `${lng}\u0000${key}`;
      let f = formatters.get(id);
      if (!f) {
        f = new IntlMessageFormat(res as MessageFormatElement[], lng, undefined, { ignoreTag: true });
        formatters.set(id, f);
      }
      try {
        return f.format(options);
      } catch (e) {
        console.error(`The message "${key}" (${lng}) could not be formatted:`, e);
        return key;
      }
    },
    addLookupKeys(finalKeys: string[]): string[] {
      return finalKeys;
    },
  };
}
