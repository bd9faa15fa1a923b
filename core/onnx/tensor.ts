/**
 * Constant tensors of an ONNX graph (initialisers, `Constant` nodes and what the importer folds from
 * them), as plain numbers: weights are float32 or float64, shapes and indices int64 or int32, and
 * every one of them is exact in a double.
 */
import { int64ToNumber, type Int64 } from './numbers.ts';
import type { OnnxTensor } from './read-onnx.ts';

export interface ConstTensor {
  readonly dims: readonly number[];
  readonly data: Float64Array;
}

/** ONNX `TensorProto.DataType` codes the importer reads. */
const FLOAT = 1;
const INT32 = 6;
const INT64 = 7;
const DOUBLE = 11;
const TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16',
};

export function dataTypeName(code: number): string {
  return TYPE_NAMES[code] ?? `data type ${code}`;
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** What a tensor proto holds, or why it cannot be read (a message for the import report). */
export function decodeTensor(tensor: OnnxTensor): ConstTensor | string {
  if (tensor.dataLocation === 1) return 'its data lives in an external file (not supported; save the model with its weights inside the .onnx file)';
  const dims = (tensor.dims ?? []).map(int64ToNumber);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) return `its dimensions [${dims.join(', ')}] are not valid sizes`;
  const count = elementCount(dims);
  const type = tensor.dataType ?? 0;
  const raw = tensor.rawData && tensor.rawData.length > 0 ? tensor.rawData : undefined;
  let data: Float64Array;
  if (raw) {
    const width = type === FLOAT || type === INT32 ? 4 : type === INT64 || type === DOUBLE ? 8 : 0;
    if (width === 0) return `its element type ${dataTypeName(type)} is not supported (float32, float64, int32 and int64 are)`;
    if (raw.length !== count * width) return `it holds ${raw.length} bytes of raw data, but [${dims.join(', ')}] ${dataTypeName(type)} needs ${count * width} (truncated?)`;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    data = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const at = i * width;
      data[i] = type === FLOAT ? view.getFloat32(at, true) : type === DOUBLE ? view.getFloat64(at, true) : type === INT32 ? view.getInt32(at, true) : Number(view.getBigInt64(at, true));
    }
  } else {
    const values: readonly Int64[] | undefined =
      type === FLOAT ? tensor.floatData ?? undefined : type === DOUBLE ? tensor.doubleData ?? undefined : type === INT32 ? tensor.int32Data ?? undefined : type === INT64 ? tensor.int64Data ?? undefined : undefined;
    if (values === undefined) return `its element type ${dataTypeName(type)} is not supported (float32, float64, int32 and int64 are)`;
    if (values.length !== count) return `it holds ${values.length} values, but [${dims.join(', ')}] needs ${count} (truncated?)`;
    data = Float64Array.from(values, int64ToNumber);
  }
  return { dims, data };
}
