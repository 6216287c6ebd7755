import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const pages = (process.argv[2] ?? '/,/indicators,/indicators/16.1.1,/indicators/11.6.2,/places,/places/MAAGA,/places/MAR,/compare?places=MAAGA%252CJOAMM&indicator=16.1.1,/status?framework=sdg,/status?framework=urban-safety').split(',');
const langs = (process.argv[3] ?? 'ar,en').split(',');
for (const lang of langs) {
  const ctx = await browser.newContext({ baseURL: 'http://127.0.0.1:4555' });
  await ctx.addInitScript((l) => localStorage.setItem('marsad.lang', l), lang);
  for (const p of pages) {
    const page = await ctx.newPage();
    const msgs: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') msgs.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => msgs.push(`pageerror: ${e.message}`));
    const t0 = Date.now(); await page.goto(decodeURIComponent(p));
    await page.waitForSelector('main h1');
    await page.waitForFunction(() => document.querySelectorAll('[role=status]').length === 0);
    if (process.env.TRY_TAG) { try { await page.addScriptTag({ content: axeSource }); console.log('addScriptTag ok', await page.evaluate(() => typeof (window as any).axe)); } catch (e) { console.log('addScriptTag failed', String(e).slice(0, 200)); } }
    await page.evaluate(axeSource);
    const res: any = await page.evaluate(() => (window as any).axe.run());
    console.log(lang, p, Date.now() - t0, "ms", "passes", res.passes.length, "incomplete", res.incomplete.map((x: any) => x.id + ":" + x.impact).join(" "));
    for (const v of process.env.INC ? res.incomplete : res.violations) {
      console.log(`  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length})`);
      for (const n of v.nodes.slice(0, 4)) console.log('      ', n.target.join(' '), '|', n.html.slice(0, 160), '|', (n.failureSummary ?? '').replace(/\n/g, ' ').slice(0, 300));
    }
    for (const m of msgs) console.log('   ', m.slice(0, 300));
    await page.close();
  }
  await ctx.close();
}
await browser.close();
