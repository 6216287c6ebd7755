/**
 * Generated repository items for the search benchmark: GENERATED TEXT, not real documents.
 * Never loaded into the demonstration data; every item carries the keyword `bench-generated`
 * and the issuer "bench/search (generated)".
 *
 * The words come from a word-chain model (which word follows which, with its frequency) of
 * the Arabic and English texts of Marsad's reference catalogue (packages/db/src/seed/catalogue:
 * SDG goal, target and indicator titles, indicator names and definitions, frameworks,
 * dimensions), so the text has the vocabulary and the word frequencies of the domain — about
 * 4,000 Arabic and 2,600 English word forms — and phrases such as "المدن والمستوطنات البشرية"
 * recur, as they would in a real repository. The five seeds are never used to generate text.
 *
 * Each item is a practice (50 %), a tool (25 %) or a document (25 %), in Arabic (55 %), in
 * English (35 %) or in Arabic with an English translation (10 %), with a title of 4–12 words,
 * a summary of 25–80 words and a body whose length follows a log-normal distribution
 * (median 350 words, from 60 to 3,000): the range of the practice descriptions, guides and
 * reports such a repository holds. Deterministic: the same seed gives the same items.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '@marsad/core';

export interface GeneratedItem {
  type: 'practice' | 'tool' | 'document';
  texts: { lang: 'ar' | 'en'; title: string; summary: string; body: string; translated: boolean }[];
  year: number;
  keywords: string[];
  sdgTargets: string[];
  frameworks: string[];
  placeCodes: string[];
}

const CATALOGUE = fileURLToPath(new URL('../../packages/db/src/seed/catalogue/', import.meta.url));
const SDG_TARGETS = [
  '11.1',
  '11.2',
  '11.3',
  '11.4',
  '11.5',
  '11.6',
  '11.7',
  '11.a',
  '11.b',
  '16.1',
  '16.2',
  '16.3',
  '16.7',
  '5.2',
  '17.17',
];
const FRAMEWORKS = ['sdg', 'nua', 'urban-safety', 'adequate-housing'];
const PLACES = [
  'MAR',
  'MAAGA',
  'JOR',
  'JOAMM',
  'ECU',
  'ECUIO',
  'KAZ',
  'KZALA',
  'PHL',
  'KHM',
  'KHBBM',
  'CUB',
  'CUHAV',
  'CRI',
  'CRSJO',
  'LSO',
  'LSMSU',
  'USLAX',
];

/** Every string of a language in the catalogue files (values of "ar" / "en" keys). */
function catalogueTexts(lang: 'ar' | 'en'): string[] {
  const out: string[] = [];
  const walk = (o: unknown) => {
    if (Array.isArray(o)) o.forEach(walk);
    else if (o && typeof o === 'object') {
      for (const [k, v] of Object.entries(o)) {
        if (k === lang && typeof v === 'string') out.push(v);
        else walk(v);
      }
    }
  };
  for (const f of ['sdg.json', 'indicators.json', 'frameworks.json', 'dimensions.json'])
    walk(JSON.parse(readFileSync(CATALOGUE + f, 'utf8')));
  return out;
}

/** Which word follows which: for each word, the words seen after it (repeated by frequency). */
class WordChain {
  readonly starts: string[] = [];
  readonly next = new Map<string, string[]>();

  constructor(texts: string[]) {
    for (const text of texts) {
      for (const sentence of text.split(/[.؛;:!?؟\n()«»"“”]+/)) {
        const words = sentence
          .split(/\s+/)
          .map((w) => w.replace(/^[,،]+|[,،]+$/g, ''))
          .filter((w) => w.length > 0);
        if (words.length < 2) continue;
        this.starts.push(words[0]!);
        for (let i = 0; i < words.length; i++) {
          const w = words[i]!;
          const after = words[i + 1] ?? '';
          let list = this.next.get(w);
          if (!list) {
            list = [];
            this.next.set(w, list);
          }
          list.push(after);
        }
      }
    }
  }
}

export class ItemGenerator {
  private readonly rand: () => number;
  private readonly chains: Record<'ar' | 'en', WordChain>;

  constructor(seed = 20240501) {
    this.rand = seededRandom(seed);
    this.chains = { ar: new WordChain(catalogueTexts('ar')), en: new WordChain(catalogueTexts('en')) };
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.rand() * (max - min + 1));
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)]!;
  }

  /** Log-normal word count, median 350, clamped to 60–3000. */
  private bodyLength(): number {
    const u1 = Math.max(this.rand(), 1e-9);
    const u2 = this.rand();
    const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.min(3000, Math.max(60, Math.round(Math.exp(Math.log(350) + 0.8 * normal))));
  }

  /** About n words of sentences following the chain; paragraphs now and then. */
  private words(lang: 'ar' | 'en', n: number): string {
    const chain = this.chains[lang];
    const out: string[] = [];
    while (out.length < n) {
      let w = this.pick(chain.starts);
      const sentence: string[] = [];
      while (w !== '' && sentence.length < 30 && out.length + sentence.length < n) {
        sentence.push(w);
        w = this.pick(chain.next.get(w) ?? ['']);
      }
      if (sentence.length === 0) continue;
      sentence[sentence.length - 1] += '.';
      if (this.rand() < 0.15) sentence[sentence.length - 1] += '\n\n';
      out.push(...sentence);
    }
    return out.join(' ').replace(/\n\n /g, '\n\n').trim();
  }

  private text(lang: 'ar' | 'en', translated: boolean) {
    return {
      lang,
      translated,
      title: this.words(lang, this.int(4, 12)).replace(/\.$/, '').replace(/\.\s*/g, ' '),
      summary: this.words(lang, this.int(25, 80)),
      body: this.words(lang, this.bodyLength()),
    };
  }

  next(): GeneratedItem {
    const r = this.rand();
    const type = r < 0.5 ? 'practice' : r < 0.75 ? 'tool' : 'document';
    const l = this.rand();
    const texts =
      l < 0.55
        ? [this.text('ar', false)]
        : l < 0.9
          ? [this.text('en', false)]
          : [this.text('ar', false), this.text('en', true)];
    const nPlaces = type === 'practice' ? this.int(1, 2) : this.int(0, 1);
    return {
      type,
      texts,
      year: this.int(2005, 2025),
      keywords: ['bench-generated'],
      sdgTargets: [...new Set(Array.from({ length: this.int(0, 3) }, () => this.pick(SDG_TARGETS)))],
      frameworks: [...new Set(Array.from({ length: this.int(0, 2) }, () => this.pick(FRAMEWORKS)))],
      placeCodes: [...new Set(Array.from({ length: nPlaces }, () => this.pick(PLACES)))],
    };
  }
}
