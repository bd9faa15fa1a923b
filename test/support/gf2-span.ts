/**
 * Linear algebra over GF(2)^128 for privacy checks on views: whether a secret 128-bit block (a
 * free-XOR Δ) is an XOR of blocks a party holds. If it is not, no inactive label (active ⊕ Δ) can
 * be derived linearly from the view.
 */

/** A 16-byte block as a 128-bit integer (byte k is bits 8k..8k+7). */
export function blockToBigInt(block: Uint8Array): bigint {
  return block.reduce((acc, byte, k) => acc | (BigInt(byte) << BigInt(8 * k)), 0n);
}

/** A basis of span(vectors) over GF(2), reduced by leading bit; `inSpan` tests membership. */
export class Span {
  readonly #basis = new Map<number, bigint>();

  add(v: bigint): void {
    v = this.#reduce(v);
    if (v !== 0n) this.#basis.set(v.toString(2).length - 1, v);
  }

  /** Every 16-byte block of `bytes` (whose length must be a multiple of 16). */
  addBlocks(bytes: Uint8Array): void {
    if (bytes.length % 16 !== 0) throw new RangeError(`Span.addBlocks: ${bytes.length} bytes is not a whole number of blocks`);
    for (let k = 0; k < bytes.length; k += 16) this.add(blockToBigInt(bytes.subarray(k, k + 16)));
  }

  inSpan(v: bigint): boolean {
    return this.#reduce(v) === 0n;
  }

  get dimension(): number {
    return this.#basis.size;
  }

  #reduce(v: bigint): bigint {
    for (let bit = 127; bit >= 0 && v !== 0n; bit--) {
      const b = this.#basis.get(bit);
      if (b !== undefined && (v >> BigInt(bit)) & 1n) v ^= b;
    }
    return v;
  }
}
