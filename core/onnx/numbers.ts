/** protobufjs hands 64-bit integers over as `Long` objects; ONNX dims, shapes and attributes fit in a double. */
import type Long from 'long';

export function toSafeInteger(value: number | Long): number {
  const n = typeof value === 'number' ? value : value.toNumber();
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${value.toString()} is out of range`);
  return n;
}
