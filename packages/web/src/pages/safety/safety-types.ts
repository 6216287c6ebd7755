import type {
  AssessmentAnswers,
  AssessmentChange,
  AssessmentCheck,
  AssessmentProfile,
  IndicatorPrefill,
  SafetyFrameworkIndicator,
  SafetyFrameworkStructure,
} from '@marsad/core';

/** The answers of `/api/v1/safety-monitor/…` and `/api/v1/safety-assessments/…` the pages read. */
export interface FrameworkVersionView {
  id: number;
  framework: string;
  version: number;
  structure: SafetyFrameworkStructure;
  note: string;
  createdAt: string;
}

export interface AssessmentSummary {
  id: number;
  place: string;
  state: 'draft' | 'submitted';
  demo: boolean;
  frameworkVersion: number;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  counts: { strengths: number; connect: number; weakest: number; unassessed: number };
}

export interface AssessmentView extends AssessmentSummary {
  placeNames: Record<string, string>;
  framework: { id: number; version: number; structure: SafetyFrameworkStructure; latestVersion: number };
  answers: AssessmentAnswers;
  prefill: Record<string, IndicatorPrefill>;
  prefilledOn: string;
  previous: { id: number; submittedAt: string | null } | null;
  changes: AssessmentChange[];
  canWrite: boolean;
}

export interface SuggestedTool {
  id: number;
  type: string;
  title: string;
  language: string;
}

export interface AssessmentProfileView {
  assessment: AssessmentView;
  profile: AssessmentProfile;
  tools: Record<string, SuggestedTool[]>;
}

export type { AssessmentCheck, SafetyFrameworkIndicator, SafetyFrameworkStructure };

/** How many indicators UN-Habitat's Urban Safety Monitor has (../shared/docs/DOMAIN.md), said in the reader's digits. */
export const USM_SOURCE_INDICATORS = 15;

export const CHECKS: readonly AssessmentCheck[] = ['exists', 'regular', 'disaggregated', 'used'];

/** Every indicator with its theme code (null: not yet under a theme), in the framework's order. */
export function indicatorsOf(
  s: SafetyFrameworkStructure,
): { theme: string | null; indicator: SafetyFrameworkIndicator }[] {
  return [
    ...s.themes.flatMap((t) => t.indicators.map((indicator) => ({ theme: t.code, indicator }))),
    ...s.unplaced.map((indicator) => ({ theme: null, indicator })),
  ];
}

/** The empty slots' numbers, by code (slot-03 → 3), for "Empty slot 3". */
export function slotNumber(code: string): number {
  const m = /(\d+)$/.exec(code);
  return m ? Number(m[1]) : 0;
}
