/**
 * Nodes the importer evaluates at import time because they compute constants: `Constant`, and the
 * shape arithmetic exporters emit around weights and flattening (CNTK reshapes its weight matrix
 * with a `Reshape`; PyTorch's `x.view(x.size(0), -1)` becomes Shape → Gather → Unsqueeze → Concat →
 * Reshape). `Shape` of the activation is constant too: every shape here is static.
 */
import { type ImportContext, type NodeView } from './import-context.ts';
import { resolveReshape } from './reshape.ts';
import { elementCount, type ConstTensor } from './tensor.ts';

const FOLDABLE = new Set(['Constant', 'Identity', 'Reshape', 'Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'Concat', 'Cast']);
/** Cast targets that are integers (ONNX TensorProto.DataType codes). */
const INTEGER_TYPES = new Set([2, 3, 4, 5, 6, 7, 12, 13]);

function normaliseAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

/** Axes of Unsqueeze/Squeeze: an attribute before opset 13, an input from then on. */
function axesOf(node: NodeView, context: ImportContext): number[] | undefined {
  if (context.opset < 13) return node.attributes.ints('axes');
  const name = node.inputs[1];
  const axes = name ? context.constants.get(name) : undefined;
  return axes ? Array.from(axes.data) : undefined;
}

function gather(data: ConstTensor, indices: ConstTensor, axis: number): ConstTensor | string {
  const a = normaliseAxis(axis, data.dims.length);
  if (a === undefined) return `axis ${axis} is out of range for rank ${data.dims.length}`;
  const size = data.dims[a]!;
  const outer = elementCount(data.dims.slice(0, a));
  const inner = elementCount(data.dims.slice(a + 1));
  const out = new Float64Array(outer * indices.data.length * inner);
  let k = 0;
  for (let o = 0; o < outer; o++) {
    for (const raw of indices.data) {
      const index = raw < 0 ? raw + size : raw;
      if (!Number.isInteger(index) || index < 0 || index >= size) return `index ${raw} is out of range for size ${size}`;
      out.set(data.data.subarray((o * size + index) * inner, (o * size + index + 1) * inner), k);
      k += inner;
    }
  }
  return { dims: [...data.dims.slice(0, a), ...indices.dims, ...data.dims.slice(a + 1)], data: out };
}

function concat(parts: readonly ConstTensor[], axis: number): ConstTensor | string {
  const rank = parts[0]!.dims.length;
  const a = normaliseAxis(axis, rank);
  if (a === undefined) return `axis ${axis} is out of range for rank ${rank}`;
  if (parts.some((p) => p.dims.length !== rank || p.dims.some((d, i) => i !== a && d !== parts[0]!.dims[i]))) return 'its inputs have different shapes';
  const outer = elementCount(parts[0]!.dims.slice(0, a));
  const dims = [...parts[0]!.dims];
  dims[a] = parts.reduce((sum, p) => sum + p.dims[a]!, 0);
  const out = new Float64Array(elementCount(dims));
  let k = 0;
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const chunk = elementCount(p.dims.slice(a));
      out.set(p.data.subarray(o * chunk, (o + 1) * chunk), k);
      k += chunk;
    }
  }
  return { dims, data: out };
}

function evaluate(node: NodeView, inputs: readonly ConstTensor[], context: ImportContext): ConstTensor | string {
  const [x] = inputs;
  switch (node.op) {
    case 'Constant': {
      const { attributes } = node;
      const value = attributes.tensor('value');
      if (value !== undefined) return value;
      const float = attributes.has('value_float') ? [attributes.float('value_float', 0)] : undefined;
      const int = attributes.has('value_int') ? [attributes.int('value_int', 0)] : undefined;
      const scalar = float ?? int;
      if (scalar) return { dims: [], data: Float64Array.from(scalar) };
      const list = attributes.floats('value_floats') ?? attributes.ints('value_ints');
      if (list) return { dims: [list.length], data: Float64Array.from(list) };
      return `it has none of value, value_float(s), value_int(s) (found: ${attributes.names().join(', ') || 'no attributes'})`;
    }
    case 'Identity':
      return x!;
    case 'Shape':
      return shapeSlice(x!.dims, node);
    case 'Cast': {
      const integer = INTEGER_TYPES.has(node.attributes.int('to', 1));
      return integer ? { dims: x!.dims, data: x!.data.map(Math.trunc) } : x!;
    }
    case 'Reshape': {
      const target = context.opset < 5 ? node.attributes.ints('shape') : inputs[1] && Array.from(inputs[1].data);
      if (target === undefined) return 'it has no target shape';
      const dims = resolveReshape(x!.dims, target, node.attributes.int('allowzero', 0) === 1);
      return typeof dims === 'string' ? dims : { dims, data: x!.data };
    }
    case 'Gather':
      return inputs[1] ? gather(x!, inputs[1], node.attributes.int('axis', 0)) : 'it has no indices';
    case 'Concat':
      return concat(inputs, node.attributes.int('axis', 0));
    case 'Unsqueeze':
    case 'Squeeze': {
      const axes = axesOf(node, context);
      const rank = node.op === 'Unsqueeze' ? x!.dims.length + (axes?.length ?? 0) : x!.dims.length;
      if (node.op === 'Squeeze' && axes === undefined) return { dims: x!.dims.filter((d) => d !== 1), data: x!.data };
      const normalised = (axes ?? []).map((a) => normaliseAxis(a, rank));
      if (axes === undefined || normalised.some((a) => a === undefined)) return `its axes [${axes?.join(', ') ?? ''}] are missing or out of range`;
      const set = new Set(normalised);
      if (node.op === 'Squeeze') return { dims: x!.dims.filter((_, i) => !set.has(i)), data: x!.data };
      const dims: number[] = [];
      for (let i = 0, j = 0; i < rank; i++) dims.push(set.has(i) ? 1 : x!.dims[j++]!);
      return { dims, data: x!.data };
    }
    default:
      return `${node.op} is not evaluated on constants`;
  }
}

/** `Shape`'s output for `dims`, with its optional start/end (opset 15). */
function shapeSlice(dims: readonly number[], node: NodeView): ConstTensor {
  const bound = (value: number) => Math.min(Math.max(value < 0 ? value + dims.length : value, 0), dims.length);
  const values = dims.slice(bound(node.attributes.int('start', 0)), bound(node.attributes.int('end', dims.length)));
  return { dims: [values.length], data: Float64Array.from(values) };
}

/**
 * Evaluate `node` if it computes a constant; returns false when it is a layer on the chain instead.
 * A foldable node that fails records a problem (its outputs then stay unknown, which the nodes
 * reading them report).
 */
export function foldConstant(node: NodeView, context: ImportContext): boolean {
  if (!FOLDABLE.has(node.op)) return false;
  const present = node.inputs.filter((name) => name !== '');
  const output = node.outputs[0];
  if (output === undefined) return true;
  if (node.op === 'Shape' && present.length === 1 && present[0] === context.current) {
    // Every shape is static here: the chain's shape (with its batch axis of 1) is known unless an earlier node failed.
    const a = context.shape;
    if (a) context.constants.set(output, shapeSlice(a.kind === 'vector' ? [1, a.size] : [1, a.channels, a.height, a.width], node));
    return true;
  }
  const inputs = present.map((name) => context.constants.get(name));
  if (inputs.length === 0 ? node.op !== 'Constant' : inputs.some((t) => t === undefined)) return false;
  const result = evaluate(node, inputs as ConstTensor[], context);
  if (typeof result === 'string') context.problem(node, `cannot evaluate it on its constant inputs: ${result}`, 'export with constant folding (torch.onnx.export(..., do_constant_folding=True))');
  else context.constants.set(output, result);
  return true;
}
