/**
 * Simulator of the client's view of an HE linear layer (design §7): from the client's input, keys
 * (its randomness) and output share c' alone. The returned ciphertext becomes a fresh encryption of
 * c' under the client's key, finished for return like the server's (flooded, mod-switched): if the
 * server's finish really hides how the ciphertext was computed, the decryption noise of the two is
 * alike; without flooding the real noise carries the weights and the simulated one does not.
 */
import { withScope } from '../../core/dispose.ts';
import type { HeBackend, HeClientKeys, HeServerKeys } from '../../core/he.ts';
import type { View } from '../view.ts';

export function simulateHeClientView(backend: HeBackend, keys: { client: HeClientKeys; server: HeServerKeys }, real: View, seed: string): View {
  const share = real.derived.share;
  if (!(share instanceof Uint32Array)) throw new RangeError('simulateHeClientView: the real view has no derived share');
  return withScope((scope) => {
    const fresh = scope.track(backend.encryptPublic(share, keys.server));
    const bytes = backend.finish(fresh, keys.server).bytes;
    const returned = scope.track(backend.deserialize(bytes));
    const messages = real.messages.map((m) => (m.kind === 'ciphertext' ? { ...m, bytes } : m));
    return { ...real, seed, messages, derived: { share: backend.decrypt(returned, keys.client), noise: backend.decryptionNoise!(returned, keys.client) } };
  });
}
