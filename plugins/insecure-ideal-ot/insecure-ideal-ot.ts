/**
 * A trusted-dealer stand-in for OT extension, for tests only: the sender plays the dealer and
 * hands Δ and a PRG seed to the receiver in the clear, so both derive the same m0 stream and the
 * receiver computes m0 ⊕ b·Δ itself. Outputs have the right correlation and no per-OT traffic,
 * and the receiver learns everything. Call headers, random/chosen OT and precomputation are the
 * shared ones of `core/ot-from-cot.ts`, so tests of the engine above it exercise the same paths.
 */
import { BLOCK_BYTES } from '../../core/bytes.ts';
import type { Channel } from '../../core/channel.ts';
import { AesCtrPrg } from '../../core/crypto/aes.ts';
import { CotBasedReceiver, CotBasedSender, xorDelta, type CotReceiverEngine } from '../../core/ot/ot-from-cot.ts';
import type { OtExtension, OtPartyOptions, OtReceiver, OtSender } from '../../core/ot.ts';
import { randomBytesFrom, systemRandom } from '../../core/random.ts';

function tagOf(seed: Uint8Array): number {
  return new DataView(seed.buffer, seed.byteOffset, 4).getUint32(0, true);
}

export class InsecureIdealOt implements OtExtension {
  readonly name = 'insecure-ideal-ot';

  /** The dealer's PRG stands in for the extension: no per-OT traffic. */
  extensionBytes(): number {
    return 0;
  }

  async sender(channel: Channel, delta: Uint8Array, options: OtPartyOptions = {}): Promise<OtSender> {
    if (!(delta instanceof Uint8Array) || delta.length !== BLOCK_BYTES) throw new RangeError('insecure-ideal-ot sender: delta must be 16 bytes');
    const seed = randomBytesFrom(options.random ?? systemRandom(), BLOCK_BYTES);
    const dealt = new Uint8Array(2 * BLOCK_BYTES);
    dealt.set(delta);
    dealt.set(seed, BLOCK_BYTES);
    await channel.send(dealt, 'base-ot');
    const prg = new AesCtrPrg(seed);
    return new CotBasedSender({ channel, delta, sessionTag: tagOf(seed), extend: async (count) => prg.next(count * BLOCK_BYTES) }, options);
  }

  async receiver(channel: Channel, options: OtPartyOptions = {}): Promise<OtReceiver> {
    const dealt = (await channel.recv(2 * BLOCK_BYTES, 'base-ot')).slice();
    const delta = dealt.subarray(0, BLOCK_BYTES);
    const seed = dealt.subarray(BLOCK_BYTES);
    const prg = new AesCtrPrg(seed);
    const engine: CotReceiverEngine = {
      channel,
      sessionTag: tagOf(seed),
      extend: async (packedChoices, count) => {
        const t = prg.next(count * BLOCK_BYTES);
        xorDelta(t, delta, packedChoices);
        return t;
      },
    };
    return new CotBasedReceiver(engine, options);
  }
}
