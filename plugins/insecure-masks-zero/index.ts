import { checkModulus } from '../../core/modp.ts';
import { definePlugin } from '../../core/plugin.ts';

/**
 * DELIBERATELY LEAKY masks (design §7d, issue 13's power tests): every mask is 0, so the client's
 * share of each layer is the layer's output itself (an "unmasked share": c' = W·x + b). The
 * audit's `uniform-shares` check must flag it. Never selectable in a production configuration.
 */
export default definePlugin({
  kind: 'masks',
  name: 'insecure-masks-zero',
  security: 'insecure-test-only',
  description: 'INSECURE: every mask is 0 (the client receives unmasked layer outputs; for power tests of the privacy audit)',
  create: () => ({
    name: 'insecure-masks-zero',
    sample(_random, count, p) {
      checkModulus(p);
      return new Uint32Array(count);
    },
  }),
});
