/**
 * Circuit privacy of the HE backend (design §5, §7b): does the decryption noise of a ciphertext the
 * server returns depend on the server's weights? The experiment runs a small packed linear layer —
 * Σ_j rotate(x, j) ⊙ w_j over `terms` weight vectors, like one output of GAZELLE's hybrid matvec —
 * under two weight sets, collects the client-side decryption noise of every coefficient of every
 * returned ciphertext, and compares the two samples with a two-sample Kolmogorov–Smirnov test.
 */
import { randomInt } from 'node:crypto';
import { withScope } from '../core/dispose.ts';
import type { HeBackend, HeClientKeys, HeServerKeys } from '../core/he.ts';
import { ksTwoSample, type KsResult } from './stats/ks.ts';

export interface NoiseComparison extends KsResult {
  /** Smallest flooding margin (bits) the backend reported for the returned ciphertexts. */
  readonly marginBits: number;
}

/** Rotation steps the experiment needs for `terms` weight vectors (to request in `generateKeys`). */
export function experimentSteps(terms: number): number[] {
  return Array.from({ length: terms - 1 }, (_, j) => j + 1);
}

/**
 * Decryption noise of `runs` returned ciphertexts, each computed from a fresh upload of `input` with
 * `weights` (one slot vector per term), concatenated.
 */
export function returnedNoise(
  backend: HeBackend,
  keys: { client: HeClientKeys; server: HeServerKeys },
  input: Uint32Array,
  weights: readonly Uint32Array[],
  runs: number,
): { noise: Float64Array; marginBits: number } {
  if (!backend.decryptionNoise) throw new TypeError(`${backend.name} cannot report decryption noise`);
  const n = backend.params.polyModulusDegree;
  const noise = new Float64Array(runs * n);
  let marginBits = Number.POSITIVE_INFINITY;
  withScope((scope) => {
    const plains = weights.map((w) => scope.track(backend.encodeForMultiply(w)));
    for (let run = 0; run < runs; run++) {
      const finished = withScope((inner) => {
        const x = inner.track(backend.deserialize(backend.encryptSymmetric(input, keys.client)));
        const acc = inner.track(backend.mulPlain(x, plains[0]!));
        for (let j = 1; j < plains.length; j++) {
          const rotated = inner.track(backend.rotateRows(x, j, keys.server));
          backend.addInPlace(acc, inner.track(backend.mulPlain(rotated, plains[j]!)));
        }
        return backend.finish(acc, keys.server);
      });
      marginBits = Math.min(marginBits, finished.marginBits);
      withScope((inner) => {
        const returned = inner.track(backend.deserialize(finished.bytes));
        noise.set(backend.decryptionNoise!(returned, keys.client), run * n);
      });
    }
  });
  return { noise, marginBits };
}

/** KS test between the returned-ciphertext noise under weight sets `a` and `b` (fresh keys for the experiment). */
export function compareWeightSets(
  backend: HeBackend,
  input: Uint32Array,
  a: readonly Uint32Array[],
  b: readonly Uint32Array[],
  runs: number,
): NoiseComparison {
  if (a.length !== b.length || a.length === 0) throw new RangeError('compareWeightSets: weight sets must have the same, non-zero number of terms');
  return withScope((scope) => {
    const client = scope.track(backend.generateKeys(experimentSteps(a.length)));
    const server = scope.track(backend.importServerKeys(backend.exportServerKeys(client)));
    const ra = returnedNoise(backend, { client, server }, input, a, runs);
    const rb = returnedNoise(backend, { client, server }, input, b, runs);
    return { ...ksTwoSample(ra.noise, rb.noise), marginBits: Math.min(ra.marginBits, rb.marginBits) };
  });
}

/**
 * The standard circuit-privacy check: all-ones weights (the noise barely grows) against uniform
 * weights mod p (it grows by about √n·p), `terms` of each, `runs` returned ciphertexts per set, on a
 * random 8-bit input. A p-value is uniform under the null hypothesis, so after a p ≤ 0.01 the check is
 * re-drawn once: false alarms stay at 10^-4, while a real leak (p ≈ 0) fails both draws.
 */
export function onesVersusUniform(backend: HeBackend, terms = 4, runs = 6): NoiseComparison {
  const { slotCount: n, plainModulus: p } = backend.params;
  const ones = Array.from({ length: terms }, () => new Uint32Array(n).fill(1));
  const uniform = Array.from({ length: terms }, () => Uint32Array.from({ length: n }, () => randomInt(p)));
  const draw = () => compareWeightSets(backend, Uint32Array.from({ length: n }, () => randomInt(256)), ones, uniform, runs);
  const first = draw();
  return first.pValue > 0.01 ? first : draw();
}
