import { definePlugin } from '../../core/plugin.ts';
import { ChouOrlandiBaseOt } from './chou-orlandi.ts';

export default definePlugin({
  kind: 'base-ot',
  name: 'chou-orlandi',
  security: 'semi-honest',
  description: 'Chou-Orlandi "simplest OT" on ristretto255 (@noble/curves), batched: all base OTs in one exchange',
  create: () => new ChouOrlandiBaseOt(),
});
