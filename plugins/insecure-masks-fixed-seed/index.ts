import type { MaskSampler } from '../../core/masks.ts';
import { definePlugin } from '../../core/plugin.ts';
import { seededRandom, type RandomSource } from '../../core/random.ts';
import { uniformMasks } from '../uniform-masks/index.ts';

/** The seed a debugging build might leave in place of the session's random source. */
const FIXED_SEED = 'debug';

/**
 * DELIBERATELY LEAKY masks (design §7d, "a fixed PRG seed"), decorating the uniform sampler: it
 * draws from a PRG with a fixed seed, created anew for each server session, instead of from the
 * session's random source. Every session then masks with the same values, so a client that sends
 * the same image twice receives the same shares, and the difference of two sessions' shares is the
 * difference of the layer outputs. The audit's `fresh-shares` check must flag it. Never selectable
 * in a production configuration.
 */
export class FixedSeedMasks implements MaskSampler {
  readonly name = 'insecure-masks-fixed-seed';
  /** One fixed-seed stream per session (the session's random source identifies it). */
  readonly #streams = new WeakMap<RandomSource, RandomSource>();

  constructor(private readonly inner: MaskSampler) {}

  sample(...[random, count, p]: Parameters<MaskSampler['sample']>): Uint32Array {
    let stream = this.#streams.get(random);
    if (!stream) this.#streams.set(random, (stream = seededRandom(FIXED_SEED, 'masks')));
    return this.inner.sample(stream, count, p);
  }
}

export default definePlugin({
  kind: 'masks',
  name: 'insecure-masks-fixed-seed',
  security: 'insecure-test-only',
  description: 'INSECURE: masks from a PRG with a fixed seed instead of the session\'s random source (for power tests of the privacy audit)',
  create: () => new FixedSeedMasks(uniformMasks),
});
