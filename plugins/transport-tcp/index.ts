import { definePlugin } from '../../core/plugin.ts';
import { TcpTransport } from './tcp-transport.ts';

export default definePlugin({
  kind: 'transport',
  name: 'tcp',
  security: 'semi-honest',
  description: 'node:net with length-prefixed frames (options: maxFrameBytes, idleTimeoutMs, connectTimeoutMs)',
  create: (options) => new TcpTransport(options),
});
