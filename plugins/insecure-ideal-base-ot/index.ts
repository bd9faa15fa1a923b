import { definePlugin } from '../../core/plugin.ts';
import { InsecureIdealBaseOt } from './insecure-ideal-base-ot.ts';

export default definePlugin({
  kind: 'base-ot',
  name: 'insecure-ideal-base-ot',
  security: 'insecure-test-only',
  description: 'TEST ONLY: base OT that sends both messages in the clear (fast IKNP tests without curve arithmetic)',
  create: () => new InsecureIdealBaseOt(),
});
