/**
 * The "simplest OT" of Chou and Orlandi (LATINCRYPT 2015, Fig. 1) on ristretto255, batched: one
 * sender point serves every OT of the batch, so n random OTs take one message each way.
 *
 *   sender:   y ← Z_ℓ,  S = y·B,  T = y·S                       → (n, S)
 *   receiver: x_i ← Z_ℓ, R_i = c_i·S + x_i·B,  k_i = H(i, S, R_i, x_i·S)   → (R_1..R_n)
 *   sender:   k_i^0 = H(i, S, R_i, y·R_i),  k_i^1 = H(i, S, R_i, y·R_i − T)
 *
 * H is SHA-256 truncated to 128 bits over a domain string, the index and the transcript points, so
 * the keys of different OTs and different runs are independent. Every received point is decoded
 * canonically (RFC 9496) and the identity is refused: a bad encoding is a `ProtocolError`.
 * Ristretto is a prime-order group, so no cofactor or small-subgroup checks are needed beyond that.
 * (Semi-honest use only: the protocol is known not to be UC-secure against a malicious party.)
 */
import { ristretto255 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { BLOCK_BYTES, concatBytes } from '../../core/bytes.ts';
import type { Channel } from '../../core/channel.ts';
import { ProtocolError } from '../../core/errors.ts';
import { checkOtCount } from '../../core/ot/ot-calls.ts';
import type { BaseOt } from '../../core/ot.ts';
import { randomBytesFrom, systemRandom, type RandomSource } from '../../core/random.ts';

const Point = ristretto255.Point;
type Point = InstanceType<typeof Point>;

export const POINT_BYTES = 32;
const DOMAIN = new TextEncoder().encode('gazelle/chou-orlandi/ristretto255/v1');
/** Window of the precomputed table for the sender's point, which the receiver multiplies n times. */
const TABLE_WINDOW = 8;

/** A uniform non-zero scalar: 512 random bits reduced mod ℓ (bias below 2^-250). */
function randomScalar(random: RandomSource): bigint {
  for (;;) {
    const s = Point.Fn.create(bytesToNumberLE(randomBytesFrom(random, 64)));
    if (s !== 0n) return s;
  }
}

function decodePoint(bytes: Uint8Array, what: string): Point {
  let point: Point;
  try {
    point = Point.fromBytes(bytes);
  } catch (error) {
    throw new ProtocolError(`chou-orlandi: ${what} is not a valid ristretto255 encoding; the peer is faulty or not running this protocol`, {
      cause: error,
    });
  }
  if (point.is0()) throw new ProtocolError(`chou-orlandi: ${what} is the identity element, which would void the OT`);
  return point;
}

function key(index: number, s: Uint8Array, r: Uint8Array, shared: Point): Uint8Array {
  const i = new Uint8Array(4);
  new DataView(i.buffer).setUint32(0, index, true);
  return sha256(concatBytes([DOMAIN, i, s, r, shared.toBytes()])).subarray(0, BLOCK_BYTES);
}

export class ChouOrlandiBaseOt implements BaseOt {
  readonly name = 'chou-orlandi';

  async send(channel: Channel, count: number, random: RandomSource = systemRandom()): Promise<{ m0: Uint8Array; m1: Uint8Array }> {
    checkOtCount(count, 'chou-orlandi send');
    const y = randomScalar(random);
    const S = Point.BASE.multiply(y);
    const T = S.multiply(y);
    const sBytes = S.toBytes();
    const first = new Uint8Array(4 + POINT_BYTES);
    new DataView(first.buffer).setUint32(0, count, true);
    first.set(sBytes, 4);
    await channel.send(first, 'base-ot');
    const all = await channel.recv(count * POINT_BYTES, 'base-ot');
    const m0 = new Uint8Array(count * BLOCK_BYTES);
    const m1 = new Uint8Array(count * BLOCK_BYTES);
    for (let i = 0; i < count; i++) {
      const rBytes = all.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES);
      const yR = decodePoint(rBytes, `receiver point ${i}`).multiply(y);
      m0.set(key(i, sBytes, rBytes, yR), i * BLOCK_BYTES);
      m1.set(key(i, sBytes, rBytes, yR.subtract(T)), i * BLOCK_BYTES);
    }
    return { m0, m1 };
  }

  async receive(channel: Channel, choices: Uint8Array, random: RandomSource = systemRandom()): Promise<Uint8Array> {
    const count = checkOtCount(choices.length, 'chou-orlandi receive');
    const bad = choices.findIndex((b) => b > 1);
    if (bad >= 0) throw new TypeError(`chou-orlandi: choice ${bad} is ${choices[bad]}; choice bits must be 0 or 1`);
    const first = await channel.recv(4 + POINT_BYTES, 'base-ot');
    const theirs = new DataView(first.buffer, first.byteOffset, 4).getUint32(0, true);
    if (theirs !== count) throw new ProtocolError(`chou-orlandi: the sender runs ${theirs} OTs but this receiver has ${count} choices`);
    const sBytes = first.slice(4);
    const S = decodePoint(sBytes, 'sender point S').precompute(TABLE_WINDOW, false);
    const points = new Uint8Array(count * POINT_BYTES);
    const out = new Uint8Array(count * BLOCK_BYTES);
    for (let i = 0; i < count; i++) {
      const x = randomScalar(random);
      const X = Point.BASE.multiply(x);
      const XS = X.add(S); // computed for both choices, to keep the work independent of c_i
      const rBytes = (choices[i] ? XS : X).toBytes();
      points.set(rBytes, i * POINT_BYTES);
      out.set(key(i, sBytes, rBytes, S.multiply(x)), i * BLOCK_BYTES);
    }
    await channel.send(points, 'base-ot');
    return out;
  }
}
