import { definePlugin } from '../../core/plugin.ts';
import { SealBfvBackend } from './seal-bfv.ts';

/**
 * Options: `preset` (`secure`, default, or `fast`) or custom `polyModulusDegree` + `coeffModulusBits`
 * (+ `plainModulus` or `plainModulusBits`); `minMarginBits` (default 40); `acceptLowerMargin` (default false).
 */
export default definePlugin({
  kind: 'he',
  name: 'seal-bfv',
  security: 'semi-honest',
  description: 'BFV on node-seal (SEAL 4.1): batching, seeded uploads, cached NTT weights, noise flooding with a reported margin',
  create: (options) => SealBfvBackend.create(options, { name: 'seal-bfv', flooding: true }),
});
