/**
 * The HTML reports in a real browser (headless Chromium, test/support/chromium.ts): the curated
 * comparison under reports/examples/ as committed, and pages rendered now from its measured figures
 * (report.json). Each must load nothing from anywhere, log no error, show its charts with the
 * figures of the JSON, fit a phone's width, and keep its charts when printed. Skipped, saying so,
 * only where no Chromium is installed (.ci/run installs Debian's).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumMissing, ReportBrowser, VIEWPORTS, type PageProblems } from '../../test/support/chromium.ts';
import type { Comparison } from '../compare.ts';
import type { Measurement } from '../measurement.ts';
import type { AuditDocument } from '../audit-report.ts';
import { comparisonHtml } from './compare-report.ts';
import { measurementHtml } from './measurement-report.ts';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'reports', 'examples');
const comparison = JSON.parse(readFileSync(join(EXAMPLES, 'compare-D', 'report.json'), 'utf8')) as Comparison;
const committedHtml = readFileSync(join(EXAMPLES, 'compare-D', 'report.html'), 'utf8');
const committedSessionHtml = readFileSync(join(EXAMPLES, 'D-secure', 'report.html'), 'utf8');
const audit = JSON.parse(readFileSync(join(EXAMPLES, 'audit-D', 'report.json'), 'utf8')) as AuditDocument;
const committedAuditHtml = readFileSync(join(EXAMPLES, 'audit-D', 'report.html'), 'utf8');
const missing = chromiumMissing();
if (missing) console.log(`# the report browser tests are skipped: ${missing}`);

function clean(problems: PageProblems): void {
  assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], requests: [] });
}

interface RenderedBar {
  value: number;
  width: number;
}

/** Every chart on the page: its bars' values and rendered widths, and its legend. */
async function charts(page: Page): Promise<{ bars: RenderedBar[]; legend: string; box: { width: number; height: number } }[]> {
  return page.$$eval('svg.chart.bar-chart', (svgs) =>
    svgs.map((svg) => ({
      bars: [...svg.querySelectorAll('rect.bar')].map((r) => ({ value: Number(r.getAttribute('data-value')), width: r.getBoundingClientRect().width })),
      legend: svg.querySelector('.legend')?.textContent ?? '',
      box: { width: svg.getBoundingClientRect().width, height: svg.getBoundingClientRect().height },
    })),
  );
}

/** Bars drawn in proportion to their values: widths over values agree across the chart (to a pixel). */
function proportional(bars: RenderedBar[]): void {
  const max = bars.reduce((a, b) => (b.value > a.value ? b : a));
  assert.ok(max.width > 100, `the largest bar is drawn wide: ${max.width}px`);
  for (const bar of bars) assert.ok(Math.abs(bar.width - (max.width * bar.value) / max.value) <= 1, `bar of ${bar.value}: ${bar.width}px against ${max.width}px for ${max.value}`);
}

async function fitsWidth(page: Page, width: number): Promise<void> {
  const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  assert.ok(scrollWidth <= width, `the page is ${scrollWidth}px wide in a ${width}px viewport (tables scroll inside their box; the page must not)`);
}

describe('HTML reports in headless Chromium', { skip: missing }, () => {
  const measured = comparison.configurations.filter((c) => c.measurement !== undefined);
  let browser: ReportBrowser;
  before(async () => {
    browser = await ReportBrowser.launch();
  });
  after(() => browser?.close());

  for (const [label, html] of [
    ['the committed example comparison', committedHtml],
    ['a comparison rendered now from its JSON', comparisonHtml(comparison)],
  ] as const) {
    it(`${label}: no console error, no request, the charts hold the JSON's figures`, async () => {
      for (const [name, viewport] of Object.entries(VIEWPORTS)) {
        await browser.open(html, viewport, async (page, problems) => {
          const found = await charts(page);
          assert.equal(found.length, 5, `${name}: time, bytes and rounds per phase, offline and online time per layer`);
          const [time, bytes, rounds] = found;
          assert.deepEqual(
            time!.bars.map((b) => b.value),
            ['setup', 'offline', 'online'].flatMap((phase) => measured.map((c) => (phase === 'setup' ? c.measurement!.setup.seconds : c.measurement!.median[phase as 'offline' | 'online'].seconds))),
          );
          assert.equal(bytes!.bars.length, 6 * measured.length);
          assert.deepEqual(rounds!.bars.map((b) => b.value), ['setup', 'offline', 'online'].flatMap((phase) => measured.map((c) => (phase === 'setup' ? c.measurement!.setup.rounds : c.measurement!.median[phase as 'offline' | 'online'].rounds))));
          for (const chart of found) proportional(chart.bars);
          for (const c of comparison.configurations.filter((x) => !x.passed)) assert.ok(time!.legend.includes(`${c.name} (fails)`), `${c.name} is marked in the legend: ${time!.legend}`);
          if (name === 'phone') await fitsWidth(page, viewport.width);
          clean(problems);
        });
      }
    });
  }

  it('the committed session report (D-secure): the secure configuration of the example, per-layer time and bytes, phases, on a phone and in print', async () => {
    const m = measured.find((c) => c.name === 'secure')!.measurement! as Measurement;
    assert.equal(committedSessionHtml, measurementHtml(m), 'the committed page is the one its figures render to');
    await browser.open(committedSessionHtml, VIEWPORTS.phone, async (page, problems) => {
      const found = await charts(page);
      assert.equal(found.length, 3);
      const [phaseBytes, layerTime] = found;
      assert.deepEqual(phaseBytes!.bars.map((b) => b.value), [m.setup.clientToServer, m.setup.serverToClient, m.median.offline.clientToServer, m.median.offline.serverToClient, m.median.online.clientToServer, m.median.online.serverToClient]);
      assert.deepEqual(layerTime!.bars.map((b) => b.value), m.median.layers.flatMap((l) => [l.offline.seconds, l.online.seconds]));
      for (const chart of found) proportional(chart.bars);
      await fitsWidth(page, VIEWPORTS.phone.width);
      await page.emulateMedia({ media: 'print' });
      const printed = await charts(page);
      assert.ok(printed.every((c) => c.box.width > 200 && c.box.height > 50), `charts keep their size in print: ${JSON.stringify(printed.map((c) => c.box))}`);
      const overflow = (await page.evaluate("[...document.querySelectorAll('.table-wrap')].map((w) => getComputedStyle(w).overflowX)")) as string[];
      assert.ok(overflow.every((o) => o === 'visible'), 'printed tables are not cut to a scrolling box');
      clean(problems);
    });
  });

  it('the committed audit of D: every check in its table, the evidence charts, the noise histograms and the performance charts, on a phone', async () => {
    await browser.open(committedAuditHtml, VIEWPORTS.phone, async (page, problems) => {
      const rows = (await page.$$eval('tbody tr', (trs) => trs.map((tr) => tr.querySelector('td strong')?.textContent ?? ''))) as string[];
      for (const a of audit.audits) for (const c of a.checks) assert.ok(rows.includes(c.name), `the ${a.observer}'s check ${c.name} has its row`);
      const found = await charts(page);
      const statistical = audit.audits.filter((a) => a.checks.some((c) => c.pValue !== undefined));
      assert.equal(found.length, statistical.length + 3, 'an evidence chart per observer, and bytes per phase, time and bytes per layer');
      for (const chart of found) proportional(chart.bars);
      const bins = (await page.$$eval('svg.chart.histogram', (svgs) => svgs.map((svg) => svg.querySelectorAll('rect.bin').length))) as number[];
      assert.deepEqual(bins, [80, 80], 'two histograms (with and without flooding), 40 bins of two series each');
      await fitsWidth(page, VIEWPORTS.phone.width);
      clean(problems);
    });
  });
});
