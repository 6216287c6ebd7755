import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const pages = ['/', '/indicators', '/indicators/16.1.1', '/indicators/11.6.2', '/places', '/places/MAAGA', '/places/MAR', '/compare?places=MAAGA,JOAMM&indicator=16.1.1', '/status?framework=sdg', '/status?framework=urban-safety'];
for (const lang of ['ar', 'en']) {
  const ctx = await browser.newContext({ baseURL: 'http://127.0.0.1:4555' });
  await ctx.addInitScript((l) => localStorage.setItem('marsad.lang', l), lang);
  for (const p of pages) {
    const page = await ctx.newPage();
    const msgs: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') msgs.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => msgs.push(`pageerror: ${e.message}`));
    const r = await page.goto(p);
    await page.waitForTimeout(2500);
    const h1 = await page.locator('h1').allTextContents();
    console.log(lang, p, r?.status(), JSON.stringify(h1), await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]));
    for (const m of msgs) console.log('   ', m.slice(0, 300));
    await page.close();
  }
  await ctx.close();
}
await browser.close();
