import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeHtml, htmlTable, renderPage } from './html.ts';
import { markdownTable } from './markdown.ts';

/** The five entities escapeHtml writes, undone (a reader's view of the text). */
function unescape(html: string): string {
  return html.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
}

describe('report HTML', () => {
  it('property: escaped text holds no markup and reads back as the original', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const html = escapeHtml(text);
        assert.ok(!/[<>"']/.test(html));
        assert.ok(!/&(?!(amp|lt|gt|quot|#39);)/.test(html), 'every & starts an entity');
        assert.equal(unescape(html), text);
      }),
    );
  });

  it('a page is self-contained: no script, no external stylesheet, font, image or link', () => {
    const page = renderPage({ title: 'T <1>', summary: 's', sections: ['<section><h2>x</h2></section>'] });
    assert.ok(page.startsWith('<!DOCTYPE html>'));
    assert.ok(page.includes('<title>T &lt;1&gt;</title>'));
    assert.ok(page.includes('name="viewport"'));
    assert.ok(!/<script|<link|@import|url\(|src=|href=/i.test(page));
  });

  it('tables right-align numeric columns and mark rows', () => {
    const table = htmlTable([{ header: 'name' }, { header: 'bytes', numeric: true }], [['a', '1 kB'], ['b', '2 kB']], (i) => (i === 1 ? 'failed' : undefined));
    assert.ok(table.includes('<th class="num" scope="col">bytes</th>'));
    assert.ok(table.includes('<tr><td>a</td><td class="num">1 kB</td></tr>'));
    assert.ok(table.includes('<tr class="failed"><td>b</td>'));
  });
});

describe('report Markdown tables', () => {
  it('property: every row has exactly one cell per column, whatever the cells hold', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 3, maxLength: 3 }), { maxLength: 5 }), (rows) => {
        const lines = markdownTable(['a', 'b', 'c'], rows, [false, true, false]).split('\n');
        assert.equal(lines.length, rows.length + 2);
        assert.equal(lines[1], '|---|---:|---|');
        for (const line of lines) {
          // cell separators: pipes not preceded by an odd number of backslashes
          const separators = line.match(/(?<!\\)(?:\\\\)*\|/g) ?? [];
          assert.equal(separators.length, 4, line);
        }
      }),
    );
  });
});
