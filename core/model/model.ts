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
}
