import fc from 'fast-check';
import JSZip from 'jszip';
import { DEFAULT_UPLOAD_LIMITS } from '../../src/http/upload-limits.ts';
import type { HostileFile } from './hostile-files.ts';
import { hostileString } from './hostile-files.ts';

/**
 * Hostile Open SDG repositories for POST /api/v1/imports/repository: a small valid repository
 * (two data files, metadata with front matter, a translation file), zipped after its files were
 * changed — text replaced by hostile strings or YAML, names made hostile (outside the folder,
 * NUL, very long), a file repeated until the zip holds more entries than the repository limit
 * (MARSAD_UPLOAD_MAX_REPOSITORY_ENTRIES, its default) — and the zip's
 * bytes then sometimes truncated or spliced.
 */

export const REPOSITORY_FILES: Record<string, string> = {
  'data/indicator_16-1-1.csv': 'Year,SEX,Value\n2019,,6.5\n2020,F,4\n',
  'data/indicator_11-1-1.csv': 'Year,Value\n2018,31\n',
  'meta/16-1-1.md': `---
national_indicator_description: national_indicator_description.16-1-1
computation_units: Per 100,000 population
data_footnote: <p>Police records.</p>
reporting_status: complete
source_active_1: true
source_organisation_1: Police
---
Body **text**.
`,
  'meta/ar/16-1-1.md': '---\ncomputation_units: لكل ١٠٠٬٠٠٠ نسمة\n---\n',
  'translations/ar/national_indicator_description.yml': "'16-1-1': ضحايا القتل العمد\n",
};

const HOSTILE_YAML = [
  '---\na: &x [*x]\n---\n',
  '---\n: : :\n---\n',
  '---\nkey: [unclosed\n---\n',
  '---\n- a\n- b\n---\n',
  '---\nreporting_status: 42\ngraph_titles: [{series: null, title: {a: 1}}]\n---\n',
  '---\nsource_active_1: false\nsource_organisation_1: x\n',
  `---\nnational_indicator_description: ${'x'.repeat(120_000)}\n---\n`,
  '---\n__proto__: {polluted: true}\nconstructor: x\n---\n',
  'a: b\nc: *undefined_alias\n',
];

const HOSTILE_NAMES = [
  '../escape/data/indicator_1-1-1.csv',
  'data/../../indicator_1-1-1.csv',
  'data/indicator_1-1-1.csv\u0000.txt',
  `data/indicator_${'1-'.repeat(200)}1.csv`,
  'data/indicator_١-١-١.csv',
  'meta/xx-invalid-lang!/1-1-1.md',
  'translations/ar/../../x.yml',
  'data/archived-16-1-1.csv',
  'indicator-config/16-1-1.yml',
];

type RepoMutation =
  | { op: 'text'; file: number; text: string }
  | { op: 'append'; file: number; text: string }
  | { op: 'yaml'; file: number; yaml: string }
  | { op: 'add'; name: string; text: string }
  | { op: 'entries'; count: number };

const mutation: fc.Arbitrary<RepoMutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('text' as const), file: fc.nat(), text: hostileString }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('append' as const),
      file: fc.nat(),
      text: hostileString.map((s) => `\n2021,${s},${s}\n`),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('yaml' as const), file: fc.nat(), yaml: fc.constantFrom(...HOSTILE_YAML) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      name: fc.oneof(
        fc.constantFrom(...HOSTILE_NAMES),
        hostileString.map((s) => `data/${s}`),
      ),
      text: fc.oneof(fc.constant('Year,Value\n2020,1\n'), hostileString),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('entries' as const),
      count: fc.constantFrom(30, DEFAULT_UPLOAD_LIMITS.maxRepositoryEntries + 1),
    }),
  },
);

type ZipMutation = { op: 'none' } | { op: 'truncate'; at: number } | { op: 'splice'; at: number; bytes: Uint8Array };

const zipMutation: fc.Arbitrary<ZipMutation> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ op: 'none' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('splice' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
  },
);

async function build(mutations: RepoMutation[], zipOp: ZipMutation, top: string): Promise<Buffer> {
  const files = new Map(Object.entries(REPOSITORY_FILES));
  const names = () => [...files.keys()];
  for (const m of mutations) {
    if (m.op === 'text') files.set(names()[m.file % files.size]!, m.text);
    else if (m.op === 'append') {
      const n = names()[m.file % files.size]!;
      files.set(n, files.get(n) + m.text);
    } else if (m.op === 'yaml') {
      const metas = names().filter((n) => !n.startsWith('data/'));
      files.set(metas[m.file % metas.length]!, m.yaml);
    } else if (m.op === 'add') files.set(m.name, m.text);
    else for (let i = 0; i < m.count; i++) files.set(`meta/extra-${i}.txt`, 'x');
  }
  const zip = new JSZip();
  for (const [name, text] of files) zip.file(`${top}${name}`, text);
  let bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  if (zipOp.op !== 'none') {
    const at = Math.floor(zipOp.at * bytes.length);
    bytes =
      zipOp.op === 'truncate'
        ? bytes.subarray(0, at)
        : Buffer.concat([bytes.subarray(0, at), Buffer.from(zipOp.bytes), bytes.subarray(at)]);
  }
  return bytes;
}

/** Hostile repositories, built when the property runs (JSZip writes asynchronously). */
export const hostileRepository: fc.Arbitrary<() => Promise<HostileFile>> = fc
  .tuple(
    fc.array(mutation, { minLength: 0, maxLength: 4 }),
    zipMutation,
    fc.constantFrom('', 'sdg-data-main/'),
    fc.record({ allOrNothing: fc.boolean(), dryRun: fc.boolean(), createIndicators: fc.boolean() }),
  )
  .map(([mutations, zipOp, top, flags]) => async () => ({
    query: {
      place: 'MAAGA',
      publisher: 'Hostile office',
      fileName: 'repository.zip',
      ...Object.fromEntries(
        Object.entries(flags)
          .filter(([, v]) => v)
          .map(([k]) => [k, 'true']),
      ),
    },
    contentType: 'application/zip',
    body: await build(mutations, zipOp, top),
    story: [...mutations.map((m) => JSON.stringify(m).slice(0, 160)), zipOp.op, JSON.stringify(flags)],
  }));
