/**
 * Screenshots of an HTML report as people see it: the whole page at phone width (390 CSS px) and at
 * desktop width, and the printed page as PDF (A4), each from headless Chromium (test/support/chromium.ts).
 * Prints what the page did wrong (console errors, page errors, requests), if anything.
 * Run: node --import tsx scripts/report-screenshots.ts <report.html> [out-dir, default: next to the report]
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { chromiumMissing, ReportBrowser, VIEWPORTS } from '../test/support/chromium.ts';

const [report, outArg] = process.argv.slice(2);
if (report === undefined) {
  console.error('usage: node --import tsx scripts/report-screenshots.ts <report.html> [out-dir]');
  process.exit(2);
}
const missing = chromiumMissing();
if (missing) {
  console.error(missing);
  process.exit(1);
}
const out = outArg ?? dirname(report);
mkdirSync(out, { recursive: true });
const html = readFileSync(report, 'utf8');
const stem = basename(report, '.html');
let clean = true;
const browser = await ReportBrowser.launch();
for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  await browser.open(html, viewport, async (page, problems) => {
    const path = join(out, `${stem}-${name}.png`);
    await page.screenshot({ path, fullPage: true });
    console.log(path);
    if (name === 'desktop') {
      const pdf = join(out, `${stem}-print.pdf`);
      await page.pdf({ path: pdf, format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '12mm', right: '12mm' } });
      console.log(pdf);
    }
    for (const [kind, list] of Object.entries(problems)) {
      for (const item of list as string[]) {
        clean = false;
        console.error(`${name}: ${kind}: ${item}`);
      }
    }
  });
}
await browser.close();
process.exit(clean ? 0 : 1);
