/**
 * Conversions between integers and wire bundles of the plaintext backend (least significant bit
 * first, the IR convention), between bytes and the integers Bristol circuits use (big-endian reading,
 * docs/architecture.md §8), and a one-call plaintext run of an IR circuit.
 */
import type { WireVec } from './backend.ts';
import type { Circuit } from './circuit.ts';
import { evaluateCircuit } from './interpreter.ts';
import { type BitSlice, PlaintextBackend } from './plaintext-backend.ts';

function checkedBigint(value: number | bigint, width: number): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`value ${value} is not a safe integer`);
  const v = BigInt(value);
  if (v < 0n || v >> BigInt(width) !== 0n) throw new RangeError(`value ${v} does not fit in ${width} unsigned bits`);
  return v;
}

/** `width` bundles, LSB first, carrying `values[i]` (in [0, 2^width)) in instance i. */
export function encodeValues(backend: PlaintextBackend, width: number, values: readonly (number | bigint)[]): WireVec<BitSlice> {
  if (!Number.isSafeInteger(width) || width < 0) throw new RangeError(`width must be a non-negative integer, got ${width}`);
  if (values.length !== backend.instances) throw new RangeError(`need one value per instance (${backend.instances}), got ${values.length}`);
  const wires: BitSlice[] = Array.from({ length: width }, () => new Uint32Array(backend.words));
  values.forEach((value, i) => {
    let v = checkedBigint(value, width);
    for (let j = 0; v !== 0n; j++, v >>= 1n) if (v & 1n) wires[j]![i >>> 5]! |= 1 << (i & 31);
  });
  return wires;
}

/** The value of every instance, reading `wires` LSB first. */
export function decodeValues(backend: PlaintextBackend, wires: WireVec<BitSlice>): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < backend.instances; i++) {
    let v = 0n;
    for (let j = wires.length - 1; j >= 0; j--) v = (v << 1n) | BigInt(backend.bit(wires[j]!, i));
    out.push(v);
  }
  return out;
}

/** {@link decodeValues} as numbers, for widths up to 53 bits. */
export function decodeNumbers(backend: PlaintextBackend, wires: WireVec<BitSlice>): number[] {
  if (wires.length > 53) throw new RangeError(`${wires.length}-bit values do not fit in a number; use decodeValues`);
  return decodeValues(backend, wires).map(Number);
}

/** The big-endian integer of a byte string (how `aes_*` and `sha256` read their bytes). */
export function bigintFromBytes(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const byte of bytes) v = (v << 8n) | BigInt(byte);
  return v;
}

/** The `length` big-endian bytes of `value` (inverse of {@link bigintFromBytes}). */
export function bytesFromBigint(value: bigint, length: number): Uint8Array {
  if (value < 0n || value >> BigInt(8 * length) !== 0n) throw new RangeError(`${value} does not fit in ${length} bytes`);
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--, value >>= 8n) out[i] = Number(value & 0xffn);
  return out;
}

/**
 * Run `circuit` on the bit-sliced plaintext backend. `inputs[k][i]` is input value k of instance i;
 * returns `outputs[k][i]` likewise. `instances` defaults to the length of the first input list.
 */
export function runPlaintext(
  circuit: Circuit,
  inputs: readonly (readonly (number | bigint)[])[],
  instances = inputs[0]?.length ?? 1,
): bigint[][] {
  const backend = new PlaintextBackend(instances);
  if (inputs.length !== circuit.inputWidths.length) throw new RangeError(`circuit takes ${circuit.inputWidths.length} inputs, got ${inputs.length}`);
  const encoded = inputs.map((values, k) => encodeValues(backend, circuit.inputWidths[k]!, values));
  return evaluateCircuit(backend, circuit, encoded).map((wires) => decodeValues(backend, wires));
}
