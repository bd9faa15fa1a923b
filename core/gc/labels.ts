/**
 * Wire labels as data: a 128-bit label is 16 bytes, a batch of labels one flat `Uint8Array`, worked
 * on through `Int32Array` views (4 words a label; signed so that V8 keeps every word an int32). The point-and-permute bit of a label is bit 0 of
 * byte 0, i.e. bit 0 of word 0 on the little-endian hosts this module insists on.
 */
import { BLOCK_BYTES, randomBytes } from '../bytes.ts';

/** Bytes per label. */
export const LABEL_BYTES = BLOCK_BYTES;

// Word views read byte 0 as the low byte of word 0; a big-endian host would garble a different
// (still correct but incompatible) circuit than its little-endian peer.
if (new Uint8Array(new Int32Array([1]).buffer)[0] !== 1) {
  throw new Error('core/gc/labels: big-endian hosts are not supported (word views assume little-endian byte order)');
}

/** An `Int32Array` view of `bytes` (copied first when not 4-byte aligned, so only for inputs). */
export function words(bytes: Uint8Array): Int32Array {
  if ((bytes.byteOffset & 3) === 0) return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  return new Int32Array(bytes.slice().buffer);
}

/** An `Int32Array` view of an output buffer, which must be 4-byte aligned (writes go through it). */
export function outputWords(bytes: Uint8Array, what: string): Int32Array {
  if ((bytes.byteOffset & 3) !== 0) throw new RangeError(`${what}: output buffer must be 4-byte aligned`);
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
}

/** Number of labels in a batch, checking that it is a whole number of labels. */
export function labelCount(batch: Uint8Array, what: string): number {
  if (batch.length % LABEL_BYTES !== 0) throw new RangeError(`${what}: ${batch.length} bytes is not a whole number of 16-byte labels`);
  return batch.length / LABEL_BYTES;
}

/** A fresh free-XOR offset Δ: uniformly random with its point-and-permute bit set (Kolesnikov-Schneider 2008). */
export function randomDelta(): Uint8Array {
  const delta = randomBytes(LABEL_BYTES);
  delta[0]! |= 1;
  return delta;
}

/** The point-and-permute bit of label `index` of `batch`. */
export function permuteBit(batch: Uint8Array, index: number): 0 | 1 {
  return (batch[index * LABEL_BYTES]! & 1) as 0 | 1;
}

/** Validate the arguments of a `GarblingScheme` batch call; returns the gate count. */
export function checkBatch(
  what: string,
  a: Uint8Array,
  b: Uint8Array,
  firstGateId: number,
  out: Uint8Array,
  tables: Uint8Array,
  tableBytesPerAnd: number,
): number {
  const count = labelCount(a, what);
  if (b.length !== a.length) throw new RangeError(`${what}: input batches differ in length (${a.length} and ${b.length} bytes)`);
  if (out.length !== a.length) throw new RangeError(`${what}: output batch has ${out.length} bytes, expected ${a.length}`);
  if (tables.length !== count * tableBytesPerAnd) {
    throw new RangeError(`${what}: tables have ${tables.length} bytes, expected ${count * tableBytesPerAnd} (${tableBytesPerAnd} per gate)`);
  }
  if (!Number.isSafeInteger(firstGateId) || firstGateId < 0 || !Number.isSafeInteger(2 * (firstGateId + count))) {
    throw new RangeError(`${what}: gate ids must be integers in [0, 2^52), got first id ${firstGateId}`);
  }
  return count;
}

/** Δ must be one label with its permute bit set (free-XOR with point-and-permute). */
export function checkDelta(delta: Uint8Array): Int32Array {
  if (delta.length !== LABEL_BYTES) throw new RangeError(`garbleAnd: Δ must be ${LABEL_BYTES} bytes, got ${delta.length}`);
  if ((delta[0]! & 1) !== 1) throw new RangeError('garbleAnd: Δ must have its least significant bit set (point-and-permute)');
  return words(delta);
}
