import { usePrefs } from '../app/prefs.tsx';
import { localeTag } from './numbers.ts';

/** An amount in its currency, in the reader's language and digits ("USD 25,000,000"); never converted. */
export function useMoney(): (amount: number, currency: string) => string {
  const { lang, digits } = usePrefs();
  return (amount, currency) => {
    try {
      return new Intl.NumberFormat(localeTag(lang, digits), {
        style: 'currency',
        currency,
        currencyDisplay: 'code',
        maximumFractionDigits: 2,
        minimumFractionDigits: 0,
      }).format(amount);
    } catch {
      return `${currency} ${amount}`;
    }
  };
}
