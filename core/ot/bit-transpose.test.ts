import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { transposeColumnsToRows } from './bit-transpose.ts';

/** Reference: one bit at a time, straight from the layout's definition. */
function naiveTranspose(columns: Uint32Array, W: number, rowCount: number): Uint32Array {
  const rows = new Uint32Array(rowCount * 4);
  for (let r = 0; r < rowCount; r++) {
    for (let j = 0; j < 128; j++) {
      const bit = (columns[j * W + (r >>> 5)]! >>> (r & 31)) & 1;
      rows[r * 4 + (j >>> 5)]! |= bit << (j & 31);
    }
  }
  return rows;
}

describe('bit-matrix transpose (128 x m)', () => {
  it('matches the bit-by-bit definition for any width and row count', () => {
    const matrix = fc.integer({ min: 1, max: 9 }).chain((W) =>
      fc.tuple(fc.constant(W), fc.integer({ min: 0, max: 32 * W }), fc.uint32Array({ minLength: 128 * W, maxLength: 128 * W })),
    );
    fc.assert(
      fc.property(matrix, ([W, rowCount, columns]) => {
        const rows = new Uint32Array(rowCount * 4 + 4).fill(0xdeadbeef);
        transposeColumnsToRows(columns, W, rows, rowCount);
        assert.deepEqual(rows.subarray(0, rowCount * 4), naiveTranspose(columns, W, rowCount));
        assert.ok(rows.subarray(rowCount * 4).every((w) => w === 0xdeadbeef), 'wrote past the last row');
      }),
    );
  });

  it('a single set bit lands where the layout says', () => {
    const W = 2;
    const columns = new Uint32Array(128 * W);
    columns[77 * W + 1] = 1 << 5; // column 77, row 37
    const rows = new Uint32Array(64 * 4);
    transposeColumnsToRows(columns, W, rows, 64);
    assert.equal(rows[37 * 4 + 2], 1 << 13); // row 37, bit 77 = word 2 bit 13
    assert.equal(rows.reduce((n, w) => n + (w === 0 ? 0 : 1), 0), 1);
  });

  it('rejects shapes that do not fit', () => {
    assert.throws(() => transposeColumnsToRows(new Uint32Array(128), 1, new Uint32Array(33 * 4), 33), RangeError);
    assert.throws(() => transposeColumnsToRows(new Uint32Array(127), 1, new Uint32Array(4), 1), RangeError);
  });
});
