/**
 * The bit-matrix transpose at the heart of IKNP (Ishai-Kilian-Nissim-Petrank 2003, §3): the
 * extension produces 128 columns of m bits and each OT needs one 128-bit row.
 *
 * Layout: `columns` holds 128 columns of `wordsPerColumn` 32-bit words each (column j at words
 * [j·W, (j+1)·W)); bit r of a column is bit r%32 of its word r/32. `rows` receives one 128-bit
 * row per OT as 4 words, bit j of a row being bit j%32 of its word j/32. On a little-endian
 * machine that is also bit j%8 of byte j/8, which is the byte layout the OT code relies on.
 */

/** The OT code reads and writes 32-bit words through byte buffers and sends them: little-endian only. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const scratch = new Int32Array(32);

/**
 * rows[r·4 + j/32] bit j%32 = column j bit r, for r < rowCount (rowCount ≤ 32·wordsPerColumn).
 * Works on 32x32 blocks with the recursive swap of Hacker's Delight §7-3 (five rounds of masked
 * shifts), transposing LSB-first so that bit c of word k becomes bit k of word c.
 */
export function transposeColumnsToRows(columns: Uint32Array, wordsPerColumn: number, rows: Uint32Array, rowCount: number): void {
  const W = wordsPerColumn;
  if (rowCount > W * 32) throw new RangeError(`transpose: ${rowCount} rows do not fit in ${W} words per column`);
  if (columns.length < 128 * W) throw new RangeError(`transpose: need ${128 * W} column words, got ${columns.length}`);
  if (rows.length < rowCount * 4) throw new RangeError(`transpose: need ${rowCount * 4} row words, got ${rows.length}`);
  const a = scratch;
  for (let wb = 0; wb < W; wb++) {
    const r0 = wb << 5;
    const n = Math.min(32, rowCount - r0);
    for (let jb = 0; jb < 4; jb++) {
      const base = jb * 32 * W + wb;
      for (let k = 0; k < 32; k++) a[k] = columns[base + k * W]!;
      let mask = 0x0000ffff;
      for (let j = 16; j !== 0; j >>>= 1, mask ^= mask << j) {
        for (let k = 0; k < 32; k = (k + j + 1) & ~j) {
          const t = ((a[k]! >>> j) ^ a[k + j]!) & mask;
          a[k]! ^= t << j;
          a[k + j]! ^= t;
        }
      }
      for (let c = 0; c < n; c++) rows[((r0 + c) << 2) + jb] = a[c]!;
    }
  }
}
