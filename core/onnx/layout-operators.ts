/**
 * Flatten and Reshape to a vector are the identity on the format's channel-major layout (a dense
 * layer reads C×H×W flattened in that order, as ONNX does); a zero `Pad` is folded into the Conv or
 * pool after it.
 */
import { activationSize, formatActivation, type ImportContext, type NodeView } from './import-context.ts';
import type { OperatorMapper } from './operator.ts';
import { addPads, NO_PADS, type Pads } from './padding.ts';
import { resolveReshape } from './reshape.ts';

const flattenHint = 'flatten to [N, C·H·W] (nn.Flatten, x.view(x.size(0), -1) or x.reshape(1, -1))';

export const mapFlatten: OperatorMapper = (node, context) => {
  const output = node.outputs[0]!;
  const x = context.shape;
  if (x === undefined) return context.advance(output, undefined);
  const rank = x.kind === 'vector' ? 2 : 4;
  const raw = node.attributes.int('axis', 1);
  const axis = raw < 0 ? raw + rank : raw;
  if (axis !== 0 && axis !== 1) {
    context.problem(node, `axis ${raw} keeps ${formatActivation(x)} partly unflattened`, flattenHint);
    return context.advance(output, undefined);
  }
  context.advance(output, { kind: 'vector', size: activationSize(x) });
};

export const mapReshape: OperatorMapper = (node, context) => {
  const output = node.outputs[0]!;
  const x = context.shape;
  const target = context.opset < 5 ? node.attributes.ints('shape') : context.constantInput(node, 1, 'target shape')?.data;
  if (x === undefined || target === undefined) {
    if (context.opset < 5 && target === undefined) context.problem(node, 'it has no shape attribute', 'export with a target shape');
    return context.advance(output, undefined);
  }
  const input = x.kind === 'vector' ? [1, x.size] : [1, x.channels, x.height, x.width];
  const dims = resolveReshape(input, Array.from(target), node.attributes.int('allowzero', 0) === 1);
  const size = activationSize(x);
  if (typeof dims === 'string') {
    context.problem(node, dims, flattenHint);
    return context.advance(output, undefined);
  }
  if (dims.length === input.length && dims.every((d, i) => d === input[i])) return context.advance(output, x);
  if (dims.filter((d) => d !== 1).length > 1) {
    context.problem(node, `reshaping ${formatActivation(x)} to [${dims.join(', ')}] is not a flatten`, flattenHint);
    return context.advance(output, undefined);
  }
  context.advance(output, { kind: 'vector', size });
};

/** Before opset 11 the pads and value were attributes (`paddings` in opset 1); from 11 on, inputs. */
function padAmounts(node: NodeView, context: ImportContext): { pads: number[] | undefined; value: number | undefined } {
  if (context.opset < 11) {
    return { pads: node.attributes.ints('pads') ?? node.attributes.ints('paddings'), value: node.attributes.float('value', 0) };
  }
  const pads = context.constantInput(node, 1, 'pads');
  const value = context.optionalConstant(node, 2, 'constant_value');
  return { pads: pads ? Array.from(pads.data) : undefined, value: value === null ? undefined : value ? value.data[0] ?? 0 : 0 };
}

export const mapPad: OperatorMapper = (node, context) => {
  const output = node.outputs[0]!;
  const mode = node.attributes.string('mode', 'constant');
  const { pads, value } = padAmounts(node, context);
  const x = context.image(node);
  const fix = 'only zero padding of height and width, folded into the next Conv or pool, is supported';
  if (mode !== 'constant' || (value !== undefined && value !== 0)) {
    context.problem(node, mode !== 'constant' ? `mode "${mode}" is not zero padding` : `it pads with ${value}, not 0`, fix);
    return context.advance(output, undefined);
  }
  if (node.inputs[3]) {
    context.problem(node, 'it pads selected axes (input "axes")', fix);
    return context.advance(output, undefined);
  }
  if (pads === undefined || value === undefined) return context.advance(output, undefined);
  // [n, c, h, w] before, then [n, c, h, w] after.
  if (pads.length !== 8 || pads.some((p) => p < 0) || pads[0] !== 0 || pads[1] !== 0 || pads[4] !== 0 || pads[5] !== 0) {
    context.problem(node, `pads [${pads.join(', ')}] are not non-negative padding of height and width only`, fix);
    return context.advance(output, undefined);
  }
  const added: Pads = { top: pads[2]!, left: pads[3]!, bottom: pads[6]!, right: pads[7]! };
  const previous = context.pendingPad?.pads ?? NO_PADS;
  context.advance(output, x);
  // The chain's shape stays the unpadded one: the padding is applied by the Conv or pool it folds into.
  context.pendingPad = { node, pads: addPads(previous, added) };
};
