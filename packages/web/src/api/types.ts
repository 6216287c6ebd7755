export type Names = Record<string, string>;
export type Direction = 'higher' | 'lower' | 'none';

export interface FrameworkItem {
  code: string;
  name: string | null;
  names: Names;
  description: string | null;
  draft: boolean;
  reviewNeeded: boolean;
  indicatorCount: number;
  groups: { code: string; name: string | null; names: Names }[];
}
export interface FrameworkDetail extends Omit<FrameworkItem, 'indicatorCount'> {
  indicators: {
    code: string;
    name: string | null;
    status: string;
    direction: Direction;
    unit: string | null;
    group: string | null;
  }[];
}
export interface IndicatorDetail {
  code: string;
  name: string | null;
  names: Names;
  definition: string | null;
  definitions: Names;
  unit: { code: string; name: string | null; names: Names } | null;
  direction: Direction;
  status: string;
  sdgTarget: string | null;
  local: boolean;
  ownerPlace: string | null;
  tags: string[];
  dimensions: string[];
  reviewNeeded: boolean;
  source: { name: string; url: string | null; licence: string | null } | null;
  series: {
    code: string;
    name: string;
    names: Names;
    unit: string | null;
    /** The unit's name in the language asked for (else another), when the series has names for its unit. */
    unitName?: string | null;
    aliases: string[];
    default: boolean;
  }[];
  frameworks: { code: string; name: string | null; group: string | null; groupName: string | null }[];
  targets: {
    id: number;
    year: number;
    value: number | null;
    relativeChange: number | null;
    baselineYear: number | null;
    note: string | null;
    series: string | null;
    place: string | null;
  }[];
}
export interface Observation {
  indicator: string;
  series: string;
  place: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  /** null: withheld by the indicator's suppression rule (then `suppressedBelow` is N: "fewer than N"). */
  dims: Record<string, string>;
  value: number | null;
  unit: string | null;
  status: string;
  /** Set when the value rests on fewer than N: withheld from the public, or shown to a privileged reader, marked. */
  suppressedBelow: number | null;
  source: { name: string; names?: Record<string, string>; licence: string | null; synthetic: boolean } | null;
  note: string | null;
  version: number;
  updatedAt: string;
}
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
export interface PlaceItem {
  code: string;
  level: string;
  parent: string | null;
  name: string | null;
  names: Names;
  lat: number | null;
  lon: number | null;
  codes: Record<string, string>;
  externalCode: string | null;
  pilot: boolean;
}
export interface PlaceDetail {
  code: string;
  level: string;
  name: string | null;
  names: Names;
  lat: number | null;
  lon: number | null;
  codes: Record<string, string>;
  externalCode: string | null;
  pilot: boolean;
  reviewNeeded: boolean;
  /** The country's own name for the level (oblys, ward), when it has one. */
  levelCode?: string | null;
  levelName?: string | null;
  /** Places below with a shape: a map of the place's areas can be drawn. */
  areasWithShapes?: number;
  ancestors: { code: string; level: string; name: string | null }[];
  children: { code: string; level: string; name: string | null; pilot: boolean }[];
}
export interface DimensionItem {
  code: string;
  name: string | null;
  names: Names;
  open: boolean;
  values: { code: string; name: string | null; names: Names }[];
}
