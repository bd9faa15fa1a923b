import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { barChart, histogram } from './svg.ts';

const attr = (tag: string, name: string) => Number(new RegExp(`${name}="([-\\d.]+)"`).exec(tag)![1]);
const tags = (svg: string, cls: string) => svg.match(new RegExp(`<rect class="${cls}"[^>]*>`, 'g')) ?? [];

describe('bar chart', () => {
  it('one bar per category and series, widths proportional to the values, the largest spanning the plot', () => {
    const svg = barChart({ caption: 'c', categories: ['a', 'b', 'c'], series: [{ name: 'x', values: [10, 40, 0] }, { name: 'y', values: [20, 30, 5] }], format: String });
    const bars = tags(svg, 'bar');
    assert.equal(bars.length, 6);
    const widths = bars.map((b) => attr(b, 'width'));
    // order: category a (x, y), b (x, y), c (x, y)
    assert.deepEqual(bars.map((b) => attr(b, 'data-value')), [10, 20, 40, 30, 0, 5]);
    const full = widths[2]!;
    assert.ok(full > 300, `the largest bar spans most of the 480-wide chart: ${full}`);
    for (const [i, v] of [10, 20, 40, 30, 0, 5].entries()) assert.ok(Math.abs(widths[i]! - (full * v) / 40) < 0.02, `bar ${i}: ${widths[i]} for ${v}`);
  });

  it('every value is printed beside its bar and in its tooltip; names are escaped', () => {
    const svg = barChart({ caption: 'a <b> & "c"', categories: ['<script>alert(1)</script>'], series: [{ name: 'x&y', values: [1234] }], format: (v) => `${v} B` });
    assert.ok(!svg.includes('<script>'));
    assert.ok(svg.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(svg.includes('x&amp;y, &lt;script&gt;alert(1)&lt;/script&gt;: 1234 B'));
    assert.ok(svg.includes('>1234 B</text>'));
    assert.ok(svg.includes('aria-label="a &lt;b&gt; &amp; &quot;c&quot;"'));
  });

  it('a marked series (a configuration that failed a check) is drawn dashed and says so in the legend', () => {
    const svg = barChart({ caption: 'c', categories: ['a'], series: [{ name: 'ok', values: [1] }, { name: 'bad', values: [2], marked: true }], format: String });
    const [ok, bad] = tags(svg, 'bar');
    assert.ok(!ok!.includes('stroke-dasharray') && bad!.includes('stroke-dasharray'));
    assert.ok(svg.includes('>bad (fails)</text>'));
  });

  it('all zeros draw empty bars, not NaN', () => {
    const svg = barChart({ caption: 'c', categories: ['a', 'b'], series: [{ name: 'x', values: [0, 0] }], format: String });
    assert.ok(!svg.includes('NaN'));
    assert.deepEqual(tags(svg, 'bar').map((b) => attr(b, 'width')), [0, 0]);
  });

  it('refuses values that cannot be drawn, naming the series and the value', () => {
    const chart = (values: number[]) => () => barChart({ caption: 'c', categories: values.map(String), series: [{ name: 'margin', values }], format: String });
    assert.throws(chart([1, -20.5]), /series "margin", value 1 is -20.5 \(bars need a finite value ≥ 0\)/);
    assert.throws(chart([NaN]), /value 0 is NaN/);
    assert.throws(() => barChart({ caption: 'c', categories: ['a', 'b'], series: [{ name: 's', values: [1] }], format: String }), /series "s" has 1 values for 2 categories/);
    assert.throws(() => barChart({ caption: 'c', categories: ['a'], series: [], format: String }), /no series/);
  });

  it('property: the chart is well-formed for any finite values (every bar inside the view box)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ min: 0, max: 1e12, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const svg = barChart({ caption: 'c', categories: ['a', 'b', 'c'], series: rows.map((values, i) => ({ name: `s${i}`, values })), format: (v) => v.toExponential(2) });
        const width = Number(/viewBox="0 0 (\d+) /.exec(svg)![1]);
        const bars = tags(svg, 'bar');
        assert.equal(bars.length, rows.length * 3);
        for (const b of bars) assert.ok(attr(b, 'width') >= 0 && attr(b, 'width') <= width);
        assert.ok(!svg.includes('NaN') && !svg.includes('Infinity'));
      }),
    );
  });
});

describe('histogram', () => {
  it('one bin rectangle per bin and series, heights proportional to the counts, the interval marked', () => {
    const svg = histogram({
      caption: 'noise',
      edges: [-4, -2, 0, 2, 4],
      series: [{ name: 'fixed', counts: [1, 4, 2, 0] }, { name: 'random', counts: [2, 2, 2, 2] }],
      interval: { lo: -8, hi: 8, label: 'flooding interval' },
      format: String,
    });
    const bins = tags(svg, 'bin');
    assert.equal(bins.length, 8);
    const heights = bins.map((b) => attr(b, 'height'));
    const tallest = heights[1]!;
    for (const [i, c] of [1, 4, 2, 0, 2, 2, 2, 2].entries()) assert.ok(Math.abs(heights[i]! - (tallest * c) / 4) < 0.02, `bin ${i}`);
    assert.ok(svg.includes('flooding interval'));
    // the interval (−8..8) is wider than the bins (−4..4): the axis spans it, and the bins sit in its middle half
    const xs = bins.slice(0, 4).map((b) => attr(b, 'x'));
    const interval = /<g class="interval"><rect x="([\d.]+)"[^>]*width="([\d.]+)"/.exec(svg)!;
    const [ix, iw] = [Number(interval[1]), Number(interval[2])];
    assert.ok(Math.abs(xs[0]! - (ix + iw / 4)) < 0.02 && Math.abs(xs[2]! - (ix + iw / 2)) < 0.02);
  });

  it('refuses edges that do not increase and counts that do not fit the bins', () => {
    assert.throws(() => histogram({ caption: 'h', edges: [0, 1, 1], series: [{ name: 's', counts: [1, 1] }], format: String }), /bin edges must increase \(edge 1: 1, edge 2: 1\)/);
    assert.throws(() => histogram({ caption: 'h', edges: [0], series: [{ name: 's', counts: [] }], format: String }), /at least 2 bin edges/);
    assert.throws(() => histogram({ caption: 'h', edges: [0, 1, 2], series: [{ name: 's', counts: [1] }], format: String }), /has 1 values for 2 categories/);
  });
});
