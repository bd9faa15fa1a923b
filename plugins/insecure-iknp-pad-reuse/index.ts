import { AesCtrPrg } from '../../core/crypto/aes.ts';
import { definePlugin } from '../../core/plugin.ts';
import { IknpExtension, type ColumnPrg } from '../iknp/iknp.ts';

/**
 * DELIBERATELY LEAKY variant of `iknp` (design §7d, issue 13's power tests): the column PRG is
 * AES-CTR whose counter restarts at every call — a nonce reset — so every batch of OTs reuses the
 * pads of the first. Outputs stay correct, but the sender sees u ⊕ u' = r ⊕ r' between two batches
 * (the XOR of the receiver's choice vectors), and equal choices give equal traffic. The audit's
 * `repeated-blocks` check must flag it. Never selectable in a production configuration.
 */
export function restartingPrg(key: Uint8Array): ColumnPrg {
  const seed = key.slice();
  return { xorInto: (data) => new AesCtrPrg(seed).xorInto(data) };
}

export default definePlugin({
  kind: 'ot-extension',
  name: 'insecure-iknp-pad-reuse',
  security: 'insecure-test-only',
  description: 'INSECURE: iknp whose column PRG restarts every batch (reused pads; for power tests of the privacy audit)',
  create: (_options, plugins) => new IknpExtension(plugins.get('base-ot'), restartingPrg, 'insecure-iknp-pad-reuse'),
});
