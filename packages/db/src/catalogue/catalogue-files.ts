import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SuppressionRule, ValidationRules } from '@marsad/core';
import type { Direction, IndicatorStatus, Names, PlaceLevel } from '../schema.ts';

/** The shipped reference catalogue: JSON files in packages/db/src/seed/catalogue/ (see its README). */
export const CATALOGUE_DIR = fileURLToPath(new URL('../seed/catalogue/', import.meta.url));

export interface SourceInfo {
  name: string;
  url?: string;
  licence?: string;
  citation?: string;
  note?: string;
}
export interface SdgFile {
  source: SourceInfo;
  goals: { code: string; names: Names }[];
  targets: { code: string; goal: string; names: Names }[];
  indicators: { code: string; target: string; names: Names; status?: IndicatorStatus; reviewNeeded?: boolean }[];
}
export interface FrameworkFile {
  code: string;
  names: Names;
  descriptions?: Names;
  draft?: boolean;
  reviewNeeded?: boolean;
  groups?: { code: string; names: Names }[];
}
export interface DimensionFile {
  code: string;
  names: Names;
  open?: boolean;
  values: { code: string; names: Names }[];
}
export interface UnitInfo {
  code: string;
  names: Names;
}
export interface TargetInfo {
  year: number;
  value?: number;
  relativeChange?: number;
  baselineYear?: number;
  note?: string;
  series?: string;
}
export interface IndicatorFile {
  code: string;
  names: Names;
  definitions?: Names;
  unit?: UnitInfo;
  direction?: Direction;
  status?: IndicatorStatus;
  sdgTarget?: string | null;
  frameworks?: { framework: string; group?: string }[];
  tags?: string[];
  dimensions?: string[];
  series?: { code: string; names?: Names; unit?: UnitInfo; aliases?: string[] }[];
  targets?: TargetInfo[];
  reviewNeeded?: boolean;
  /** The default suppression rule of the indicator (docs/methods/suppression.md). */
  suppression?: SuppressionRule;
  /** Validation rules other than its unit's defaults (defaultValidationRules), with the reason. */
  validationRules?: ValidationRules;
  validationRulesReason?: string;
}
export interface PlaceFile {
  code: string;
  level: PlaceLevel;
  /** The country's own name for the level (place_levels, migration 018). */
  levelCode?: string | null;
  parent: string | null;
  names: Names;
  lat?: number | null;
  lon?: number | null;
  codes?: Record<string, string>;
  externalCode?: string;
  pilot?: boolean;
  reviewNeeded?: boolean;
}
export interface PlacesFile {
  source?: SourceInfo;
  places: PlaceFile[];
}

async function readJson<T>(name: string): Promise<T> {
  return JSON.parse(await readFile(CATALOGUE_DIR + name, 'utf8')) as T;
}

export interface CatalogueFiles {
  sdg: SdgFile;
  frameworks: FrameworkFile[];
  dimensions: DimensionFile[];
  indicators: IndicatorFile[];
  places: PlacesFile;
}

export async function readCatalogueFiles(): Promise<CatalogueFiles> {
  const [sdg, frameworks, dimensions, indicators, places] = await Promise.all([
    readJson<SdgFile>('sdg.json'),
    readJson<FrameworkFile[]>('frameworks.json'),
    readJson<DimensionFile[]>('dimensions.json'),
    readJson<IndicatorFile[]>('indicators.json'),
    readJson<PlacesFile>('places.json'),
  ]);
  return { sdg, frameworks, dimensions, indicators, places };
}
