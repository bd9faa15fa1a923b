import { definePlugin } from '../../core/plugin.ts';
import { PlainHeBackend, type PlainHeOptions } from './plain-he.ts';

export default definePlugin({
  kind: 'he',
  name: 'insecure-plain-he',
  security: 'insecure-test-only',
  description: 'INSECURE test double: plaintext slot vectors with SEAL batching semantics (fast kernel tests)',
  create: (options) => new PlainHeBackend(options as PlainHeOptions),
});
