import { definePlugin } from '../../core/plugin.ts';
import { IknpExtension } from './iknp.ts';

export default definePlugin({
  kind: 'ot-extension',
  name: 'iknp',
  security: 'semi-honest',
  description: 'IKNP OT extension (correlated OT with the garbler\'s Δ; random and chosen OT derived), over the configured base-ot',
  create: (_options, plugins) => new IknpExtension(plugins.get('base-ot')),
});
