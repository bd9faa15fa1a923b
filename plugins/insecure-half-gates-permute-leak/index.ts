import { definePlugin } from '../../core/plugin.ts';
import { HalfGates } from '../half-gates/half-gates.ts';
import { PermuteBitLeak } from './permute-leak.ts';

/** DELIBERATELY LEAKY: half-gates whose AND output labels reveal their value in the permute bit (see permute-leak.ts). */
export default definePlugin({
  kind: 'garbling',
  name: 'insecure-half-gates-permute-leak',
  security: 'insecure-test-only',
  description: 'INSECURE: half-gates with every AND output zero-label\'s permute bit fixed to 0 (labels reveal values; for power tests of the privacy audit)',
  create: () => new PermuteBitLeak(new HalfGates(), 'insecure-half-gates-permute-leak'),
});
