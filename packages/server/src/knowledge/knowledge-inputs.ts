import { z } from 'zod';

/**
 * Vocabularies and input schemas of the knowledge repository and the network (issue 5). The
 * same lists are served by GET /api/v1/knowledge/options for the forms of the web app.
 */

export const LANGUAGES = ['ar', 'en', 'fr', 'es', 'ru', 'zh'] as const;
export const ITEM_TYPES = ['practice', 'tool', 'document'] as const;
/** Kinds of tools and documents (a practice has none). */
export const ITEM_KINDS = {
  practice: [],
  tool: ['guide', 'indicator-toolkit', 'methodology', 'template', 'other'],
  document: ['report', 'resolution', 'decision', 'concept-note', 'review', 'presentation', 'meeting-outcome', 'other'],
} as const satisfies Record<(typeof ITEM_TYPES)[number], readonly string[]>;
export const STATUSES = ['draft', 'published'] as const;
/** Roles that can be named as the contact of a practice (a role on a place, never a person). */
export const CONTACT_ROLES = [
  'national-focal-point',
  'city-focal-point',
  'data-validator',
  'reviewer',
  'editor',
] as const;
export const PILOT_STAGES = ['planned', 'under-way', 'completed', 'stopped'] as const;
export const PARTNER_TYPES = [
  'local-government-network',
  'civil-society',
  'academia',
  'private-sector',
  'un-entity',
  'funder',
] as const;
/** Types of the organisations workshop participants come from. */
export const PARTICIPANT_ORGANISATION_TYPES = [
  'national-government',
  'local-government',
  'civil-society',
  'academia',
  'private-sector',
  'un-entity',
  'other-international',
  'other',
] as const;
export const WORKSHOP_KINDS = ['workshop', 'training'] as const;

export const Lang = z.enum(LANGUAGES);
export const Id = z.coerce.number().int().min(1).max(2_147_483_647);
export const IdParams = z.object({ id: Id });
export const PlaceCode = z.string().trim().min(1).max(60);
export const IsoDate = z.iso.date('a date as YYYY-MM-DD');

/** Text in several languages: at least one, each at most `max` characters. */
export function names(max = 500) {
  return z
    .partialRecord(Lang, z.string().trim().min(1).max(max))
    .refine((n) => Object.keys(n).length > 0, 'give the text in at least one language');
}
/** Text in several languages, possibly none. */
export function optionalNames(max = 5000) {
  return z.partialRecord(Lang, z.string().trim().min(1).max(max));
}

const HttpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) address' }).max(2000);

export const ItemTextInput = z.object({
  title: z.string().trim().min(1, 'give a title').max(500),
  summary: z.string().trim().max(5000).default(''),
  body: z.string().max(2_000_000).default('').describe('Rich text (HTML); sanitised on the server'),
  results: z
    .string()
    .max(200_000)
    .default('')
    .describe('Results of a practice, rich text (HTML); sanitised on the server'),
  translated: z.boolean().default(false).describe('A translation of the text in the original language'),
});
export type ItemTextInput = z.infer<typeof ItemTextInput>;

const ItemFields = {
  kind: z
    .string()
    .max(40)
    .nullable()
    .describe(
      'tool: guide, indicator-toolkit, methodology, template, other; document: report, resolution, decision, concept-note, review, presentation, meeting-outcome, other',
    ),
  status: z.enum(STATUSES).describe('Only published items are public'),
  originalLanguage: Lang.describe('The language the item was written in; its text must be given'),
  texts: z.partialRecord(Lang, ItemTextInput).describe('Title, summary, body and results by language'),
  ownerPlace: PlaceCode.nullable().describe(
    'The place whose editors and focal points may edit the item (e.g. the city of a practice); null: administrators and grant holders only',
  ),
  places: z.array(PlaceCode).max(100).describe('Places the item is about'),
  dateStart: IsoDate.nullable().describe('The date of the item, or when what it describes began'),
  dateEnd: IsoDate.nullable().describe('When what it describes ended (a practice, a meeting of several days)'),
  issuer: optionalNames(500).describe('The issuing body, by language (documents)'),
  reference: z.string().trim().max(200).nullable().describe("The document's number or symbol, as it gives it"),
  sourceUrl: HttpUrl.nullable(),
  sdgTargets: z.array(z.string().trim().max(10)).max(50).describe('SDG target codes (11.7, 16.1 …)'),
  nuaParagraphs: z
    .array(z.number().int().min(1).max(175))
    .max(175)
    .describe('Paragraphs of the New Urban Agenda (1–175) the item serves'),
  guidelinePrinciples: z
    .array(z.string().trim().min(1).max(200))
    .max(50)
    .describe('Principles of the UN system-wide Guidelines on Safer Cities and Human Settlements'),
  frameworks: z
    .array(z.string().trim().max(60))
    .max(20)
    .describe('Framework codes (sdg, nua, urban-safety, adequate-housing …)'),
  keywords: z.array(z.string().trim().min(1).max(100)).max(50),
  contacts: z
    .array(z.object({ role: z.enum(CONTACT_ROLES), place: PlaceCode }))
    .max(20)
    .describe('Contacts as roles on places, never people'),
};

export const ItemCreate = z.object({
  type: z.enum(ITEM_TYPES),
  kind: ItemFields.kind.optional(),
  status: ItemFields.status.default('draft'),
  originalLanguage: ItemFields.originalLanguage,
  texts: ItemFields.texts,
  ownerPlace: ItemFields.ownerPlace.optional(),
  places: ItemFields.places.default([]),
  dateStart: ItemFields.dateStart.optional(),
  dateEnd: ItemFields.dateEnd.optional(),
  issuer: ItemFields.issuer.default({}),
  reference: ItemFields.reference.optional(),
  sourceUrl: ItemFields.sourceUrl.optional(),
  sdgTargets: ItemFields.sdgTargets.default([]),
  nuaParagraphs: ItemFields.nuaParagraphs.default([]),
  guidelinePrinciples: ItemFields.guidelinePrinciples.default([]),
  frameworks: ItemFields.frameworks.default([]),
  keywords: ItemFields.keywords.default([]),
  contacts: ItemFields.contacts.default([]),
});
export type ItemCreate = z.infer<typeof ItemCreate>;

/** A change: the fields given replace the item's; in `texts`, a language set to null is removed. */
export const ItemPatch = z.object({
  kind: ItemFields.kind.optional(),
  status: ItemFields.status.optional(),
  originalLanguage: ItemFields.originalLanguage.optional(),
  texts: z
    .partialRecord(Lang, ItemTextInput.nullable())
    .optional()
    .describe('Texts by language; null removes a language'),
  ownerPlace: ItemFields.ownerPlace.optional(),
  places: ItemFields.places.optional(),
  dateStart: ItemFields.dateStart.optional(),
  dateEnd: ItemFields.dateEnd.optional(),
  issuer: ItemFields.issuer.optional(),
  reference: ItemFields.reference.optional(),
  sourceUrl: ItemFields.sourceUrl.optional(),
  sdgTargets: ItemFields.sdgTargets.optional(),
  nuaParagraphs: ItemFields.nuaParagraphs.optional(),
  guidelinePrinciples: ItemFields.guidelinePrinciples.optional(),
  frameworks: ItemFields.frameworks.optional(),
  keywords: ItemFields.keywords.optional(),
  contacts: ItemFields.contacts.optional(),
  expectedVersion: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('The version the change was made on; 409 if the item has changed since'),
});
export type ItemPatch = z.infer<typeof ItemPatch>;

/** A list given as "a,b" or repeated. */
const List = z.union([z.string(), z.array(z.string())]).transform((v) =>
  (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean),
);

export const SearchFilters = z.object({
  type: List.pipe(z.array(z.enum(ITEM_TYPES)))
    .optional()
    .describe('practice, tool, document (several: any of them)'),
  language: List.pipe(z.array(Lang)).optional().describe('Items with a text in one of these languages'),
  place: List.pipe(z.array(PlaceCode)).optional().describe('Place codes: items about the place or a place under it'),
  framework: List.pipe(z.array(z.string().max(60)))
    .optional()
    .describe('Framework codes'),
  sdg: List.pipe(z.array(z.string().max(10)))
    .optional()
    .describe('SDG target codes'),
  year: List.pipe(
    z.array(
      z
        .string()
        .regex(/^\d{4}$/, 'a year such as 2021')
        .transform(Number),
    ),
  )
    .optional()
    .describe("Years of the items' dates"),
});
export type SearchFilters = z.infer<typeof SearchFilters>;

export const SearchQuery = SearchFilters.extend({
  q: z
    .string()
    .trim()
    .max(300)
    .optional()
    .describe('Words to find, in any language (Arabic spelling variants folded); without it, the newest items first'),
  lang: Lang.optional().describe('Language preferred for titles, snippets and names'),
  limit: z.coerce.number().int().min(1).max(100).default(10).describe('Results per page (1–100)'),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
  facets: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .default(true)
    .describe('Also count the results by type, language, place, framework, SDG target and year'),
});

// Patches are the inputs without their defaults: a field left out keeps its value.
const PilotFields = z.object({
  place: PlaceCode.describe('The city (or other place) that piloted the tool'),
  startedOn: IsoDate,
  endedOn: IsoDate.nullable().optional(),
  stage: z.enum(PILOT_STAGES),
  outcome: optionalNames(5000).describe('What came of it, by language'),
});
export const PilotInput = PilotFields.extend({ outcome: PilotFields.shape.outcome.default({}) });
export const PilotPatch = PilotFields.partial();

const PartnerFields = z.object({
  names: names(300),
  type: z.enum(PARTNER_TYPES),
  country: PlaceCode.nullable().optional().describe('Country code of its seat'),
  website: HttpUrl.nullable().optional(),
  descriptions: optionalNames(5000),
  joinedOn: IsoDate.nullable().optional().describe('When it joined the Global Network on Safer Cities'),
  leftOn: IsoDate.nullable().optional(),
});
export const PartnerInput = PartnerFields.extend({ descriptions: PartnerFields.shape.descriptions.default({}) });
export const PartnerPatch = PartnerFields.partial();

const CentreFields = z.object({
  names: names(300),
  place: PlaceCode,
  organisation: Id.nullable().optional().describe('The partner organisation that runs it'),
  designatedOn: IsoDate.nullable().optional(),
  descriptions: optionalNames(5000),
});
export const CentreInput = CentreFields.extend({ descriptions: CentreFields.shape.descriptions.default({}) });
export const CentrePatch = CentreFields.partial();

const Count = z.number().int().min(0).max(1_000_000);
export const ParticipantsInput = z
  .object({
    total: Count.optional(),
    bySex: z.object({ female: Count.default(0), male: Count.default(0), unspecified: Count.default(0) }).optional(),
    byOrganisationType: z.partialRecord(z.enum(PARTICIPANT_ORGANISATION_TYPES), Count).optional(),
  })
  .describe('Counts only: no list of people is kept');

const Organisers = z
  .array(z.union([z.object({ organisation: Id }).strict(), z.object({ names: names(300) }).strict()]))
  .max(30)
  .describe('Partner organisations ({organisation: id}) or other organisers by name');
const Topics = z.array(z.string().trim().min(1).max(200)).max(30);
const Materials = z.array(Id).max(100).describe('Items of the repository');

export const WorkshopInput = z.object({
  kind: z.enum(WORKSHOP_KINDS),
  status: z.enum(STATUSES).default('draft'),
  titles: names(500),
  descriptions: optionalNames(20_000).default({}),
  place: PlaceCode.nullable().optional(),
  online: z.boolean().default(false),
  startsOn: IsoDate,
  endsOn: IsoDate.nullable().optional(),
  organisers: Organisers.default([]),
  topics: Topics.default([]),
  materials: Materials.default([]),
  participants: ParticipantsInput.default({}),
});
export const WorkshopPatch = z.object({
  kind: z.enum(WORKSHOP_KINDS).optional(),
  status: z.enum(STATUSES).optional(),
  titles: names(500).optional(),
  descriptions: optionalNames(20_000).optional(),
  place: PlaceCode.nullable().optional(),
  online: z.boolean().optional(),
  startsOn: IsoDate.optional(),
  endsOn: IsoDate.nullable().optional(),
  organisers: Organisers.optional(),
  topics: Topics.optional(),
  materials: Materials.optional(),
  participants: ParticipantsInput.optional(),
});
