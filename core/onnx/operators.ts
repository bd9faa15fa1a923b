/** The ONNX operators the importer maps, and what to tell a user whose model has another one. */
import { mapAveragePool, mapBatchNormalization, mapGlobalAveragePool, mapMaxPool, mapMul, mapPow, mapRelu } from './layer-operators.ts';
import { mapFlatten, mapPad, mapReshape } from './layout-operators.ts';
import { mapAdd, mapConv, mapGemm, mapMatMul } from './linear-operators.ts';
import { mapDropout, mapIdentity, mapSoftmax } from './no-op-operators.ts';
import type { OperatorMapper } from './operator.ts';

export const OPERATORS: ReadonlyMap<string, OperatorMapper> = new Map([
  ['Conv', mapConv],
  ['Gemm', mapGemm],
  ['MatMul', mapMatMul],
  ['Add', mapAdd],
  ['Relu', mapRelu],
  ['Mul', mapMul],
  ['Pow', mapPow],
  ['BatchNormalization', mapBatchNormalization],
  ['MaxPool', mapMaxPool],
  ['AveragePool', mapAveragePool],
  ['GlobalAveragePool', mapGlobalAveragePool],
  ['Flatten', mapFlatten],
  ['Reshape', mapReshape],
  ['Pad', mapPad],
  ['Dropout', mapDropout],
  ['Identity', mapIdentity],
  ['Softmax', mapSoftmax],
  ['LogSoftmax', mapSoftmax],
]);

/** Operators evaluated at import when their inputs are constant (constant-folding.ts). */
export const CONSTANT_OPERATORS: readonly string[] = ['Constant', 'Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'Concat', 'Cast'];

/** Operators that can follow a `Pad` (which folds into them). */
export const PAD_CONSUMERS: ReadonlySet<string> = new Set(['Conv', 'MaxPool', 'AveragePool']);

/** Element-wise activations the protocol does not evaluate (they keep the shape). */
export const ELEMENTWISE_ACTIVATIONS: readonly string[] = ['Sigmoid', 'Tanh', 'LeakyRelu', 'PRelu', 'Elu', 'Selu', 'Celu', 'Gelu', 'HardSigmoid', 'HardSwish', 'Softplus', 'Softsign', 'Mish', 'Clip', 'ThresholdedRelu'];

/** What to do about an unsupported operator. */
export function unsupportedOperatorFix(op: string): string {
  if (ELEMENTWISE_ACTIVATIONS.includes(op)) return 'replace the activation by Relu or x² (Mul(x, x)): the protocol evaluates only these';
  if (op === 'Concat' || op === 'Sum' || op === 'Split') return 'branches (concatenation, residual connections) are not supported: use a chain of layers';
  if (op === 'GlobalMaxPool') return 'use MaxPool with a window of the whole image';
  if (op === 'ConvTranspose' || op === 'Upsample' || op === 'Resize') return 'the format has no upsampling; use Conv and pools';
  return `supported operators: ${[...OPERATORS.keys()].join(', ')} (plus constant ${CONSTANT_OPERATORS.join(', ')}); replace or remove it`;
}
