/**
 * The codes of the IATI OrganisationType codelist (IATI Standard 2.03,
 * https://iatistandard.org/en/iati-standard/203/codelists/organisationtype/): the `type` of a
 * reporting organisation in the IATI export. The server refuses any other code; the web form
 * offers these, with their names from the message catalogs.
 */
export const IATI_ORGANISATION_TYPES = [
  '10',
  '11',
  '15',
  '21',
  '22',
  '23',
  '24',
  '30',
  '40',
  '60',
  '70',
  '71',
  '72',
  '73',
  '80',
  '90',
] as const;
export type IatiOrganisationType = (typeof IATI_ORGANISATION_TYPES)[number];
