/**
 * Builds small ONNX models in tests (encoded with the same `onnx-proto` schema the importer reads),
 * for the cases no exporter here produces on demand: legacy opsets, odd paddings, branches.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export type AttributeValue = number | number[] | string | { float: number } | { tensor: { dims: readonly number[]; values: readonly number[] } };

export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface GraphSpec {
  readonly opset?: number;
  /** Data inputs and their dims (a string is a symbolic dimension). */
  readonly inputs: Readonly<Record<string, readonly (number | string)[]>>;
  readonly outputs: readonly string[];
  readonly initialisers?: Readonly<Record<string, { dims: readonly number[]; values: ArrayLike<number>; int64?: boolean }>>;
  readonly nodes: readonly NodeSpec[];
}

function attribute(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (typeof value === 'number') return { name, type: AttributeType.INT, i: value };
  if ('tensor' in value) return { name, type: AttributeType.TENSOR, t: { dims: [...value.tensor.dims], dataType: 1, floatData: [...value.tensor.values] } };
  return { name, type: AttributeType.FLOAT, f: value.float };
}

export function onnxBytes(spec: GraphSpec): Uint8Array {
  const valueInfo = (name: string, dims: readonly (number | string)[]) => ({
    name,
    type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  });
  const model: onnxProto.onnx.IModelProto = {
    irVersion: 7,
    producerName: 'gazelle-ts tests',
    opsetImport: [{ domain: '', version: spec.opset ?? 13 }],
    graph: {
      name: 'test',
      input: Object.entries(spec.inputs).map(([name, dims]) => valueInfo(name, dims)),
      output: spec.outputs.map((name) => ({ name })),
      initializer: Object.entries(spec.initialisers ?? {}).map(([name, t]) =>
        t.int64 ? { name, dims: [...t.dims], dataType: 7, int64Data: Array.from(t.values) } : { name, dims: [...t.dims], dataType: 1, floatData: Array.from(t.values) },
      ),
      node: spec.nodes.map((n, i) => ({
        opType: n.op,
        name: n.name ?? `${n.op.toLowerCase()}${i}`,
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attributes ?? {}).map(([k, v]) => attribute(k, v)),
      })),
    },
  };
  return onnx.ModelProto.encode(model).finish();
}
