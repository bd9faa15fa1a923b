import { definePlugin } from '../../core/plugin.ts';
import { InsecureIdealOt } from './insecure-ideal-ot.ts';

export default definePlugin({
  kind: 'ot-extension',
  name: 'insecure-ideal-ot',
  security: 'insecure-test-only',
  description: 'TEST ONLY: trusted-dealer OT (Δ and seed sent in the clear), same API and checks as iknp',
  create: () => new InsecureIdealOt(),
});
