/**
 * A square activation before a dense layer, on shares x = c + s (design §8): x² = c² + 2s·c + s².
 * The client uploads [c] and [c²]; the server applies W to [c²] (with the layer's bias b) and
 * W' = W·diag(2s) to [c] with bias W·s², and adds: W·x² + b. Folding 2s into the weights keeps one
 * plaintext multiplication per ciphertext (multiplying [c] by 2s first and then by W would be two,
 * and two products leave less than the 40-bit flooding margin at the secure preset). W' depends on
 * the server's share, which is fixed offline, so it is encoded in the offline phase.
 */
import type { LinearWeights } from '../linear.ts';
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
