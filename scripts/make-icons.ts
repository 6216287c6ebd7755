// Draws the web app's PNG icons from packages/web/public/icons/icon.svg with Chromium (issue 21): 192 and 512 pixels,
// and a maskable 512 whose drawing keeps inside the safe circle (80 %). Run after changing the SVG:
//   npx tsx scripts/make-icons.ts
// The PNGs are committed; the build copies packages/web/public into packages/web/dist.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const DIR = path.resolve(import.meta.dirname, '../packages/web/public/icons');
const svg = readFileSync(path.join(DIR, 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  for (const [file, size, inset] of [
    ['icon-192.png', 192, 0],
    ['icon-512.png', 512, 0],
    ['icon-maskable-512.png', 512, 0.1],
  ] as const) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const pad = Math.round(size * inset);
    await page.setContent(
      `<html><body style="margin:0;background:#0b5563"><div style="padding:${pad}px;width:${size - 2 * pad}px;height:${size - 2 * pad}px">${svg.replace('<svg ', `<svg width="${size - 2 * pad}" height="${size - 2 * pad}" `)}</div></body></html>`,
    );
    await page.screenshot({ path: path.join(DIR, file), omitBackground: false });
    await page.close();
  }
} finally {
  await browser.close();
}
