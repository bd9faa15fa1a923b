import type { MaskSampler } from '../../core/masks.ts';
import { definePlugin } from '../../core/plugin.ts';
import { uniformModP } from '../../core/random.ts';

/** The secure sampler, which the deliberately leaky mask plugins (insecure-masks-*) decorate. */
export const uniformMasks: MaskSampler = { name: 'uniform', sample: uniformModP };

export default definePlugin({
  kind: 'masks',
  name: 'uniform',
  security: 'semi-honest',
  description: 'masks uniform mod p by rejection sampling from the session\'s random source',
  create: () => uniformMasks,
});
