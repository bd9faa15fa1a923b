/**
 * Simulator of the OT sender's view (design §7): from the sender's input (Δ) and output (its m0
 * per OT) alone. IKNP's receiver messages u_j = G(k_j^0) ⊕ G(k_j^1) ⊕ r are pseudorandom to the
 * sender, who knows only k_j^{s_j}: they are simulated by uniform bytes of the same sizes.
 */
import { seededRandom } from '../../core/random.ts';
import type { View } from '../view.ts';
import { simulatedMessage } from './uniform-messages.ts';

export function simulateOtSenderView(real: View, seed: string): View {
  if (real.party !== 'server') throw new RangeError('simulateOtSenderView: the OT sender is the server (garbler)');
  const source = seededRandom(seed, 'ot-sender-simulator');
  return { ...real, messages: real.messages.map((m) => simulatedMessage(m, source)) };
}
