// `marsad report`: a report page to PDF through a server started for the command on a new
// embedded database (with the demonstration data, as `marsad serve` would). Chromium and
// pdftotext are needed for the PDF; without them that test is skipped with a message unless
// MARSAD_REQUIRE_BROWSER=1 (CI).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marsad, ROOT } from './run-marsad.ts';

const CHROMIUM = process.env.MARSAD_CHROMIUM || '/usr/bin/chromium';
const missing =
  process.env.MARSAD_SKIP_BROWSER === '1'
    ? 'MARSAD_SKIP_BROWSER=1'
    : !existsSync(CHROMIUM)
      ? `no Chromium at ${CHROMIUM} (apt-get install chromium fonts-noto-core)`
      : spawnSync('pdftotext', ['-v']).error
        ? 'no pdftotext (apt-get install poppler-utils)'
        : null;
const run = missing === null || (process.env.MARSAD_REQUIRE_BROWSER === '1' && process.env.MARSAD_SKIP_BROWSER !== '1');
if (missing && !run) console.warn(`marsad report to PDF: ${missing} — skipped`);

describe('marsad report', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-report-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a page that is not a report page, and --cities without --out-dir', async () => {
    const env = { MARSAD_DATA_DIR: path.join(dir, 'none') };
    const r = await marsad(['report', '/admin/users', '--lang', 'ar'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Not a report page/);
    const c = await marsad(['report', '--cities', '--lang', 'ar'], env);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/--out-dir/);
    expect(existsSync(path.join(dir, 'none'))).toBe(false);
  });

  it.runIf(run)(
    'writes the city profile of Agadir in Arabic as a PDF with its text',
    { timeout: 300_000 },
    async () => {
      if (missing) throw new Error(`MARSAD_REQUIRE_BROWSER=1: ${missing}`);
      execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-web.mjs')], { stdio: 'inherit' });
      const out = path.join(dir, 'agadir.pdf');
      const r = await marsad(['report', '/places/MAAGA', '--lang', 'ar', '--out', out], {
        MARSAD_DATA_DIR: path.join(dir, 'data'),
      });
      expect(r.code, r.stderr).toBe(0);
      expect((await readFile(out)).subarray(0, 5).toString()).toBe('%PDF-');
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', out, '-'], { encoding: 'utf8' }).replace(
        /[\u200e\u200f\u202a-\u202e]/g,
        '',
      );
      expect(text).toContain('أكادير');
      expect(text).toContain('المؤشرات');
    },
  );
});
