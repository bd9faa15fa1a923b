/**
 * The distribution behind the HE circuit-privacy check (harness/he-noise.ts; docs/architecture.md §3
 * and §6): the client-side decryption noise of ciphertexts the server returns, under all-ones weights
 * and under uniform weights mod p, as one histogram of both. With flooding the two coincide (the
 * noise is the flooding noise, whatever the weights); without it they differ visibly, and the KS
 * test says by how much.
 */
import { randomInt } from 'node:crypto';
import { withScope } from '../../core/dispose.ts';
import type { HeBackend } from '../../core/he.ts';
import { experimentSteps, returnedNoise } from '../he-noise.ts';
import { ksTwoSample } from '../stats/ks.ts';
import { equalWidthBins } from './bins.ts';
import type { Histogram } from './svg.ts';

export interface NoiseHistogramOptions {
  /** Weight vectors per returned ciphertext (default 4, as the check). */
  readonly terms?: number;
  /** Returned ciphertexts per weight set (each gives n noise coefficients; default 2). */
  readonly runs?: number;
  readonly bins?: number;
}

/** A histogram of the decryption noise under both weight sets on `backend` (fresh keys), with the KS test in its note. */
export function decryptionNoiseHistogram(backend: HeBackend, options: NoiseHistogramOptions = {}): Histogram & { readonly title: string; readonly note: string } {
  const { terms = 4, runs = 2, bins = 40 } = options;
  const { slotCount: n, plainModulus: p } = backend.params;
  const ones = Array.from({ length: terms }, () => new Uint32Array(n).fill(1));
  const uniform = Array.from({ length: terms }, () => Uint32Array.from({ length: n }, () => randomInt(p)));
  const input = Uint32Array.from({ length: n }, () => randomInt(256));
  const [a, b] = withScope((scope) => {
    const client = scope.track(backend.generateKeys(experimentSteps(terms)));
    const server = scope.track(backend.importServerKeys(backend.exportServerKeys(client)));
    return [returnedNoise(backend, { client, server }, input, ones, runs), returnedNoise(backend, { client, server }, input, uniform, runs)];
  });
  const ks = ksTwoSample(a.noise, b.noise);
  const { edges, counts } = equalWidthBins([a.noise, b.noise], bins);
  const margin = Math.min(a.marginBits, b.marginBits);
  return {
    title: `Decryption noise of returned ciphertexts: ${backend.name}`,
    note:
      `${a.noise.length} noise coefficients per weight set (${runs} returned ciphertexts of ${terms} rotated products each, fresh keys, ${backend.params.preset} parameters), ` +
      `as a fraction of the plaintext's scale. Kolmogorov–Smirnov: D = ${ks.statistic.toPrecision(3)}, p = ${ks.pValue.toExponential(2)}; ` +
      `flooding margin ${margin.toFixed(1)} bits. The circuit-privacy check fails when p ≤ 0.01 twice.`,
    caption: `Decryption noise under all-ones weights and uniform weights mod p (${backend.name}): where the server's weights stay hidden, the two distributions are one`,
    edges,
    series: [
      { name: 'all-ones weights', counts: counts[0]! },
      { name: 'uniform weights', counts: counts[1]! },
    ],
    format: (v) => v.toExponential(1),
  };
}
