/** ONNX Reshape's target shape, resolved against the input's dimensions (0 copies, −1 infers). */
import { elementCount } from './tensor.ts';

export function resolveReshape(input: readonly number[], target: readonly number[], allowZero: boolean): number[] | string {
  const dims = target.map((d, i) => (d === 0 && !allowZero ? input[i] ?? -2 : d));
  if (dims.some((d) => !Number.isInteger(d) || d < -1)) return `target shape [${target.join(', ')}] is invalid for input [${input.join(', ')}]`;
  const inferred = dims.filter((d) => d === -1).length;
  const known = elementCount(dims.filter((d) => d !== -1));
  const total = elementCount(input);
  if (inferred > 1 || (inferred === 1 ? known === 0 || total % known !== 0 : known !== total)) {
    return `cannot reshape [${input.join(', ')}] (${total} values) to [${target.join(', ')}]`;
  }
  return dims.map((d) => (d === -1 ? total / known : d));
}
