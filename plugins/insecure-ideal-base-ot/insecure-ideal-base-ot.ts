/**
 * A trusted-dealer stand-in for base OT, for tests only: the sender sends both random messages of
 * every pair in the clear and the receiver keeps the chosen one. It lets IKNP tests run without
 * the curve arithmetic; the receiver learns everything.
 */
import { BLOCK_BYTES } from '../../core/bytes.ts';
import type { Channel } from '../../core/channel.ts';
import { ProtocolError } from '../../core/errors.ts';
import { checkOtCount } from '../../core/ot/ot-calls.ts';
import type { BaseOt } from '../../core/ot.ts';
import { systemRandom, type RandomSource } from '../../core/random.ts';

export class InsecureIdealBaseOt implements BaseOt {
  readonly name = 'insecure-ideal-base-ot';

  async send(channel: Channel, count: number, random: RandomSource = systemRandom()): Promise<{ m0: Uint8Array; m1: Uint8Array }> {
    checkOtCount(count, 'insecure-ideal-base-ot send');
    const message = new Uint8Array(4 + 2 * count * BLOCK_BYTES);
    new DataView(message.buffer).setUint32(0, count, true);
    random.fill(message.subarray(4));
    const m0 = message.slice(4, 4 + count * BLOCK_BYTES);
    const m1 = message.slice(4 + count * BLOCK_BYTES);
    await channel.send(message, 'base-ot');
    return { m0, m1 };
  }

  async receive(channel: Channel, choices: Uint8Array): Promise<Uint8Array> {
    const count = checkOtCount(choices.length, 'insecure-ideal-base-ot receive');
    const bad = choices.findIndex((b) => b > 1);
    if (bad >= 0) throw new TypeError(`insecure-ideal-base-ot: choice ${bad} is ${choices[bad]}; choice bits must be 0 or 1`);
    const header = await channel.recv(4, 'base-ot');
    const theirs = new DataView(header.buffer, header.byteOffset, 4).getUint32(0, true);
    if (theirs !== count) {
      throw new ProtocolError(`insecure-ideal-base-ot: the sender sent ${theirs} pairs but this receiver has ${count} choices`);
    }
    const pairs = await channel.recv(2 * count * BLOCK_BYTES, 'base-ot');
    const out = new Uint8Array(count * BLOCK_BYTES);
    for (let i = 0; i < count; i++) {
      const from = (choices[i]! * count + i) * BLOCK_BYTES;
      out.set(pairs.subarray(from, from + BLOCK_BYTES), i * BLOCK_BYTES);
    }
    return out;
  }
}
