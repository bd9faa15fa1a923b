/**
 * A square activation before a linear layer, on shares x = c + s (design §8): x² = c² + 2s·c + s².
 * The client uploads [c] and [c²].
 * - Dense: the server applies W to [c²] (with the layer's bias b) and W' = W·diag(2s) to [c] with
 *   bias W·s², and adds: W·x² + b. Folding 2s into the weights keeps one plaintext product per
 *   ciphertext: at the secure preset FC 980→100 keeps 65 bits of flooding margin, against 44 bits
 *   when [c] is first multiplied by 2s (measured with the noise model). W' depends on the server's
 *   share, which is fixed offline, so it is encoded in the offline phase.
 * - Conv: W·diag(2s) is no convolution, so the server forms [x²] = [c²] + [c]·2s + s² slot-wise
 *   and applies the layer: two products deep (about 45 bits of margin for Conv 3x3 64→64 at the
 *   secure preset; the backend refuses to return a ciphertext below the inference's requirement).
 */
import type { LinearWeights, SlotLayout } from '../linear.ts';
import { addMod, mulMod, reduceMod } from '../modp.ts';

/** The session layer for a dense slice with weights W (outputs×inputs) and the server's input share s. */
export function crossTermLayer(slice: LinearWeights, share: Uint32Array, p: number): LinearWeights {
  const inputs = share.length;
  const outputs = slice.bias.length;
  if (slice.weights.length !== inputs * outputs) throw new RangeError(`square: ${slice.weights.length} weights for ${outputs}×${inputs}`);
  const twice = Uint32Array.from(share, (v) => addMod(v, v, p));
  const squared = Uint32Array.from(share, (v) => mulMod(v, v, p));
  const weights = new Int32Array(inputs * outputs);
  const bias = new Int32Array(outputs);
  for (let o = 0; o < outputs; o++) {
    let acc = 0;
    for (let i = 0; i < inputs; i++) {
      const w = reduceMod(slice.weights[o * inputs + i]!, p);
      weights[o * inputs + i] = mulMod(w, twice[i]!, p);
      acc = addMod(acc, mulMod(w, squared[i]!, p), p);
    }
    bias[o] = acc;
  }
  return { weights, bias };
}

/** c² mod p, slot by slot (what the client uploads besides [c]). */
export function squareMod(c: Uint32Array, p: number): Uint32Array {
  return Uint32Array.from(c, (v) => mulMod(v, v, p));
}

/** The slot vectors of 2s and s² in `layout` (the conv form of the cross term). */
export function crossTermSlots(layout: SlotLayout, share: Uint32Array, p: number): { twiceShare: Uint32Array[]; shareSquared: Uint32Array[] } {
  return {
    twiceShare: layout.pack(Uint32Array.from(share, (v) => addMod(v, v, p))),
    shareSquared: layout.pack(squareMod(share, p)),
  };
}
