import { IATI_ORGANISATION_TYPES } from '@marsad/core';
import { z } from 'zod';

/** Zod schemas of the results API's inputs (docs/methods/results.md). */

export const TextByLanguage = z
  .record(
    z.string().regex(/^[a-z]{2}(-[A-Za-z]+)?$/, 'a language code such as ar or en'),
    z.string().trim().min(1).max(5000),
  )
  .describe('Text by language code, e.g. {"ar": "…", "en": "…"}');
export const RequiredText = TextByLanguage.refine(
  (t) => Object.keys(t).length > 0,
  'give the text in at least one language',
);
export const Code = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." or "-"');
export const Year = z.number().int().min(1900).max(2100);
export const Status = z.enum(['planned', 'under-way', 'completed', 'suspended', 'cancelled']);
export const Weight = z
  .number()
  .finite()
  .min(0)
  .max(1_000_000)
  .describe('Weight among its siblings (default 1; 0 leaves it out of the roll-up)');
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(d)), 'not a real date');
const PlaceCode = z.string().trim().min(1).max(120);

export const PartnerInput = z.union([
  z.object({ organisationId: z.number().int().positive().describe('A partner organisation of the network') }).strict(),
  z.object({ names: RequiredText.describe('An organisation that is not in the network, by name') }).strict(),
]);

export const PillarInput = z
  .object({
    code: Code,
    kind: z.enum(['pillar', 'means-of-implementation']).default('pillar'),
    names: RequiredText,
    descriptions: TextByLanguage.optional(),
    position: z.number().int().min(0).max(100000).optional(),
  })
  .strict();

export const ProgrammePlaceInput = z
  .object({
    place: PlaceCode,
    role: z.enum(['pilot', 'participating', 'supporting']),
    sinceYear: Year.optional(),
    notes: TextByLanguage.optional(),
  })
  .strict();

const ReportingOrg = z
  .object({
    ref: z.string().trim().min(1).max(200).optional().describe('IATI organisation identifier, e.g. XM-DAC-…'),
    type: z
      .enum(IATI_ORGANISATION_TYPES, {
        message: `a code of the IATI OrganisationType codelist: ${IATI_ORGANISATION_TYPES.join(', ')}`,
      })
      .optional(),
    names: TextByLanguage.optional(),
  })
  .strict();

const programmeFields = {
  names: RequiredText,
  descriptions: TextByLanguage.optional(),
  startYear: Year,
  endYear: Year,
  status: Status.optional(),
  reference: z.string().trim().max(500).nullable().optional(),
  reportingOrg: ReportingOrg.optional(),
  demonstration: z.boolean().optional(),
  pillars: z
    .array(PillarInput)
    .max(50)
    .optional()
    .describe('Pillars or means of implementation; given, they replace the list (kept by code)'),
  places: z
    .array(ProgrammePlaceInput)
    .max(2000)
    .optional()
    .describe('The participation record; given, it replaces the list'),
  partners: z
    .array(PartnerInput)
    .max(200)
    .optional()
    .describe('Partners of the whole programme; given, they replace the list'),
};

export const ProgrammeCreate = z
  .object({ code: Code, ...programmeFields })
  .strict()
  .refine((p) => p.endYear >= p.startYear, { message: 'must not be before startYear', path: ['endYear'] });
export const ProgrammePatch = z.object(programmeFields).partial().strict();

export const ResultCreate = z
  .object({
    programme: Code,
    parent: z
      .number()
      .int()
      .positive()
      .nullable()
      .optional()
      .describe('The result above it (none: a top-level result)'),
    level: z.enum(['impact', 'outcome', 'output', 'activity']),
    code: Code.optional(),
    titles: RequiredText,
    descriptions: TextByLanguage.optional(),
    places: z
      .array(PlaceCode)
      .max(500)
      .optional()
      .describe('Responsible places (their national focal points may edit the result)'),
    partners: z.array(PartnerInput).max(100).optional(),
    pillars: z.array(Code).max(50).optional(),
    startDate: IsoDate.nullable().optional(),
    endDate: IsoDate.nullable().optional(),
    status: Status.optional(),
    weight: Weight.optional(),
    position: z.number().int().min(0).max(100000).optional(),
  })
  .strict();
export const ResultPatch = ResultCreate.omit({ programme: true, code: true })
  .extend({ code: Code.nullable().optional() })
  .partial()
  .strict();

export const TargetInput = z
  .object({ year: Year, value: z.number().finite(), notes: TextByLanguage.optional() })
  .strict();
export const ActualInput = z
  .object({
    year: Year,
    value: z.number().finite(),
    source: z.string().trim().min(1).max(500).optional(),
    notes: TextByLanguage.optional(),
  })
  .strict();
const Baseline = z
  .object({
    year: Year,
    value: z
      .number()
      .finite()
      .nullable()
      .optional()
      .describe('Absent or null for a catalogue indicator: taken from its observations of that year'),
  })
  .strict();

const measureCommon = {
  baseline: Baseline.nullable().optional(),
  targets: z.array(TargetInput).max(100).optional(),
  weight: Weight.optional(),
  position: z.number().int().min(0).max(100000).optional(),
  demonstration: z.boolean().optional().describe('The numbers typed for this measure are invented for a demonstration'),
};

export const MeasureCreate = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('indicator'),
      indicator: z.string().trim().min(1).max(120),
      series: z.string().trim().min(1).max(120).optional().describe("Default: the indicator's default series"),
      places: z.array(PlaceCode).min(1).max(500).describe('Places whose approved observations give the actual values'),
      aggregation: z
        .enum(['sum', 'mean'])
        .optional()
        .describe('How the values of several places combine (default mean)'),
      ascending: z.boolean().optional().describe("Default: from the indicator's better direction"),
      measure: z.enum(['unit', 'percentage']).optional().describe('Default: percentage for a percent unit, else unit'),
      ...measureCommon,
    })
    .strict(),
  z
    .object({
      kind: z.literal('specific'),
      names: RequiredText,
      definitions: TextByLanguage.optional(),
      unitNames: TextByLanguage.optional(),
      ascending: z.boolean(),
      measure: z.enum(['unit', 'percentage']).optional(),
      actuals: z.array(ActualInput).max(100).optional(),
      ...measureCommon,
    })
    .strict(),
  z
    .object({
      kind: z.literal('computed'),
      formula: z.enum(['urban-violence-change', 'cities-less-violence', 'countries-improved', 'population-concerned']),
      ...measureCommon,
    })
    .strict(),
]);

export const MeasurePatch = z
  .object({
    series: z.string().trim().min(1).max(120).optional(),
    places: z.array(PlaceCode).min(1).max(500).optional(),
    aggregation: z.enum(['sum', 'mean']).optional(),
    ascending: z.boolean().optional(),
    measure: z.enum(['unit', 'percentage']).optional(),
    names: RequiredText.optional(),
    definitions: TextByLanguage.optional(),
    unitNames: TextByLanguage.optional(),
    baseline: Baseline.nullable().optional(),
    weight: Weight.optional(),
    position: z.number().int().min(0).max(100000).optional(),
    demonstration: z.boolean().optional(),
  })
  .strict();

const ISO_4217 = new Set(Intl.supportedValuesOf('currency'));
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals, e.g. USD')
  .refine((c) => ISO_4217.has(c), 'not an ISO 4217 currency code');

export const BudgetLineCreate = z
  .object({
    labels: RequiredText,
    currency: Currency,
    year: Year,
    endYear: Year.nullable().optional().describe('For a line covering several years'),
    amount: z.number().finite().min(0).max(1e15),
    result: z.number().int().positive().nullable().optional(),
    notes: TextByLanguage.optional(),
    demonstration: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.endYear == null || b.endYear >= b.year, { message: 'must not be before year', path: ['endYear'] });
export const BudgetLinePatch = z
  .object({
    labels: RequiredText,
    currency: Currency,
    year: Year,
    endYear: Year.nullable(),
    amount: z.number().finite().min(0).max(1e15),
    result: z.number().int().positive().nullable(),
    notes: TextByLanguage,
    demonstration: z.boolean(),
  })
  .partial()
  .strict();

export const ExchangeRateInput = z
  .object({
    from: Currency,
    to: Currency,
    year: Year,
    rate: z.number().finite().positive().describe('1 unit of `from` = rate units of `to`'),
    source: z.string().trim().min(1).max(500).optional(),
  })
  .strict()
  .refine((r) => r.from !== r.to, { message: 'must differ from "from"', path: ['to'] });
