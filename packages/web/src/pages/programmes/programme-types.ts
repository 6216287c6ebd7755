import type { ComparisonView, Figures2030, Margins, SourceView, YearValue } from '@marsad/core';
import type { Names } from '../../api/types.ts';

/**
 * The 2030 figures and what they are made of are defined once in core (results/targets-2030.ts), for the server and the
 * pages.
 */
export type { ComparisonView, Figures2030, Margins, SourceView, YearValue };

/**
 * What the programme pages read from the results API (packages/server/src/results/
 * programme-view.ts, targets-2030.ts, budget.ts; docs/methods/results.md).
 */

export type ResultLevel = 'impact' | 'outcome' | 'output' | 'activity';
export const RESULT_LEVELS: readonly ResultLevel[] = ['impact', 'outcome', 'output', 'activity'];
export type ResultStatus = 'planned' | 'under-way' | 'completed' | 'suspended' | 'cancelled';
export const RESULT_STATUSES: readonly ResultStatus[] = ['planned', 'under-way', 'completed', 'suspended', 'cancelled'];
export type MeasureStatus = 'achieved' | 'on-track' | 'off-track' | 'no-data' | 'no-target';

export interface PlaceView {
  place: string;
  name: string | null;
  level: string;
}
export interface PartnerView {
  organisationId: number | null;
  name: string | null;
  names: Names;
}

export interface ProgrammeListItem {
  code: string;
  name: string | null;
  names: Names;
  description: string | null;
  startYear: number;
  endYear: number;
  status: ResultStatus;
  demonstration: boolean;
  progress: number | null;
  coverage: number;
  results: number;
  measures: number;
  places: number;
  pillars: number;
}

export interface PlaceLatest extends PlaceView {
  latest: {
    year: number;
    value: number | null;
    suppressedBelow: number | null;
    status: string;
    source: SourceView | null;
  } | null;
}

export interface ActualView {
  year: number;
  value: number;
  from: 'observations' | 'entered' | 'computed';
  sources: SourceView[];
  status: string | null;
  notes?: Names;
}

export interface MeasureView {
  id: number;
  kind: 'indicator' | 'specific' | 'computed';
  name: string | null;
  names: Names;
  definitions: Names;
  indicator: { code: string; name: string | null; names: Names } | null;
  series: { code: string; name: string | null } | null;
  formula: string | null;
  unit: string | null;
  unitNames: Names;
  measure: 'unit' | 'percentage';
  ascending: boolean;
  aggregation: 'sum' | 'mean' | null;
  weight: number;
  position: number;
  demonstration: boolean;
  places: PlaceLatest[];
  baseline: { year: number; value: number | null; from: 'entered' | 'observations' | 'definition' } | null;
  targets: { year: number; value: number; notes: Names }[];
  actuals: ActualView[];
  actual: ActualView | null;
  target: { year: number; value: number } | null;
  progress: number | null;
  expected: number | null;
  status: MeasureStatus;
}

export interface ResultView {
  id: number;
  parentId: number | null;
  level: ResultLevel;
  code: string | null;
  title: string | null;
  titles: Names;
  description: string | null;
  descriptions: Names;
  startDate: string | null;
  endDate: string | null;
  status: ResultStatus;
  weight: number;
  position: number;
  places: PlaceView[];
  partners: PartnerView[];
  pillars: string[];
  progress: number | null;
  coverage: number;
  measures: MeasureView[];
  children: ResultView[];
}

export interface PillarView {
  code: string;
  kind: string;
  name: string | null;
  names: Names;
  description: string | null;
  descriptions: Names;
  position: number;
}

export interface ProgrammeView {
  code: string;
  name: string | null;
  names: Names;
  description: string | null;
  descriptions: Names;
  startYear: number;
  endYear: number;
  status: ResultStatus;
  reference: string | null;
  reportingOrg: { ref: string | null; type: string | null; name: string | null; names: Names };
  demonstration: boolean;
  pillars: PillarView[];
  places: (PlaceView & { role: string; sinceYear: number | null; notes: Names })[];
  partners: PartnerView[];
  progress: number | null;
  coverage: number;
  results: ResultView[];
  targets2030: Figures2030 | null;
}

export interface BudgetLineView {
  id: number;
  label: string | null;
  labels: Names;
  currency: string;
  year: number;
  endYear: number | null;
  amount: number;
  result: { id: number; code: string | null; title: string | null } | null;
  notes: Names;
  demonstration: boolean;
}
export interface BudgetView {
  programme: string;
  demonstration: boolean;
  lines: BudgetLineView[];
  totals: { currency: string; amount: number; lines: number }[];
  conversion: null | {
    currency: string;
    total: number;
    complete: boolean;
    lines: {
      id: number;
      currency: string;
      amount: number;
      rate: number;
      rateYear: number;
      rateSource: string | null;
      converted: number;
    }[];
    missingRates: { from: string; to: string; year: number; lines: number[] }[];
  };
}
export interface ExchangeRate {
  from: string;
  to: string;
  year: number;
  rate: number;
  source: string | null;
}
