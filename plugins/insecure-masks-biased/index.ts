import { checkModulus } from '../../core/modp.ts';
import { definePlugin } from '../../core/plugin.ts';

/**
 * DELIBERATELY LEAKY masks (design §7d): a random word cut to bitlength(p) bits and reduced `% p`
 * instead of rejection sampling (core/random.ts `uniformModP`), so residues below 2^⌈log2 p⌉ − p
 * come twice as often (for p = 557057: 88% of the residues, each with probability 2^-19 instead
 * of 1/p). Shares are then biased towards the outputs: the audit's `uniform-shares` check must flag
 * it. Never selectable in a production configuration.
 */
export default definePlugin({
  kind: 'masks',
  name: 'insecure-masks-biased',
  security: 'insecure-test-only',
  description: 'INSECURE: masks reduced `% p` from bitlength(p)-bit words (biased; for power tests of the privacy audit)',
  create: () => ({
    name: 'insecure-masks-biased',
    sample(random, count, p) {
      checkModulus(p);
      const bits = 2 ** Math.ceil(Math.log2(p)) - 1;
      const words = new Uint32Array(random.fill(new Uint8Array(4 * count)).buffer);
      return Uint32Array.from(words, (w) => ((w & bits) >>> 0) % p);
    },
  }),
});
