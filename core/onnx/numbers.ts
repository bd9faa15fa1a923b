/**
 * protobufjs hands 64-bit integers over as `Long` objects (or numbers); ONNX dims, shapes and
 * attributes fit in a double. Typed structurally: `long` is protobufjs's dependency, not ours.
 */
export type Int64 = number | { toNumber(): number };

export function int64ToNumber(value: Int64): number {
  return typeof value === 'number' ? value : value.toNumber();
}

export function toSafeInteger(value: Int64): number {
  const n = int64ToNumber(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${value.toString()} is out of range`);
  return n;
}
