import type { Names } from '@marsad/db';
import { csvLine } from '../formats/common/csv-cell.ts';
import type { BudgetView } from './budget.ts';
import type { MeasureView, ProgrammeView, ResultView } from './programme-view.ts';

/**
 * A programme's results framework as CSV (one row per measure, a result without a measure on a
 * row of its own) and as IATI activity XML 2.03 (docs/methods/results.md, "Exports"): result type 1 output,
 * 2 outcome, 3 impact, 9 other (activities); each measure an indicator with its measure (1 unit,
 * 2 percentage), ascending flag, baseline and one period per year with a target or an actual.
 */

/** The results depth-first, with their depth (0 for a top result). */
function* walk(results: ResultView[], depth = 0): Generator<{ r: ResultView; depth: number }> {
  for (const r of results) {
    yield { r, depth };
    yield* walk(r.children, depth + 1);
  }
}

const t = (n: Names | null | undefined, lang: string) => n?.[lang] ?? '';

export const CSV_COLUMNS = [
  'programme',
  'demonstration',
  'result_id',
  'parent_id',
  'depth',
  'level',
  'result_code',
  'result_title_ar',
  'result_title_en',
  'result_status',
  'result_weight',
  'result_progress',
  'result_coverage',
  'responsible_places',
  'pillars',
  'measure_id',
  'measure_kind',
  'indicator',
  'series',
  'formula',
  'measure_name_ar',
  'measure_name_en',
  'unit',
  'iati_measure',
  'ascending',
  'places',
  'aggregation',
  'measure_weight',
  'baseline_year',
  'baseline_value',
  'baseline_from',
  'targets',
  'actual_year',
  'actual_value',
  'actual_from',
  'actual_sources',
  'progress',
  'expected',
  'status',
  'measure_demonstration',
] as const;

/**
 * Numbers are passed as numbers and text as text: csvLine neutralises text cells that a
 * spreadsheet would read as a formula (a title "-5 households"), never a number (formats/common/csv-cell.ts).
 */
export function resultsCsv(p: ProgrammeView): string {
  let out = `\uFEFF${csvLine([...CSV_COLUMNS])}`;
  for (const { r, depth } of walk(p.results)) {
    const head = [
      p.code,
      String(p.demonstration),
      r.id,
      r.parentId,
      depth,
      r.level,
      r.code ?? '',
      t(r.titles, 'ar'),
      t(r.titles, 'en'),
      r.status,
      r.weight,
      r.progress,
      r.coverage,
      r.places.map((x) => x.place).join(' '),
      r.pillars.join(' '),
    ];
    const rows: MeasureView[] | [null] = r.measures.length ? r.measures : [null];
    for (const m of rows) {
      out += csvLine(
        m === null
          ? [...head, ...Array(CSV_COLUMNS.length - head.length).fill('')]
          : [
              ...head,
              m.id,
              m.kind,
              m.indicator?.code ?? '',
              m.series?.code ?? '',
              m.formula ?? '',
              t(m.names, 'ar'),
              t(m.names, 'en'),
              m.unitNames.en ?? m.unit ?? '',
              m.measure,
              String(m.ascending),
              m.places.map((x) => x.place).join(' '),
              m.aggregation ?? '',
              m.weight,
              m.baseline?.year,
              m.baseline?.value,
              m.baseline?.from ?? '',
              m.targets.map((x) => `${x.year}=${x.value}`).join('; '),
              m.actual?.year,
              m.actual?.value,
              m.actual?.from ?? '',
              (m.actual?.sources ?? []).map((s) => (s.synthetic ? `${s.name} (synthetic)` : s.name)).join('; '),
              m.progress,
              m.expected,
              m.status,
              String(m.demonstration),
            ],
      );
    }
  }
  return out;
}

// ---- IATI 2.03 -----------------------------------------------------------------------------

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
/** XML comments may not hold "--". */
const comment = (s: string) => `<!-- ${s.replace(/-{2,}/g, '-')} -->`;

/** Narratives of a text in every language it has; English (the activity's default language) without xml:lang. */
function narratives(n: Names, indent: string, fallback?: string): string {
  const entries = Object.entries(n).filter(([, v]) => v.trim());
  if (!entries.length && fallback) entries.push(['en', fallback]);
  entries.sort(([a], [b]) => (a === 'en' ? -1 : b === 'en' ? 1 : a < b ? -1 : 1));
  return entries
    .map(([lang, v]) => `${indent}<narrative${lang === 'en' ? '' : ` xml:lang="${esc(lang)}"`}>${esc(v)}</narrative>`)
    .join('\n');
}

const RESULT_TYPE: Record<string, string> = { output: '1', outcome: '2', impact: '3', activity: '9' };
const ACTIVITY_STATUS: Record<string, string> = {
  planned: '1',
  'under-way': '2',
  completed: '4',
  cancelled: '5',
  suspended: '6',
};
const SDG_INDICATOR = /^\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}$/;

export class IatiExportError extends Error {}

function indicatorXml(m: MeasureView, i: string): string {
  const lines: string[] = [];
  lines.push(
    `${i}<indicator measure="${m.measure === 'percentage' ? '2' : '1'}" ascending="${m.ascending ? '1' : '0'}">`,
  );
  lines.push(`${i}  <title>\n${narratives(m.names, `${i}    `, m.name ?? `Measure ${m.id}`)}\n${i}  </title>`);
  const about: string[] = [];
  if (m.kind === 'indicator')
    about.push(
      `Marsad indicator ${m.indicator!.code}, series ${m.series!.code}; actual values: approved observations of ${m.places.map((x) => x.place).join(', ')}${m.places.length > 1 ? ` (${m.aggregation})` : ''}.`,
    );
  if (m.kind === 'computed') about.push(`Computed by Marsad from the data: ${m.formula} (docs/methods/results.md).`);
  if (m.demonstration) about.push('Demonstration: the baseline, targets and typed actual values are invented.');
  if (about.length)
    lines.push(`${i}  <description>\n${i}    <narrative>${esc(about.join(' '))}</narrative>\n${i}  </description>`);
  if (m.indicator) {
    const sdg = SDG_INDICATOR.test(m.indicator.code);
    lines.push(`${i}  <reference vocabulary="${sdg ? '9' : '99'}" code="${esc(m.indicator.code)}"/>`);
  }
  if (m.baseline && m.baseline.value !== null) {
    lines.push(`${i}  <baseline year="${m.baseline.year}" value="${m.baseline.value}">`);
    const why =
      m.baseline.from === 'observations'
        ? 'From the approved observations of that year.'
        : m.baseline.from === 'definition'
          ? 'By definition: nothing counted in the baseline year.'
          : 'Entered.';
    lines.push(`${i}    <comment>\n${i}      <narrative>${esc(why)}</narrative>\n${i}    </comment>`);
    lines.push(`${i}  </baseline>`);
  }
  const firstYear = m.baseline?.year ?? -Infinity;
  const years = [
    ...new Set([...m.targets.map((x) => x.year), ...m.actuals.filter((a) => a.year >= firstYear).map((a) => a.year)]),
  ].sort((a, b) => a - b);
  for (const y of years) {
    const target = m.targets.find((x) => x.year === y);
    const actual = m.actuals.find((x) => x.year === y);
    lines.push(`${i}  <period>`);
    lines.push(`${i}    <period-start iso-date="${y}-01-01"/>`);
    lines.push(`${i}    <period-end iso-date="${y}-12-31"/>`);
    if (target) lines.push(`${i}    <target value="${target.value}"/>`);
    if (actual) {
      const src = actual.sources.map((s) => (s.synthetic ? `${s.name} (synthetic, not real data)` : s.name)).join('; ');
      const what =
        actual.from === 'observations'
          ? `Approved observations${src ? `; source: ${src}` : ''}.`
          : actual.from === 'computed'
            ? `Computed from approved observations${src ? `; sources: ${src}` : ''}.`
            : `Entered${src ? `; source: ${src}` : ''}.`;
      lines.push(`${i}    <actual value="${actual.value}">`);
      lines.push(`${i}      <comment>\n${i}        <narrative>${esc(what)}</narrative>\n${i}      </comment>`);
      lines.push(`${i}    </actual>`);
    }
    lines.push(`${i}  </period>`);
  }
  lines.push(`${i}</indicator>`);
  return lines.join('\n');
}

/** The programme as one IATI activity. Throws IatiExportError when the reporting organisation is not set. */
export function resultsIati(p: ProgrammeView, budget: BudgetView, now = new Date()): string {
  const ref = p.reportingOrg.ref;
  const type = p.reportingOrg.type;
  if (!ref || !type) {
    throw new IatiExportError(
      "reportingOrg: set the programme's IATI reporting organisation first (reportingOrg.ref, its IATI organisation identifier, and reportingOrg.type, an OrganisationType code) with PATCH /api/v1/programmes/:code.",
    );
  }
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const o: string[] = [];
  o.push('<?xml version="1.0" encoding="UTF-8"?>');
  o.push(`<iati-activities version="2.03" generated-datetime="${stamp}">`);
  if (p.demonstration) o.push(`  ${comment(p.demonstrationNote ?? 'Demonstration data.')}`);
  o.push(`  <iati-activity last-updated-datetime="${stamp}" xml:lang="en">`);
  o.push(`    <iati-identifier>${esc(`${ref}-${p.code}`)}</iati-identifier>`);
  o.push(
    `    <reporting-org ref="${esc(ref)}" type="${esc(type)}">\n${narratives(p.reportingOrg.names, '      ', ref)}\n    </reporting-org>`,
  );
  o.push(`    <title>\n${narratives(p.names, '      ', p.code)}\n    </title>`);
  const description: Names = { ...p.descriptions };
  if (p.demonstration) description.en = `${description.en ? `${description.en} ` : ''}${p.demonstrationNote}`;
  o.push(`    <description type="1">\n${narratives(description, '      ', p.name ?? p.code)}\n    </description>`);
  o.push(
    `    <participating-org ref="${esc(ref)}" type="${esc(type)}" role="2">\n${narratives(p.reportingOrg.names, '      ', ref)}\n    </participating-org>`,
  );
  const partners = new Map<string, Names>();
  for (const x of [...p.partners, ...[...walkAll(p.results)].flatMap((r) => r.partners)]) {
    const key = x.organisationId !== null ? `o${x.organisationId}` : JSON.stringify(x.names);
    if (!partners.has(key) && Object.keys(x.names).length) partners.set(key, x.names);
  }
  for (const names of partners.values())
    o.push(`    <participating-org role="4">\n${narratives(names, '      ')}\n    </participating-org>`);
  o.push(`    <activity-status code="${ACTIVITY_STATUS[p.status] ?? '2'}"/>`);
  o.push(`    <activity-date type="1" iso-date="${p.startYear}-01-01"/>`);
  o.push(`    <activity-date type="3" iso-date="${p.endYear}-12-31"/>`);
  // Budgets: one per year and currency (IATI budget periods are at most a year); lines over several years are not
  // budgets of a year.
  const perYear = new Map<string, { year: number; currency: string; amount: number }>();
  for (const l of budget.lines.filter((x) => x.endYear === null || x.endYear === x.year)) {
    const key = `${l.year}|${l.currency}`;
    const b = perYear.get(key) ?? { year: l.year, currency: l.currency, amount: 0 };
    b.amount += l.amount;
    perYear.set(key, b);
  }
  for (const b of [...perYear.values()].sort((a, c) => a.year - c.year || (a.currency < c.currency ? -1 : 1))) {
    o.push(`    <budget type="1" status="1">`);
    o.push(`      <period-start iso-date="${b.year}-01-01"/>\n      <period-end iso-date="${b.year}-12-31"/>`);
    o.push(
      `      <value currency="${b.currency}" value-date="${b.year}-01-01">${(Math.round(b.amount * 100) / 100).toFixed(2)}</value>`,
    );
    o.push('    </budget>');
  }
  const multi = budget.lines.filter((x) => x.endYear !== null && x.endYear !== x.year);
  if (multi.length)
    o.push(
      `    ${comment(`Budget lines over several years, not written as IATI budgets: ${multi.map((l) => `${l.amount} ${l.currency} ${l.year}-${l.endYear}`).join('; ')}.`)}`,
    );
  const skipped: string[] = [];
  for (const r of walkAll(p.results)) {
    if (!r.measures.length) {
      skipped.push(r.code ?? String(r.id));
      continue;
    }
    o.push(`    <result type="${RESULT_TYPE[r.level]}" aggregation-status="0">`);
    o.push(`      <title>\n${narratives(r.titles, '        ', r.code ?? `Result ${r.id}`)}\n      </title>`);
    if (Object.keys(r.descriptions).length)
      o.push(`      <description>\n${narratives(r.descriptions, '        ')}\n      </description>`);
    for (const m of r.measures) o.push(indicatorXml(m, '      '));
    o.push('    </result>');
  }
  if (skipped.length)
    o.push(`    ${comment(`Results without a measure, which IATI cannot hold: ${skipped.join(', ')}.`)}`);
  o.push('  </iati-activity>');
  o.push('</iati-activities>');
  return `${o.join('\n')}\n`;
}

function* walkAll(results: ResultView[]): Generator<ResultView> {
  for (const r of results) {
    yield r;
    yield* walkAll(r.children);
  }
}
