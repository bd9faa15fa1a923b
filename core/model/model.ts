/**
 * A quantised model: the public architecture and the server's private integer weights, one
 * `LinearWeights` (core/linear.ts) per linear layer, keyed by the layer's name.
 */
import type { LinearWeights } from '../linear.ts';
import type { Architecture } from './architecture.ts';

export type ModelWeights = ReadonlyMap<string, LinearWeights>;

export interface Model {
  readonly architecture: Architecture;
  readonly weights: ModelWeights;
  /**
   * 32 random bytes stored in the weights file: `modelFingerprint` hashes the weights under it, so
   * the fingerprint identifies the model version without letting anyone confirm guessed weights.
   * Set by `quantise` and `loadModel`; a model without one gets a fresh salt when saved.
   */
  readonly salt?: Uint8Array;
}
