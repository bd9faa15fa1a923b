/** Relu, x² (Mul(x, x) or Pow(x, 2)), BatchNormalization and the pools become float layers as they are. */
import type { FloatBatchNorm } from '../model/float-model.ts';
import { poolOutputSize } from '../model/validate.ts';
import { checkDilations, squareAttribute } from './linear-operators.ts';
import type { OperatorMapper } from './operator.ts';
import { addPads, explicitPads, formatPads, poolIsUnpadded } from './padding.ts';
import { elementCount } from './tensor.ts';

export const mapRelu: OperatorMapper = (node, context) => {
  context.emit({ kind: 'relu', name: node.name }, node.outputs[0]!, context.shape);
};

const squareHint = 'only x² (Mul(x, x) or Pow(x, 2)) and Relu are supported activations';

export const mapMul: OperatorMapper = (node, context) => {
  if (node.inputs[0] === context.current && node.inputs[1] === context.current) {
    return context.emit({ kind: 'square', name: node.name }, node.outputs[0]!, context.shape);
  }
  context.problem(node, 'it multiplies by something other than its input itself', `${squareHint}; fold constant scales into the neighbouring linear layer`);
  context.advance(node.outputs[0]!, context.shape);
};

export const mapPow: OperatorMapper = (node, context) => {
  const exponent = node.inputs[0] === context.current ? context.constantInput(node, 1, 'exponent') : undefined;
  if (exponent && elementCount(exponent.dims) === 1 && exponent.data[0] === 2) {
    return context.emit({ kind: 'square', name: node.name }, node.outputs[0]!, context.shape);
  }
  context.problem(node, `the exponent is ${exponent ? `[${Array.from(exponent.data).join(', ')}]` : 'not a constant'}, not 2`, squareHint);
  context.advance(node.outputs[0]!, context.shape);
};

export const mapBatchNormalization: OperatorMapper = (node, context) => {
  const output = node.outputs[0]!;
  const [scale, bias, mean, variance] = ['scale', 'bias', 'mean', 'variance'].map((what, k) => context.constantInput(node, k + 1, what));
  if (node.attributes.int('training_mode', 0) !== 0) {
    context.problem(node, 'training_mode = 1 (batch statistics) is not an inference model', 'export in eval mode (model.eval())');
    return context.advance(output, undefined);
  }
  if (node.attributes.int('spatial', 1) !== 1) {
    context.problem(node, 'spatial = 0 (statistics per pixel) is not supported', 'use per-channel BatchNormalization (spatial = 1)');
    return context.advance(output, undefined);
  }
  const x = context.shape;
  if (!scale || !bias || !mean || !variance || x === undefined) return context.advance(output, undefined);
  const channels = x.kind === 'vector' ? x.size : x.channels;
  const wrong = [scale, bias, mean, variance].find((t) => elementCount(t.dims) !== channels);
  if (wrong) {
    context.problem(node, `its parameters have ${elementCount(wrong.dims)} values for ${channels} channels`, 'check the exported shapes');
    return context.advance(output, undefined);
  }
  const layer: FloatBatchNorm = {
    kind: 'batchnorm',
    name: node.name,
    scale: Float64Array.from(scale.data),
    bias: Float64Array.from(bias.data),
    mean: Float64Array.from(mean.data),
    variance: Float64Array.from(variance.data),
    epsilon: node.attributes.float('epsilon', 1e-5),
  };
  context.emit(layer, output, x);
};

function mapPool(kind: 'maxpool' | 'avgpool'): OperatorMapper {
  return (node, context) => {
    const output = node.outputs[0]!;
    const x = context.image(node);
    const pending = context.pendingPad;
    context.pendingPad = undefined;
    const kernelShape = node.attributes.ints('kernel_shape');
    if (kernelShape === undefined) {
      context.problem(node, 'it has no kernel_shape', 'export a pool with a window');
      return context.advance(output, undefined);
    }
    const window = squareAttribute(node, context, 'kernel_shape', kernelShape, 1);
    const stride = squareAttribute(node, context, 'strides', node.attributes.ints('strides'), 1);
    const dilationsOk = checkDilations(node, context);
    if (window === undefined || stride === undefined || !dilationsOk || !x) return context.advance(output, undefined);
    const explicit = explicitPads(node.attributes.string('auto_pad', 'NOTSET'), node.attributes.ints('pads'), window, stride, x.height, x.width);
    if (typeof explicit === 'string') {
      context.problem(node, explicit, 'export the pool without padding');
      return context.advance(output, undefined);
    }
    const pads = pending ? addPads(explicit, pending.pads) : explicit;
    const ceilMode = node.attributes.int('ceil_mode', 0) === 1;
    if (window > x.height || window > x.width || !poolIsUnpadded(pads, window, stride, x.height, x.width, ceilMode)) {
      context.problem(
        node,
        `a ${window}×${window} window every ${stride} with padding ${formatPads(pads)}${pending ? ` (with Pad "${pending.node.name}")` : ''}${ceilMode ? ' and ceil_mode' : ''} on a ${x.height}×${x.width} input is not an unpadded pool`,
        'pools must not pad (padding=0, ceil_mode=False) and the window must fit the input',
      );
      return context.advance(output, undefined);
    }
    if (pending) context.notice(pending.node, `zero padding folded into "${node.name}"`);
    context.emit({ kind, name: node.name, window, stride }, output, { kind: 'image', channels: x.channels, height: poolOutputSize(x.height, window, stride), width: poolOutputSize(x.width, window, stride) });
  };
}

export const mapMaxPool = mapPool('maxpool');
export const mapAveragePool = mapPool('avgpool');

export const mapGlobalAveragePool: OperatorMapper = (node, context) => {
  const x = context.image(node);
  context.emit({ kind: 'globalavgpool', name: node.name }, node.outputs[0]!, x && { kind: 'image', channels: x.channels, height: 1, width: 1 });
};
