/**
 * Wire labels as data: a 128-bit label is 16 bytes, a batch of labels one flat `Uint8Array`, worked
 * on through `Uint32Array` views (4 words a label). The point-and-permute bit of a label is bit 0 of
 * byte 0, i.e. bit 0 of word 0 on the little-endian hosts this module insists on.
 */
import { LITTLE_ENDIAN } from '../ot/bit-transpose.ts';
import { BLOCK_BYTES, wordsOf } from '../bytes.ts';
import { randomBytesFrom, systemRandom, type RandomSource } from '../random.ts';

/** Bytes per label. */
export const LABEL_BYTES = BLOCK_BYTES;

// Word views read byte 0 as the low byte of word 0; a big-endian host would garble a different
// (still correct but incompatible) circuit than its little-endian peer.
if (!LITTLE_ENDIAN) {
  throw new Error('core/gc/labels: big-endian hosts are not supported (word views assume little-endian byte order)');
}

/** A `Uint32Array` view of an output buffer, which must be 4-byte aligned (writes go through it); inputs use `wordsOf`. */
function outputWords(bytes: Uint8Array, what: string): Uint32Array {
  if ((bytes.byteOffset & 3) !== 0) throw new RangeError(`${what}: output buffer must be 4-byte aligned`);
  return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
}

/**
 * A `BigInt64Array` view of `bytes`, or of an aligned copy when `bytes` is not 8-byte aligned (for
 * inputs). Optimised V8 XORs and ANDs its elements as 64-bit machine words: half the operations of
 * a 32-bit view.
 */
export function int64sOf(bytes: Uint8Array): BigInt64Array {
  if (bytes.length % 8 !== 0) throw new RangeError(`int64sOf: ${bytes.length} bytes is not a whole number of 64-bit words`);
  const source = (bytes.byteOffset & 7) === 0 ? bytes : bytes.slice();
  return new BigInt64Array(source.buffer, source.byteOffset, source.length >>> 3);
}

/** Number of labels in a batch, checking that it is a whole number of labels. */
function labelCount(batch: Uint8Array, what: string): number {
  if (batch.length % LABEL_BYTES !== 0) throw new RangeError(`${what}: ${batch.length} bytes is not a whole number of 16-byte labels`);
  return batch.length / LABEL_BYTES;
}

/** A fresh free-XOR offset Δ: uniformly random with its point-and-permute bit set (Kolesnikov-Schneider 2008). */
export function randomDelta(random: RandomSource = systemRandom()): Uint8Array {
  const delta = randomBytesFrom(random, LABEL_BYTES);
  delta[0]! |= 1;
  return delta;
}

/** Validate the arguments of a `GarblingScheme` batch call; returns the gate count. */
function checkBatch(
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
function checkDelta(delta: Uint8Array): Uint32Array {
  if (delta.length !== LABEL_BYTES) throw new RangeError(`garbleAnd: Δ must be ${LABEL_BYTES} bytes, got ${delta.length}`);
  if ((delta[0]! & 1) !== 1) throw new RangeError('garbleAnd: Δ must have its least significant bit set (point-and-permute)');
  return wordsOf(delta);
}

/**
 * The public active labels of the constant wires 0 and 1 (any public blocks serve). Both parties
 * know them, so constants cost no communication: the garbler's zero-label of constant b is
 * `CONSTANT_LABELS[b] ⊕ b·Δ`, and the evaluator never learns the other label.
 */
export const CONSTANT_LABELS: readonly [Uint8Array, Uint8Array] = [
  new Uint8Array([0x63, 0x6f, 0x6e, 0x73, 0x74, 0x2d, 0x30, 0x2d, 0x67, 0x61, 0x7a, 0x65, 0x6c, 0x6c, 0x65, 0x00]),
  new Uint8Array([0x63, 0x6f, 0x6e, 0x73, 0x74, 0x2d, 0x31, 0x2d, 0x67, 0x61, 0x7a, 0x65, 0x6c, 0x6c, 0x65, 0x01]),
];

/** `count` copies of one label, back to back. */
export function repeatLabel(label: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(count * LABEL_BYTES);
  for (let i = 0; i < count; i++) out.set(label, i * LABEL_BYTES);
  return out;
}

/** The checked arguments of `GarblingScheme.garbleAnd` as word views (A, B, D read; O, T written). */
export function garbleViews(a0: Uint8Array, b0: Uint8Array, delta: Uint8Array, firstGateId: number, outZero: Uint8Array, tables: Uint8Array, tableBytesPerAnd: number) {
  const count = checkBatch('garbleAnd', a0, b0, firstGateId, outZero, tables, tableBytesPerAnd);
  return { count, D: checkDelta(delta), A: wordsOf(a0), B: wordsOf(b0), O: outputWords(outZero, 'garbleAnd'), T: outputWords(tables, 'garbleAnd') };
}

/** The checked arguments of `GarblingScheme.evaluateAnd` as word views (A, B, T read; O written). */
export function evaluateViews(a: Uint8Array, b: Uint8Array, firstGateId: number, tables: Uint8Array, out: Uint8Array, tableBytesPerAnd: number) {
  const count = checkBatch('evaluateAnd', a, b, firstGateId, out, tables, tableBytesPerAnd);
  return { count, A: wordsOf(a), B: wordsOf(b), T: wordsOf(tables), O: outputWords(out, 'evaluateAnd') };
}
