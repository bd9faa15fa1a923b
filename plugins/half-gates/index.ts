import { definePlugin } from '../../core/plugin.ts';
import { HalfGates } from './half-gates.ts';

export default definePlugin({
  kind: 'garbling',
  name: 'half-gates',
  security: 'semi-honest',
  description: 'half-gates (Zahur-Rosulek-Evans 2015): free-XOR, 2 ciphertexts per AND, fixed-key-AES TCCR hash',
  create: () => new HalfGates(),
});
