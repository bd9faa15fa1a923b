import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFigure, renderFigures } from './figures.ts';

describe('benchmark figures as text', () => {
  it('takes units from the key names the suites use', () => {
    assert.equal(formatFigure('seconds', 0.34), '340 ms');
    assert.equal(formatFigure('setupSeconds', 1.5), '1.5 s');
    assert.equal(formatFigure('parseMs', 2.5), '2.5 ms');
    assert.equal(formatFigure('setupBytes', 6181), '6.18 kB');
    assert.equal(formatFigure('bytesPerCot', 16.0039), '16 B');
    assert.equal(formatFigure('cotPerSecond', 9.4e6), '9.4 M/s');
    assert.equal(formatFigure('mbPerSecond', 2033.4), '2,033 MB/s');
    assert.equal(formatFigure('tcpToMemcpyRatio', 0.0712), '0.0712×');
    assert.equal(formatFigure('met', false), 'no');
    assert.equal(formatFigure('count', 1048576), '1,048,576');
    assert.equal(formatFigure('adder64', 2.5, (v) => `${v} ms`), '2.5 ms', 'a section key with a unit lends it to its entries');
  });

  it('renders sections as indented tables, long texts as paragraphs, and no JSON', () => {
    const text = renderFigures(
      { method: 'x'.repeat(50), count: 4096, baseOt: { seconds: 0.36, bytes: 4132 }, parseMs: { aes_128: 12 }, layers: [{ layer: 'fc1', seconds: 0.137 }] },
      'ot',
    );
    assert.equal(
      text,
      [
        'ot',
        '  count  4,096',
        `  method: ${'x'.repeat(50)}`,
        '  base ot',
        '    seconds   360 ms',
        '    bytes    4.13 kB',
        '  parse ms',
        '    aes_128  12 ms',
        '  layers: fc1',
        '    layer       fc1',
        '    seconds  137 ms',
      ].join('\n'),
    );
  });
});
