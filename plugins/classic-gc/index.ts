import { definePlugin } from '../../core/plugin.ts';
import { ClassicGarbling } from './classic.ts';

export default definePlugin({
  kind: 'garbling',
  name: 'classic',
  security: 'semi-honest',
  description: 'classic Yao with free-XOR, point-and-permute and row reduction (GRR3): 3 ciphertexts per AND (baseline)',
  create: () => new ClassicGarbling(),
});
