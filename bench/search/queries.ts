/**
 * Queries with known answers for bench/search, written from the seeds' real text
 * (../shared/seeds, copied into packages/server/src/demo/data/seeds) before the ranking was
 * tuned. `answers` are the seeds a reader would want for the query (by their file prefix):
 * the seeds whose text holds the phrase or the name asked for. A generated item is never a
 * known answer. `variant` marks queries typed with another spelling than the seed's (hamza
 * forms, ta marbuta, alef maqsura, tatweel, diacritics, digits, article and prefixes).
 *
 * Recall@10 of a query = the share of its answers among the first 10 results.
 */
export interface BenchQuery {
  q: string;
  answers: ('000' | '001' | '002' | '003' | '004')[];
  variant?: string;
}

export const QUERIES: BenchQuery[] = [
  // Titles and parts of titles
  { q: 'المدن والمستوطنات البشرية الأكثر أمانا', answers: ['000'] },
  { q: 'مذكرة مفاهيمية', answers: ['000'] },
  { q: 'وضع الخطة الاستراتيجية للفترة 2026-2029', answers: ['001'] },
  { q: 'تقرير المديرية التنفيذية', answers: ['001'] },
  { q: 'مبادئ توجيهية دولية لمدن ذكية تركز على الناس', answers: ['002'] },
  { q: 'إطلاق مشروع التعاون الاقليمي لتنفيذ الخطة الحضرية الجديدة', answers: ['003'] },
  { q: 'توطين الخطة الحضرية الجديدة وتنفيذها', answers: ['004'] },
  { q: 'اجتماع رفيع المستوى للجان الإقليمية', answers: ['004'] },

  // Phrases and names from the texts
  { q: 'استعراض النظراء', answers: ['000'] },
  { q: 'مستودع افتراضي للمعارف على الإنترنت', answers: ['000'] },
  { q: 'مصفوفة لمؤشرات الأمان الحضري', answers: ['000'] },
  { q: 'مرصد الأمان الحضري', answers: ['000'] },
  { q: 'الشبكة العالمية للمدن الأكثر أمانا', answers: ['000'] },
  { q: 'خفض العنف في المناطق الحضرية بمقدار النصف', answers: ['000'] },
  { q: 'مناقشات المائدة المستديرة في فيينا', answers: ['000'] },
  { q: 'دراسة استقصائية إلكترونية', answers: ['000'] },
  { q: 'مدريد', answers: ['000'] },
  { q: 'منع الجريمة والعنف', answers: ['000'] },
  { q: 'الجوانب السبعة للسكن اللائق', answers: ['001'] },
  { q: 'المنتدى الحضري العالمي في القاهرة', answers: ['001'] },
  { q: 'أزمة إسكان عالمية', answers: ['001'] },
  { q: 'التنوع البيولوجي', answers: ['001'] },
  { q: 'الوقاية من الأزمات والاستجابة لها والتعافي منها', answers: ['001'] },
  { q: 'المستوطنات العشوائية والأحياء الفقيرة', answers: ['001'] },
  { q: 'الحوكمة المتعددة المستويات', answers: ['001'] },
  { q: 'الحق في الخصوصية في العصر الرقمي', answers: ['002'] },
  { q: 'الأمن السيبراني', answers: ['002'] },
  { q: 'محو الأمية الرقمية', answers: ['002'] },
  { q: 'قابلية التشغيل البيني للنظم والبيانات', answers: ['002'] },
  { q: 'الذكاء الاصطناعي', answers: ['002'] },
  { q: 'باتامبانج', answers: ['003'] },
  { q: 'جهة سوس ماسة', answers: ['003'] },
  { q: 'الاستعراض الطوعي المحلي', answers: ['003'] },
  { q: 'ورش عمل لتعزيز القدرات', answers: ['003'] },
  { q: 'جامعة ابن زهر', answers: ['003'] },
  { q: 'منصات لتبادل الخبرات والممارسات الفضلى', answers: ['003'] },
  { q: 'جائحة كوفيد-19', answers: ['004'] },
  { q: 'الإسكان الميسور الكلفة وإنهاء التشرد', answers: ['004'] },
  { q: 'رؤساء البلديات', answers: ['004'] },
  { q: 'مقر الأمم المتحدة في نيويورك', answers: ['004'] },
  { q: 'الخطة الحضرية الجديدة', answers: ['000', '001', '003', '004'] },
  { q: 'جمعية موئل الأمم المتحدة', answers: ['000', '001', '002'] },

  // Codes and Latin text in the seeds
  { q: 'HSP/HA.1/Res.2', answers: ['000'] },
  { q: 'A/RES/75/233', answers: ['001'] },
  { q: 'United Cities and Local Governments', answers: ['003'] },
  { q: 'Economic Commission for Africa', answers: ['003'] },

  // Spelling variants
  { q: 'المدن الاكثر امانا', answers: ['000'], variant: 'hamza forms of alef dropped' },
  { q: 'مذكره مفاهيميه', answers: ['000'], variant: 'ha for ta marbuta' },
  { q: 'الخطه الاستراتيجيه للفتره ٢٠٢٦-٢٠٢٩', answers: ['001'], variant: 'ha for ta marbuta, Arabic-Indic digits' },
  { q: 'اكادير', answers: ['003'], variant: 'alef without hamza' },
  { q: 'إكادير', answers: ['003'], variant: 'alef with hamza below' },
  { q: 'الاسكوا', answers: ['003', '004'], variant: 'alef without hamza below' },
  { q: 'كوفيد-١٩', answers: ['004'], variant: 'Arabic-Indic digits' },
  { q: 'الذَّكَاءُ الاصْطِنَاعِيُّ', answers: ['002'], variant: 'full diacritics' },
  { q: 'مرصـــد الأمـــان', answers: ['000'], variant: 'tatweel' },
  { q: 'علي المستوي المحلي', answers: ['000'], variant: 'ya for alef maqsura' },
  { q: 'والأمن السيبراني', answers: ['002'], variant: 'conjunction و' },
  { q: 'بالسكن اللائق', answers: ['001'], variant: 'prefix ب' },
  { q: 'للمدن الذكيه', answers: ['001', '002', '003'], variant: 'prefix لل, ha for ta marbuta' },
  { q: 'المنتدي الحضري العالمي', answers: ['001'], variant: 'ya for alef maqsura' },
];
