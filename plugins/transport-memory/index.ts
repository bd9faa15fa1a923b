import { definePlugin } from '../../core/plugin.ts';
import { MemoryTransport } from './memory-transport.ts';

export default definePlugin({
  kind: 'transport',
  name: 'in-memory',
  security: 'semi-honest',
  description: 'linked pair of channels in one process (tests, single-process runs)',
  create: (options) => new MemoryTransport(options),
});
