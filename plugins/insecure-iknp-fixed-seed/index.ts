import { AesCtrPrg } from '../../core/crypto/aes.ts';
import { definePlugin } from '../../core/plugin.ts';
import { IknpExtension, type ColumnPrg } from '../iknp/iknp.ts';

/** The constant a debugging build might leave in place of the base-OT key. */
const FIXED_SEED = new Uint8Array(16);

/**
 * DELIBERATELY LEAKY variant of `iknp` (design §7d): every column PRG is seeded with a fixed
 * constant instead of its base-OT key. Outputs stay correct, but G(k_j^0) = G(k_j^1), so the
 * receiver's message u_j = G(k_j^0) ⊕ G(k_j^1) ⊕ r is its choice vector r in the clear. The
 * audit's `canary` check must flag it. Never selectable in a production configuration.
 */
export function fixedSeedPrg(): ColumnPrg {
  return new AesCtrPrg(FIXED_SEED);
}

export default definePlugin({
  kind: 'ot-extension',
  name: 'insecure-iknp-fixed-seed',
  security: 'insecure-test-only',
  description: 'INSECURE: iknp whose column PRGs ignore the base-OT keys and use a fixed seed (for power tests of the privacy audit)',
  create: (_options, plugins) => new IknpExtension(plugins.get('base-ot'), fixedSeedPrg, 'insecure-iknp-fixed-seed'),
});
