import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatBitRate, formatBytes, formatDuration, formatInteger, formatRate, renderTable } from './format.ts';

describe('human-readable figures', () => {
  it('sizes in decimal units, at most 3 significant digits', () => {
    const cases: [number, string][] = [
      [0, '0 B'],
      [512, '512 B'],
      [1234, '1.23 kB'],
      [1.2e6, '1.2 MB'],
      [211_025, '211 kB'],
      [999_700, '1 MB'],
      [340e6, '340 MB'],
      [2.1e9, '2.1 GB'],
    ];
    for (const [bytes, text] of cases) assert.equal(formatBytes(bytes), text, String(bytes));
  });

  it('durations from nanoseconds to hours', () => {
    const cases: [number, string][] = [
      [0, '0 s'],
      [850e-9, '850 ns'],
      [12e-6, '12 µs'],
      [0.34, '340 ms'],
      [0.9996, '1 s'],
      [1.5, '1.5 s'],
      [59.99, '1 min 0 s'],
      [125, '2 min 5 s'],
      [3720, '1 h 2 min'],
    ];
    for (const [seconds, text] of cases) assert.equal(formatDuration(seconds), text, String(seconds));
  });

  it('rates, link speeds and integers', () => {
    assert.equal(formatRate(9.4e6), '9.4 M/s');
    assert.equal(formatRate(11.1e6, 'AND'), '11.1 M AND/s');
    assert.equal(formatRate(512), '512/s');
    assert.equal(formatBitRate(400e6 / 8), '400 Mbit/s');
    assert.equal(formatBitRate(3e9 / 8), '3 Gbit/s');
    assert.equal(formatBitRate(Infinity), 'unlimited');
    assert.equal(formatInteger(1_024_000), '1,024,000');
  });

  it('every size reads back within 0.5% of its value (property)', () => {
    const scale: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e17, noNaN: true }), (bytes) => {
        const [, number, prefix] = /^([\d.]+) ([kMGTP]?)B$/.exec(formatBytes(bytes))!;
        const back = Number(number) * scale[prefix!]!;
        assert.ok(Math.abs(back - bytes) / bytes <= 0.005, `${bytes} -> ${formatBytes(bytes)}`);
      }),
    );
  });

  it('tables align columns and right-align numbers', () => {
    const text = renderTable(['name', 'bytes'], [['aes', '211 kB'], ['adder', '4.2 kB']]);
    assert.equal(text, ['name    bytes', '-----  ------', 'aes    211 kB', 'adder  4.2 kB'].join('\n'));
  });
});
