/**
 * The server-key message (client → server): the Galois steps, then SEAL's seeded serialisations of the
 * public key and of the Galois keys (seeded: about half the bytes; SEAL regenerates the uniform halves).
 * Layout, little-endian: u32 magic "GZSK", u32 version, u32 n, u32 p, u32 step count, i32 steps…,
 * u32 length + public key, u32 length + Galois keys (length 0 when no step was requested).
 */
import { ProtocolError } from '../../core/errors.ts';

const MAGIC = 0x4b535a47;
const VERSION = 1;

export interface ServerKeyBundle {
  readonly n: number;
  readonly p: number;
  readonly steps: readonly number[];
  readonly publicKey: Uint8Array;
  readonly galoisKeys: Uint8Array;
}

export function encodeKeyBundle(bundle: ServerKeyBundle): Uint8Array {
  const fixed = 20 + 4 * bundle.steps.length;
  const out = new Uint8Array(fixed + 8 + bundle.publicKey.length + bundle.galoisKeys.length);
  const view = new DataView(out.buffer);
  [MAGIC, VERSION, bundle.n, bundle.p, bundle.steps.length].forEach((v, i) => view.setUint32(4 * i, v, true));
  bundle.steps.forEach((s, i) => view.setInt32(20 + 4 * i, s, true));
  let at = fixed;
  for (const part of [bundle.publicKey, bundle.galoisKeys]) {
    view.setUint32(at, part.length, true);
    out.set(part, at + 4);
    at += 4 + part.length;
  }
  return out;
}

/** Parse the container (the SEAL parts are validated by the caller); garbage is a `ProtocolError`. */
export function decodeKeyBundle(bytes: Uint8Array, expected: { n: number; p: number }): ServerKeyBundle {
  const fail = (reason: string): never => {
    throw new ProtocolError(`seal-bfv server keys: ${reason}`);
  };
  if (!(bytes instanceof Uint8Array)) fail('expected bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number): number => (at + 4 <= bytes.length ? view.getUint32(at, true) : fail(`truncated at byte ${at}`));
  if (u32(0) !== MAGIC) fail('not a seal-bfv server-key message');
  if (u32(4) !== VERSION) fail(`unsupported version ${u32(4)}`);
  if (u32(8) !== expected.n || u32(12) !== expected.p) fail(`made for n = ${u32(8)}, p = ${u32(12)}; this backend has n = ${expected.n}, p = ${expected.p}`);
  const stepCount = u32(16);
  if (stepCount > expected.n) fail(`${stepCount} Galois steps is more than there are`);
  const steps: number[] = [];
  for (let i = 0; i < stepCount; i++) {
    u32(20 + 4 * i);
    steps.push(view.getInt32(20 + 4 * i, true));
  }
  let at = 20 + 4 * stepCount;
  const parts: Uint8Array[] = [];
  for (const name of ['public key', 'Galois keys']) {
    const length = u32(at);
    if (at + 4 + length > bytes.length) fail(`${name}: declares ${length} bytes, only ${bytes.length - at - 4} present`);
    parts.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  if (at !== bytes.length) fail(`${bytes.length - at} unexpected trailing bytes`);
  return { n: expected.n, p: expected.p, steps, publicKey: parts[0]!, galoisKeys: parts[1]! };
}
