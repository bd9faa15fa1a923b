/**
 * Conv, Gemm and MatMul become the format's conv2d and dense layers (weights in `core/linear.ts`
 * layout: conv [out][in][kh][kw], which is ONNX's; dense outputs×inputs, ONNX MatMul's transpose);
 * an Add of a constant right after one of them is its bias.
 */
import { conv2dOutputSize } from '../linear.ts';
import type { FloatConv2d, FloatDense } from '../model/float-model.ts';
import { formatActivation, type Activation, type ImportContext, type NodeView } from './import-context.ts';
import type { OperatorMapper } from './operator.ts';
import { addPads, convPadding, explicitPads, formatPads } from './padding.ts';
import { elementCount, type ConstTensor } from './tensor.ts';

/** Kernel sizes and strides of the HE convolution kernels (design §4). */
export const CONV_KERNELS: readonly number[] = [1, 3, 5];
export const CONV_STRIDES: readonly number[] = [1, 2];

/** The one value of a square 2-D attribute (kernel_shape, strides), or undefined after a problem. */
export function squareAttribute(node: NodeView, context: ImportContext, name: string, values: readonly number[] | undefined, fallback: number): number | undefined {
  const v = values ?? [fallback, fallback];
  if (v.length !== 2 || v[0] !== v[1]) {
    context.problem(node, `${name} [${v.join(', ')}] is not square (equal height and width)`, `use the same ${name} for height and width`);
    return undefined;
  }
  return v[0];
}

export function checkDilations(node: NodeView, context: ImportContext): boolean {
  const dilations = node.attributes.ints('dilations');
  if (dilations && dilations.some((d) => d !== 1)) {
    context.problem(node, `dilations [${dilations.join(', ')}] (dilated windows) are not supported`, 'use dilation 1');
    return false;
  }
  return true;
}

export const mapConv: OperatorMapper = (node, context) => {
  const output = node.outputs[0]!;
  const x = context.image(node);
  const w = context.constantInput(node, 1, 'weight');
  const b = context.optionalConstant(node, 2, 'bias');
  const pending = context.pendingPad;
  context.pendingPad = undefined;
  let ok = checkDilations(node, context);
  const group = node.attributes.int('group', 1);
  if (group !== 1) {
    context.problem(node, `group = ${group} (a grouped or depthwise convolution) is not supported`, 'use ordinary convolutions (group 1)');
    ok = false;
  }
  if (w && w.dims.length !== 4) {
    context.problem(node, `its weight has shape [${w.dims.join(', ')}], not [M, C, kH, kW]`, 'only 2-D convolutions are supported');
    ok = false;
  }
  const kernel = squareAttribute(node, context, 'kernel_shape', node.attributes.ints('kernel_shape') ?? w?.dims.slice(2), 1);
  const stride = squareAttribute(node, context, 'strides', node.attributes.ints('strides'), 1);
  if (kernel !== undefined && !CONV_KERNELS.includes(kernel)) {
    context.problem(node, `kernel ${kernel}×${kernel} is not supported`, `use kernels of size ${CONV_KERNELS.join(', ')}`);
    ok = false;
  }
  if (stride !== undefined && !CONV_STRIDES.includes(stride)) {
    context.problem(node, `stride ${stride} is not supported`, `use stride ${CONV_STRIDES.join(' or ')}`);
    ok = false;
  }
  if (kernel === undefined || stride === undefined || !x || !w || w.dims.length !== 4 || b === null || !ok) return context.advance(output, undefined);
  const [outChannels, inChannels] = w.dims as [number, number];
  if (inChannels !== x.channels) {
    context.problem(node, `its weight [${w.dims.join(', ')}] expects ${inChannels} input channels, its input ${formatActivation(x)} has ${x.channels}`, 'check the exported shapes');
    return context.advance(output, undefined);
  }
  if (b && elementCount(b.dims) !== outChannels) {
    context.problem(node, `its bias has ${elementCount(b.dims)} values for ${outChannels} output channels`, 'check the exported shapes');
    return context.advance(output, undefined);
  }
  const explicit = explicitPads(node.attributes.string('auto_pad', 'NOTSET'), node.attributes.ints('pads'), kernel, stride, x.height, x.width);
  if (typeof explicit === 'string') {
    context.problem(node, explicit, 'export with explicit symmetric padding');
    return context.advance(output, undefined);
  }
  const pads = pending ? addPads(explicit, pending.pads) : explicit;
  const padding = convPadding(pads, kernel, stride, x.height, x.width);
  if (padding === undefined) {
    context.problem(
      node,
      `padding ${formatPads(pads)}${pending ? ` (with Pad "${pending.node.name}")` : ''} on a ${x.height}×${x.width} input is neither "same" (${(kernel - 1) / 2} before each row and column, output ⌈H/${stride}⌉) nor "valid" (none)`,
      `pad (kernel−1)/2 = ${(kernel - 1) / 2} on every side (PyTorch: padding=${(kernel - 1) / 2}) or not at all`,
    );
    return context.advance(output, undefined);
  }
  if (pending) context.notice(pending.node, `zero padding folded into "${node.name}"`);
  const layer: FloatConv2d = {
    kind: 'conv2d',
    name: node.name,
    inChannels,
    outChannels,
    kernelSize: kernel,
    stride,
    padding,
    weights: Float64Array.from(w.data),
    bias: b ? Float64Array.from(b.data) : new Float64Array(outChannels),
  };
  const size = conv2dOutputSize({ kind: 'conv2d', inChannels, outChannels, height: x.height, width: x.width, kernelSize: kernel, stride, padding });
  context.emit(layer, output, { kind: 'image', channels: outChannels, ...size });
};

/** The chain's input as a vector of `inputs` values, or undefined (after a problem if it is not one). */
function vectorInput(node: NodeView, context: ImportContext, inputs: number | undefined): number | undefined {
  const x = context.shape;
  if (x === undefined) return undefined;
  if (x.kind !== 'vector') {
    context.problem(node, `it expects a matrix [1, K] but its input is ${formatActivation(x)}`, 'insert Flatten (nn.Flatten) before it');
    return undefined;
  }
  if (inputs !== undefined && inputs !== x.size) {
    context.problem(node, `its weight expects ${inputs} inputs, its input ${formatActivation(x)} has ${x.size}`, 'check the exported shapes');
    return undefined;
  }
  return x.size;
}

/** A bias-like constant broadcast to `count` values: [count], [1, count] or a scalar. */
function vectorBroadcast(c: ConstTensor, count: number): Float64Array | undefined {
  const total = elementCount(c.dims);
  if (total === 1) return new Float64Array(count).fill(c.data[0]!);
  if (total === count && c.dims[c.dims.length - 1] === count) return Float64Array.from(c.data);
  return undefined;
}

function emitDense(node: NodeView, context: ImportContext, inputs: number, outputs: number, weights: Float64Array, bias: Float64Array): void {
  const layer: FloatDense = { kind: 'dense', name: node.name, inputs, outputs, weights, bias };
  context.emit(layer, node.outputs[0]!, { kind: 'vector', size: outputs });
}

export const mapGemm: OperatorMapper = (node, context) => {
  const output = node.outputs[0]!;
  const b = context.constantInput(node, 1, 'weight (B)');
  const c = context.optionalConstant(node, 2, 'bias (C)');
  const transB = node.attributes.int('transB', 0) === 1;
  if (node.attributes.int('transA', 0) !== 0) {
    context.problem(node, 'transA = 1 (the input transposed) is not supported', 'export the layer as x·Wᵀ (torch.nn.Linear does)');
    return context.advance(output, undefined);
  }
  if (!b || c === null) return context.advance(output, undefined);
  if (b.dims.length !== 2) {
    context.problem(node, `its weight has shape [${b.dims.join(', ')}], not a matrix`, 'check the exported shapes');
    return context.advance(output, undefined);
  }
  const [rows, cols] = b.dims as [number, number];
  const [inputs, outputs] = transB ? [cols, rows] : [rows, cols];
  if (vectorInput(node, context, inputs) === undefined) return context.advance(output, undefined);
  const alpha = node.attributes.float('alpha', 1);
  const beta = node.attributes.float('beta', 1);
  const weights = new Float64Array(outputs * inputs);
  for (let o = 0; o < outputs; o++) for (let i = 0; i < inputs; i++) weights[o * inputs + i] = alpha * b.data[transB ? o * inputs + i : i * outputs + o]!;
  const bias = c ? vectorBroadcast(c, outputs) : new Float64Array(outputs);
  if (bias === undefined) {
    context.problem(node, `its bias C has shape [${c!.dims.join(', ')}], not [${outputs}] or [1, ${outputs}]`, 'use one bias per output');
    return context.advance(output, undefined);
  }
  emitDense(node, context, inputs, outputs, weights, bias.map((v) => beta * v));
};

export const mapMatMul: OperatorMapper = (node, context) => {
  const output = node.outputs[0]!;
  if (node.inputs[0] !== context.current) {
    context.problem(node, 'its constant is the left operand (W·x)', 'export the layer as x·W (the activation first), as torch.nn.Linear does');
    return context.advance(output, undefined);
  }
  const w = context.constantInput(node, 1, 'weight');
  if (!w) return context.advance(output, undefined);
  if (w.dims.length !== 2) {
    context.problem(node, `its weight has shape [${w.dims.join(', ')}], not a matrix [K, N]`, 'check the exported shapes');
    return context.advance(output, undefined);
  }
  const [inputs, outputs] = w.dims as [number, number];
  if (vectorInput(node, context, inputs) === undefined) return context.advance(output, undefined);
  const weights = new Float64Array(outputs * inputs);
  for (let o = 0; o < outputs; o++) for (let i = 0; i < inputs; i++) weights[o * inputs + i] = w.data[i * outputs + o]!;
  emitDense(node, context, inputs, outputs, weights, new Float64Array(outputs));
};

/**
 * `c` broadcast against the activation `a` as one value per channel (image) or per element
 * (vector), or undefined. Numpy broadcasting aligns the trailing axes; before opset 7, `broadcast=1`
 * with `axis` placed the constant's axes from `axis` on.
 */
function perChannel(c: ConstTensor, a: Activation, legacyAxis: number | undefined): Float64Array | undefined {
  const full = a.kind === 'vector' ? [1, a.size] : [1, a.channels, a.height, a.width];
  if (c.dims.length > full.length) return undefined;
  const start = legacyAxis ?? full.length - c.dims.length;
  if (start < 0 || start + c.dims.length > full.length) return undefined;
  const aligned = full.map((_, i) => (i >= start && i < start + c.dims.length ? c.dims[i - start]! : 1));
  const channelAxis = 1;
  const channels = full[channelAxis]!;
  if (aligned.some((d, i) => d !== 1 && (i !== channelAxis || d !== channels))) return undefined;
  return aligned[channelAxis] === 1 ? new Float64Array(channels).fill(c.data[0]!) : Float64Array.from(c.data);
}

export const mapAdd: OperatorMapper = (node, context) => {
  const output = node.outputs[0]!;
  const constantIndex = node.inputs[0] === context.current ? 1 : 0;
  if (node.inputs[1 - constantIndex] !== context.current || node.inputs[0] === node.inputs[1]) {
    context.problem(node, 'it adds two activations (a residual connection or x + x)', 'only a chain of layers is supported: remove the skip connection');
    return context.advance(output, undefined);
  }
  const c = context.constantInput(node, constantIndex, 'addend');
  const bias = context.openBias;
  const shape = context.shape;
  if (!c || shape === undefined) return context.advance(output, undefined);
  if (bias === undefined) {
    context.problem(node, 'it adds a constant that is not the bias of a Conv, Gemm or MatMul right before it', 'fold the constant into the preceding linear layer before exporting');
    return context.advance(output, undefined);
  }
  const legacy = context.opset < 7 && node.attributes.int('broadcast', 0) === 1;
  const values = perChannel(c, shape, legacy && node.attributes.has('axis') ? node.attributes.int('axis', 0) : undefined);
  if (!values) {
    context.problem(node, `its constant [${c.dims.join(', ')}] is not one value per channel of ${formatActivation(shape)}`, 'a bias must have shape [C], [C, 1, 1] or [1, C, 1, 1]');
    return context.advance(output, undefined);
  }
  values.forEach((v, k) => (bias[k] = bias[k]! + v));
  context.passThrough(output);
};
