import { definePlugin } from '../../core/plugin.ts';
import { SealBfvBackend } from '../seal-bfv/seal-bfv.ts';

/**
 * DELIBERATELY LEAKY variant of `seal-bfv` (design §7d): `finish` returns the ciphertext exactly as
 * computed — no re-randomisation, no noise flooding, no mod-switch (like GAZELLE's public code) — so
 * its decryption noise depends on the server's weights. It exists to prove that the circuit-privacy
 * test has power; never selectable in a production configuration. Same options as `seal-bfv`.
 */
export default definePlugin({
  kind: 'he',
  name: 'insecure-seal-bfv-no-flooding',
  security: 'insecure-test-only',
  description: 'INSECURE: seal-bfv without noise flooding (leaks weights through decryption noise; for power tests)',
  create: (options) => SealBfvBackend.create(options, { name: 'insecure-seal-bfv-no-flooding', flooding: false }),
});
