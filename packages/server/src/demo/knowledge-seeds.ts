import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Store } from '@marsad/db';
import { SYSTEM_ACTOR } from '../audit/audit-log.ts';
import { insertItem } from '../knowledge/item-store.ts';
import type { ItemCreate } from '../knowledge/knowledge-inputs.ts';
import { plainToRichText } from '../knowledge/rich-text.ts';

/**
 * The five seed documents (data/seeds, copied from the project's shared seeds/ folder) as
 * published documents of the knowledge repository, in Arabic, with the title, the date(s) and
 * the issuing body each one states — read from the documents themselves; what a document does
 * not state is left empty (004 names no issuing body; no document gives its own symbol, only
 * 002 its number as a resolution). The body is the document's text, with e-mail addresses
 * removed. Tags (frameworks, SDG targets, New Urban Agenda paragraphs, places) are those the
 * text itself cites; keywords are phrases of the text.
 */

const DIR = fileURLToPath(new URL('./data/seeds/', import.meta.url));

export interface KnowledgeSeed {
  file: string;
  kind: string;
  title: string;
  dateStart: string;
  dateEnd?: string;
  issuer: string | null;
  reference?: string;
  places?: string[];
  sdgTargets?: string[];
  nuaParagraphs?: number[];
  frameworks: string[];
  keywords: string[];
}

export const KNOWLEDGE_SEEDS: KnowledgeSeed[] = [
  {
    // Header: Executive Board, first session of 2020, Nairobi, 31 March – 2 April 2020, item 6 of the provisional
    // agenda.
    file: '000_afb42f19f2688adf.txt',
    kind: 'concept-note',
    title:
      'تنفيذ المبادئ التوجيهية على نطاق منظومة الأمم المتحدة بشأن المدن والمستوطنات البشرية الأكثر أماناً: مذكرة مفاهيمية',
    dateStart: '2020-03-31',
    dateEnd: '2020-04-02',
    issuer: 'المجلس التنفيذي لبرنامج الأمم المتحدة للمستوطنات البشرية',
    // "الغاية 1-16" and "الغاية 2-7-11" (an indicator of target 11.7)
    sdgTargets: ['16.1', '11.7'],
    frameworks: ['urban-safety', 'sdg', 'nua'],
    keywords: [
      'استعراض النظراء',
      'الشبكة العالمية للمدن الأكثر أماناً',
      'مستودع افتراضي للمعارف',
      'مصفوفة لمؤشرات الأمان الحضري',
      'مؤشرات النجاح',
    ],
  },
  {
    // Header: Executive Board, second session of 2024, Nairobi, 4–6 December 2024, item 6; report of the Executive
    // Director.
    file: '001_b11b9338608eaa31.txt',
    kind: 'report',
    title: 'وضع الخطة الاستراتيجية للفترة 2026-2029: تقرير المديرية التنفيذية',
    dateStart: '2024-12-04',
    dateEnd: '2024-12-06',
    issuer: 'المجلس التنفيذي لبرنامج الأمم المتحدة للمستوطنات البشرية',
    frameworks: ['adequate-housing', 'nua', 'sdg'],
    keywords: ['الخطة الاستراتيجية', 'السكن اللائق', 'الأراضي والخدمات الأساسية', 'مجالات التأثير', 'وسائل التنفيذ'],
  },
  {
    // "قرار اتخذته جمعية موئل الأمم المتحدة في 9 حزيران/يونيه 2023", resolution 2/1.
    file: '002_cca7f5c4462f9649.txt',
    kind: 'resolution',
    title: 'مبادئ توجيهية دولية لمدن ذكية تركز على الناس',
    dateStart: '2023-06-09',
    issuer: 'جمعية موئل الأمم المتحدة',
    reference: '2/1',
    // "الغايتين 6-17 و8-17"; paragraphs 66, 156 and 19 of the New Urban Agenda
    sdgTargets: ['17.6', '17.8'],
    nuaParagraphs: [19, 66, 156],
    frameworks: ['sdg', 'nua'],
    keywords: ['المدن الذكية', 'الرقمنة', 'حوكمة البيانات', 'الخصوصية', 'الأمن السيبراني'],
  },
  {
    // ESCWA, 8 December 2021, Agadir, Morocco; the project's nine cities ("نطاق المشروع").
    file: '003_0197498788356d73.txt',
    kind: 'presentation',
    title: 'إجتماع إطلاق مشروع التعاون الاقليمي لتنفيذ الخطة الحضرية الجديدة في مدينة اكادير بالمملكة المغربية',
    dateStart: '2021-12-08',
    issuer: 'اللجنة الاقتصادية والاجتماعية لغربي آسيا (الإسكوا)',
    places: ['MAAGA', 'JOAMM', 'ECUIO', 'KZALA', 'PHL', 'KHBBM', 'CUHAV', 'CRSJO', 'LSMSU'],
    frameworks: ['nua', 'sdg'],
    keywords: ['الاستعراض الطوعي المحلي', 'بناء القدرات', 'تبادل المعرفة', 'الخطة الحضرية الجديدة'],
  },
  {
    // 28 April 2022, expert group meeting; no issuing body is named.
    file: '004_b7d507ec4143c875.txt',
    kind: 'meeting-outcome',
    title: 'توطين الخطة الحضرية الجديدة وتنفيذها: اجتماع رفيع المستوى للّجان الإقليمية',
    dateStart: '2022-04-28',
    issuer: null,
    frameworks: ['nua'],
    keywords: ['توطين الخطة الحضرية الجديدة', 'اللجان الإقليمية', 'أفضل الممارسات'],
  },
];

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

export async function seedItemInput(seed: KnowledgeSeed): Promise<ItemCreate> {
  const text = (await readFile(DIR + seed.file, 'utf8')).replace(EMAIL, '');
  return {
    type: 'document',
    kind: seed.kind,
    status: 'published',
    originalLanguage: 'ar',
    texts: { ar: { title: seed.title, summary: '', body: plainToRichText(text), results: '', translated: false } },
    places: seed.places ?? [],
    dateStart: seed.dateStart,
    dateEnd: seed.dateEnd ?? null,
    issuer: seed.issuer ? { ar: seed.issuer } : {},
    reference: seed.reference ?? null,
    sourceUrl: null,
    sdgTargets: seed.sdgTargets ?? [],
    nuaParagraphs: seed.nuaParagraphs ?? [],
    guidelinePrinciples: [],
    frameworks: seed.frameworks,
    keywords: seed.keywords,
    contacts: [],
  };
}

/** Loads the seeds that are not in the repository yet (by title); returns their ids by file. */
export async function loadKnowledgeSeeds(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const seed of KNOWLEDGE_SEEDS) {
    const found = await store.db
      .selectFrom('knowledge_item_texts')
      .select('item_id')
      .where('lang', '=', 'ar')
      .where('title', '=', seed.title)
      .executeTakeFirst();
    out[seed.file] = found ? found.item_id : await insertItem(store, SYSTEM_ACTOR, await seedItemInput(seed));
  }
  return out;
}
