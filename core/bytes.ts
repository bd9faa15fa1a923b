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
