import { definePlugin } from '../../core/plugin.ts';
import { seededRandom, uniformModP } from '../../core/random.ts';

/** The seed a debugging build might leave in place of the session's random source. */
const FIXED_SEED = 'debug';

/**
 * DELIBERATELY LEAKY masks (design §7d, "a fixed PRG seed"): masks are uniform but drawn from a PRG
 * with a fixed seed, created anew for each server session, instead of from the session's random
 * source. Every session then masks with the same values, so a client that sends the same image
 * twice receives the same shares, and the difference of two sessions' shares is the difference of
 * the layer outputs. The audit's `fresh-shares` check must flag it. Never selectable in a
 * production configuration.
 */
export default definePlugin({
  kind: 'masks',
  name: 'insecure-masks-fixed-seed',
  security: 'insecure-test-only',
  description: 'INSECURE: masks from a PRG with a fixed seed instead of the session\'s random source (for power tests of the privacy audit)',
  create: () => {
    const streams = new WeakMap<object, ReturnType<typeof seededRandom>>();
    return {
      name: 'insecure-masks-fixed-seed',
      sample(random, count, p) {
        // One fixed-seed stream per session (the session's random source identifies it).
        let stream = streams.get(random);
        if (!stream) streams.set(random, (stream = seededRandom(FIXED_SEED, 'masks')));
        return uniformModP(stream, count, p);
      },
    };
  },
});
