/**
 * The HTML of reports: one self-contained page (no script, no stylesheet, font or image from
 * anywhere else: charts are inline SVG), readable on a phone (one column, tables that scroll
 * sideways, charts that scale) and in print (no page breaks inside a chart or a table, colours kept).
 */

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML and SVG content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const STYLE = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --rule: #d7d7db; --pass: #1b6e35; --fail: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 62rem; padding: 1rem 1.25rem 3rem; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 1.6rem; margin: .5rem 0 .25rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
p, li { max-width: 48rem; } .muted { color: var(--muted); }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; margin: .5rem 0 1rem; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: .92rem; }
th, td { padding: .3rem .6rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: #f4f4f6; font-weight: 600; } td.num, th.num { text-align: right; white-space: nowrap; }
.pass { color: var(--pass); font-weight: 600; } .fail { color: var(--fail); font-weight: 700; }
tr.failed td { background: #fdecea; }
figure { margin: 1rem 0 1.5rem; } figcaption { font-size: .9rem; color: var(--muted); margin-top: .25rem; }
svg.chart { width: 100%; height: auto; max-width: 40rem; display: block; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0 1rem; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.verdict { display: inline-block; padding: .1rem .5rem; border-radius: .25rem; border: 1px solid currentColor; }
@media (max-width: 40rem) {
  body { padding: .6rem .6rem 2rem; font-size: 15px; }
  dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: .4rem; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .table-wrap { overflow: visible; }
  figure, table, dl.facts { break-inside: avoid; } h2, h3 { break-after: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

export interface Page {
  readonly title: string;
  /** One paragraph under the title (HTML). */
  readonly summary: string;
  /** Sections in order (HTML, each starting with its h2). */
  readonly sections: readonly string[];
}

export function renderPage(page: Page): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(page.title)}</h1>`,
    `<p>${page.summary}</p>`,
    ...page.sections,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export interface Column {
  readonly header: string;
  /** Right-aligned, tabular figures. */
  readonly numeric?: boolean;
}

/** A table; cells are HTML. `rowClass` marks rows (a failed configuration, say). */
export function htmlTable(columns: readonly Column[], rows: readonly (readonly string[])[], rowClass?: (index: number) => string | undefined): string {
  const head = columns.map((c) => `<th${c.numeric ? ' class="num"' : ''} scope="col">${escapeHtml(c.header)}</th>`).join('');
  const body = rows
    .map((row, i) => {
      const cls = rowClass?.(i);
      const cells = row.map((cell, c) => `<td${columns[c]?.numeric ? ' class="num"' : ''}>${cell}</td>`).join('');
      return `<tr${cls ? ` class="${cls}"` : ''}>${cells}</tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

/** Facts as a definition list: label → HTML. */
export function factList(facts: readonly (readonly [string, string])[]): string {
  return `<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

/** A pass/fail verdict, in words and colour (the word alone carries it in black-and-white print). */
export function verdictBadge(pass: boolean, text = pass ? 'pass' : 'FAIL'): string {
  return `<span class="verdict ${pass ? 'pass' : 'fail'}">${escapeHtml(text)}</span>`;
}

export function section(title: string, ...body: readonly string[]): string {
  return [`<section>`, `<h2>${escapeHtml(title)}</h2>`, ...body, `</section>`].join('\n');
}
