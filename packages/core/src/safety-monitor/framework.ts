import { z } from 'zod';

/**
 * The structure of a safety monitoring framework (issue 20, item 1): themes → indicators → measures → data
 * sources, names in the six UN languages, each measure tied to catalogue indicators (codes, checked against the
 * catalogue by the server). Shipped with UN-Habitat's Urban Safety Monitor as far as it is confirmed
 * (docs/methods/safety-index.md, "The Urban Safety Monitor framework and the self-assessment"); an administrator
 * fills the empty slots and each edit is a new version. Pure.
 */

export const SAFETY_LANGS = ['ar', 'en', 'fr', 'es', 'ru', 'zh'] as const;
export type SafetyLang = (typeof SAFETY_LANGS)[number];

const Text = z.string().trim().min(1).max(300);
/** A name by language; an empty object for an empty slot. */
export const SafetyTexts = z
  .object({
    ar: Text.optional(),
    en: Text.optional(),
    fr: Text.optional(),
    es: Text.optional(),
    ru: Text.optional(),
    zh: Text.optional(),
  })
  .strict();
export type SafetyTexts = z.infer<typeof SafetyTexts>;

const Code = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a code of lower-case letters, digits and hyphens (at most 40)');
/** A catalogue indicator's code (11.7.2, 16.1.1, USM-CV-01): checked against the catalogue by the server. */
export const CatalogueCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'a catalogue indicator code');

/**
 * Where an element's place in the structure comes from: `source` — named so by the source (UN-Habitat);
 * `marsad` — Marsad placed it there, to be confirmed; `administrator` — added by an administrator of this site.
 */
export const Placement = z.enum(['source', 'marsad', 'administrator']);
export type Placement = z.infer<typeof Placement>;

export const SafetyDataSource = z.object({ code: Code, names: SafetyTexts, placement: Placement }).strict();
export type SafetyDataSource = z.infer<typeof SafetyDataSource>;

export const SafetyMeasure = z
  .object({
    code: Code,
    names: SafetyTexts,
    placement: Placement,
    /** Catalogue indicators that quantify the measure (their tie to it is Marsad's unless the source says so). */
    indicators: z.array(CatalogueCode).max(30),
    sources: z.array(SafetyDataSource).max(30),
  })
  .strict();
export type SafetyMeasure = z.infer<typeof SafetyMeasure>;

/**
 * `named`: an indicator named by the source; `slot`: an empty slot for an administrator to fill (no name, no
 * measures); `added`: a slot an administrator filled.
 */
export const IndicatorStatus = z.enum(['named', 'slot', 'added']);
export const SafetyFrameworkIndicator = z
  .object({
    code: Code,
    names: SafetyTexts,
    status: IndicatorStatus,
    placement: Placement,
    measures: z.array(SafetyMeasure).max(40),
  })
  .strict();
export type SafetyFrameworkIndicator = z.infer<typeof SafetyFrameworkIndicator>;

export const SafetyTheme = z
  .object({
    code: Code,
    names: SafetyTexts,
    placement: Placement,
    indicators: z.array(SafetyFrameworkIndicator).max(60),
  })
  .strict();
export type SafetyTheme = z.infer<typeof SafetyTheme>;

const Long = z.string().trim().min(1).max(2000);
export const SafetyFrameworkSource = z
  .object({
    /** The publication, as cited (not translated). */
    citation: z.string().trim().min(1).max(500),
    /** What of the structure is confirmed, by language. */
    note: z
      .object({
        ar: Long.optional(),
        en: Long.optional(),
        fr: Long.optional(),
        es: Long.optional(),
        ru: Long.optional(),
        zh: Long.optional(),
      })
      .strict(),
  })
  .strict();

const StructureShape = z
  .object({
    code: Code,
    names: SafetyTexts,
    source: SafetyFrameworkSource,
    /** How many indicators the source says the framework has (15 for the Urban Safety Monitor). */
    indicatorCount: z.number().int().min(1).max(200),
    /** Whether the split of the indicators over the themes is confirmed by the source. */
    themeSplitConfirmed: z.boolean(),
    themes: z.array(SafetyTheme).min(1).max(20),
    /** Indicators (slots) whose theme is not known yet: an administrator moves each under its theme. */
    unplaced: z.array(SafetyFrameworkIndicator).max(200),
  })
  .strict();

function hasName(t: SafetyTexts): boolean {
  return Object.values(t).some((v) => !!v);
}

/** Every indicator of the structure, in order (themes first, then the unplaced), with its theme's code (or null). */
export function frameworkIndicators(
  s: Pick<SafetyFrameworkStructure, 'themes' | 'unplaced'>,
): { theme: string | null; indicator: SafetyFrameworkIndicator }[] {
  return [
    ...s.themes.flatMap((t) => t.indicators.map((indicator) => ({ theme: t.code, indicator }))),
    ...s.unplaced.map((indicator) => ({ theme: null, indicator })),
  ];
}

/**
 * A framework structure, checked: codes unique (themes; indicators; measures; a measure's sources), every theme,
 * named or added indicator, measure and source named in at least one language, a slot empty (no name, no
 * measures), and as many indicators as `indicatorCount`.
 */
export const SafetyFrameworkStructure = StructureShape.superRefine((s, ctx) => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (!hasName(s.names)) issue(['names'], 'the framework needs a name in at least one language');
  const themeCodes = new Set<string>();
  s.themes.forEach((t, ti) => {
    if (themeCodes.has(t.code)) issue(['themes', ti, 'code'], `the theme code "${t.code}" is used twice`);
    themeCodes.add(t.code);
    if (!hasName(t.names)) issue(['themes', ti, 'names'], 'a theme needs a name in at least one language');
  });
  const indicatorCodes = new Set<string>();
  const measureCodes = new Set<string>();
  const checkIndicator = (ind: SafetyFrameworkIndicator, path: (string | number)[]) => {
    if (indicatorCodes.has(ind.code)) issue([...path, 'code'], `the indicator code "${ind.code}" is used twice`);
    indicatorCodes.add(ind.code);
    if (ind.status === 'slot') {
      if (hasName(ind.names)) issue([...path, 'names'], 'an empty slot has no name: fill it as an added indicator');
      if (ind.measures.length) issue([...path, 'measures'], 'an empty slot has no measures');
    } else if (!hasName(ind.names)) issue([...path, 'names'], 'an indicator needs a name in at least one language');
    ind.measures.forEach((m, mi) => {
      const mp = [...path, 'measures', mi];
      if (measureCodes.has(m.code)) issue([...mp, 'code'], `the measure code "${m.code}" is used twice`);
      measureCodes.add(m.code);
      if (!hasName(m.names)) issue([...mp, 'names'], 'a measure needs a name in at least one language');
      if (new Set(m.indicators).size !== m.indicators.length)
        issue([...mp, 'indicators'], 'a catalogue indicator is named twice');
      const sourceCodes = new Set<string>();
      m.sources.forEach((d, di) => {
        if (sourceCodes.has(d.code)) issue([...mp, 'sources', di, 'code'], `the source code "${d.code}" is used twice`);
        sourceCodes.add(d.code);
        if (!hasName(d.names))
          issue([...mp, 'sources', di, 'names'], 'a data source needs a name in at least one language');
      });
    });
  };
  s.themes.forEach((t, ti) => {
    t.indicators.forEach((ind, ii) => {
      checkIndicator(ind, ['themes', ti, 'indicators', ii]);
    });
  });
  s.unplaced.forEach((ind, ii) => {
    checkIndicator(ind, ['unplaced', ii]);
  });
  const total = indicatorCodes.size;
  const count = s.themes.reduce((n, t) => n + t.indicators.length, 0) + s.unplaced.length;
  if (count !== s.indicatorCount || total !== count)
    issue(['indicatorCount'], `the framework says ${s.indicatorCount} indicators; the structure holds ${count}`);
});
export type SafetyFrameworkStructure = z.infer<typeof StructureShape>;

/** The catalogue indicator codes the structure's measures name, each once, in order. */
export function frameworkCatalogueCodes(s: SafetyFrameworkStructure): string[] {
  const out = new Set<string>();
  for (const { indicator } of frameworkIndicators(s))
    for (const m of indicator.measures) for (const c of m.indicators) out.add(c);
  return [...out];
}

/** The indicators a city assesses: every indicator that is not an empty slot. */
export function assessableIndicators(s: SafetyFrameworkStructure): SafetyFrameworkIndicator[] {
  return frameworkIndicators(s)
    .map((x) => x.indicator)
    .filter((i) => i.status !== 'slot');
}
