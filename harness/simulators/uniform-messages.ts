/**
 * The common step of the simulators (design §7): a simulated message has the real one's label,
 * kind and size — the protocol's schedule is public — and contents the observer could produce
 * alone. `control` messages carry only public protocol state the observer computes itself (call
 * headers: operation, count, call number, session tag; run headers), so they are taken as they
 * are; pseudorandom kinds are replaced by uniform bytes.
 */
import { randomBytesFrom, type RandomSource } from '../../core/random.ts';
import type { ViewMessage } from '../view.ts';

export function simulatedMessage(real: ViewMessage, source: RandomSource): ViewMessage {
  return real.kind === 'control' ? real : { ...real, bytes: randomBytesFrom(source, real.bytes.length) };
}
