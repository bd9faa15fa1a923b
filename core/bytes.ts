/** Small byte helpers shared by every plugin (128-bit blocks are 16 bytes, batches are flat arrays). */
import { randomFillSync } from 'node:crypto';

export const BLOCK_BYTES = 16;

/** Fresh cryptographically random bytes. */
export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  // randomFillSync is limited to 2^31-1 bytes per call; callers never ask for that much.
  randomFillSync(out);
  return out;
}

/** dst ^= src over the length of dst (src must be at least as long). */
export function xorInto(dst: Uint8Array, src: Uint8Array): void {
  if (src.length < dst.length) throw new RangeError(`xorInto: source has ${src.length} bytes, needs ${dst.length}`);
  const n32 = dst.length >>> 2;
  if ((dst.byteOffset & 3) === 0 && (src.byteOffset & 3) === 0) {
    const d = new Uint32Array(dst.buffer, dst.byteOffset, n32);
    const s = new Uint32Array(src.buffer, src.byteOffset, n32);
    for (let i = 0; i < n32; i++) d[i]! ^= s[i]!;
    for (let i = n32 << 2; i < dst.length; i++) dst[i]! ^= src[i]!;
  } else {
    for (let i = 0; i < dst.length; i++) dst[i]! ^= src[i]!;
  }
}

/** A `Uint32Array` view of `bytes` (a copy when `bytes` is not 4-byte aligned, so use it for reading). */
export function wordsOf(bytes: Uint8Array): Uint32Array {
  if (bytes.length % 4 !== 0) throw new RangeError(`wordsOf: ${bytes.length} bytes is not a whole number of 32-bit words`);
  const source = (bytes.byteOffset & 3) === 0 ? bytes : bytes.slice();
  return new Uint32Array(source.buffer, source.byteOffset, source.length >>> 2);
}

/** Concatenate byte arrays into one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) throw new TypeError(`not a hex string: ${JSON.stringify(hex.slice(0, 40))}`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Constant-shape equality (not constant-time; for tests and protocol checks on public data). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Pack 0/1 bytes into bits, LSB first (bit i is bit i%8 of byte i/8), into `byteLength` bytes
 * (zero-padded; at least ceil(bits.length / 8)). Any byte other than 0 or 1 is a `TypeError`.
 */
export function packBits(bits: Uint8Array, byteLength = (bits.length + 7) >>> 3): Uint8Array {
  if (byteLength < (bits.length + 7) >>> 3) throw new RangeError(`packBits: ${byteLength} bytes cannot hold ${bits.length} bits`);
  const out = new Uint8Array(byteLength);
  const whole = bits.length >>> 3;
  let seen = 0; // OR of every input byte: above 1 iff some byte is not a bit
  for (let k = 0, i = 0; k < whole; k++, i += 8) {
    const b0 = bits[i]!, b1 = bits[i + 1]!, b2 = bits[i + 2]!, b3 = bits[i + 3]!;
    const b4 = bits[i + 4]!, b5 = bits[i + 5]!, b6 = bits[i + 6]!, b7 = bits[i + 7]!;
    seen |= b0 | b1 | b2 | b3 | b4 | b5 | b6 | b7;
    out[k] = b0 | (b1 << 1) | (b2 << 2) | (b3 << 3) | (b4 << 4) | (b5 << 5) | (b6 << 6) | (b7 << 7);
  }
  for (let i = whole << 3; i < bits.length; i++) {
    seen |= bits[i]!;
    out[i >>> 3]! |= bits[i]! << (i & 7);
  }
  if (seen > 1) {
    const bad = bits.findIndex((b) => b > 1);
    throw new TypeError(`packBits: entry ${bad} is ${bits[bad]}; choice bits must be 0 or 1`);
  }
  return out;
}

/** The first `count` bits of `packed` (LSB first, as `packBits` writes them), one 0/1 byte each. */
export function unpackBits(packed: Uint8Array, count: number): Uint8Array {
  if (packed.length * 8 < count) throw new RangeError(`unpackBits: ${packed.length} bytes hold fewer than ${count} bits`);
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = (packed[i >>> 3]! >>> (i & 7)) & 1;
  return out;
}
