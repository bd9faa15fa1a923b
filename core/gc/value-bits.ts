/**
 * Party input values as bits and back. A run's input bits are ordered (value, bit, instance): row r
 * is bit r of the concatenated input values, one entry per circuit instance; a chunk of instances
 * takes the same rows for its instances only. Labels follow the same order (16 bytes an entry).
 */

/** Input values of one party: `values[k][i]` is value k of instance i. */
export type GcInputValues = readonly (readonly (number | bigint)[])[];

export function sum(widths: readonly number[]): number {
  return widths.reduce((s, w) => s + w, 0);
}

/** Every input bit of every instance, ordered (value, bit, instance); checks shapes and ranges up front. */
export function valueBits(values: GcInputValues, widths: readonly number[], instances: number, who: string): Uint8Array {
  if (values.length !== widths.length) throw new RangeError(`${who}: expected ${widths.length} input values, got ${values.length}`);
  const bits = new Uint8Array(sum(widths) * instances);
  const limbs = new Uint32Array(instances);
  let row = 0;
  for (let k = 0; k < widths.length; k++) {
    const width = widths[k]!;
    const column = values[k]!;
    if (column.length !== instances) throw new RangeError(`${who}: input value ${k} needs one entry per instance (${instances}), got ${column.length}`);
    for (let i = 0; i < instances; i++) {
      const raw = column[i]!;
      if (typeof raw === 'number' && !Number.isSafeInteger(raw)) throw new RangeError(`${who}: input value ${k} of instance ${i} is not an integer: ${raw}`);
      if (raw < 0 || (width < 53 ? raw >= 2 ** width : BigInt(raw) >> BigInt(width) !== 0n)) {
        throw new RangeError(`${who}: input value ${k} of instance ${i} (${raw}) does not fit in ${width} bits`);
      }
    }
    // 32 bits at a time: one limb per instance (number arithmetic; BigInt only for bigint values),
    // then bit rows written in order.
    for (let base = 0; base < width; base += 32) {
      for (let i = 0; i < instances; i++) {
        const raw = column[i]!;
        limbs[i] = typeof raw === 'number' ? Math.floor(raw / 2 ** base) >>> 0 : Number(BigInt.asUintN(32, raw >> BigInt(base)));
      }
      for (let j = base; j < Math.min(width, base + 32); j++) {
        const at = (row + j) * instances;
        for (let i = 0; i < instances; i++) bits[at + i] = (limbs[i]! >>> (j - base)) & 1;
      }
    }
    row += width;
  }
  return bits;
}

/** Output values from bits ordered (value, bit, instance): `outputs[k][i]`, 32 bits at a time. */
export function decodeValues(bits: Uint8Array, widths: readonly number[], count: number): bigint[][] {
  const limbs = new Float64Array(count);
  let row = 0;
  return widths.map((width) => {
    const values = new Array<bigint>(count).fill(0n);
    for (let top = width; top > 0; top -= 32) {
      limbs.fill(0);
      for (let j = top - 1; j >= Math.max(0, top - 32); j--) {
        const at = (row + j) * count;
        for (let i = 0; i < count; i++) limbs[i] = limbs[i]! * 2 + bits[at + i]!;
      }
      const shift = BigInt(Math.min(32, top));
      for (let i = 0; i < count; i++) values[i] = (values[i]! << shift) | BigInt(limbs[i]!);
    }
    row += width;
    return values;
  });
}

/** The bits of instances [from, from + count) of `bits` (ordered (row, instance)), in the same order. */
export function chunkOf(bits: Uint8Array, instances: number, from: number, count: number): Uint8Array {
  if (count === instances) return bits;
  const rows = bits.length / instances;
  const out = new Uint8Array(rows * count);
  for (let r = 0; r < rows; r++) out.set(bits.subarray(r * instances + from, r * instances + from + count), r * count);
  return out;
}
