/**
 * Local operations on additive shares mod p (design §1: linear maps on shares need no crypto). Both
 * parties apply the same public map to their own share, so the shares of the result add up to the
 * result.
 */
import { addMod } from '../modp.ts';

/** out[i] = Σ_j x[gather[i·window + j]] mod p (sum pooling; `window` elements per output). */
export function sumGathered(x: Uint32Array, gather: Int32Array, window: number, p: number): Uint32Array {
  const out = new Uint32Array(gather.length / window);
  for (let i = 0, at = 0; i < out.length; i++) {
    let acc = 0;
    for (let j = 0; j < window; j++) acc = addMod(acc, x[gather[at++]!]!, p);
    out[i] = acc;
  }
  return out;
}

/**
 * The circuit inputs of a garbled stage from a share: `values[j][i]` = x[gather[i·pool + j]] (window
 * element j of instance i), or x[i] itself without a gather.
 */
export function windowValues(x: Uint32Array, gather: Int32Array | null, pool: number): number[][] {
  if (!gather) return [Array.from(x)];
  const instances = gather.length / pool;
  return Array.from({ length: pool }, (_, j) => Array.from({ length: instances }, (_, i) => x[gather[i * pool + j]!]!));
}

/** x mod p as values in [0, p) (a signed integer input, e.g. the quantised image). */
export function toZp(x: Int32Array, p: number): Uint32Array {
  return Uint32Array.from(x, (v) => ((v % p) + p) % p);
}
