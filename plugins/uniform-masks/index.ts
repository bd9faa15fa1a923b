import { definePlugin } from '../../core/plugin.ts';
import { uniformModP } from '../../core/random.ts';

export default definePlugin({
  kind: 'masks',
  name: 'uniform',
  security: 'semi-honest',
  description: 'masks uniform mod p by rejection sampling from the session\'s random source',
  create: () => ({ name: 'uniform', sample: uniformModP }),
});
