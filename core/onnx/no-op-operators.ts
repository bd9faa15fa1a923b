/**
 * Operators exported models carry that change no label: Dropout and Identity are the identity at
 * inference; a final Softmax or LogSoftmax is monotone, so the label (argmax) is the same without it
 * and the imported model's logits are the values before it. Each one leaves a notice.
 */
import type { ImportContext, NodeView } from './import-context.ts';
import type { OperatorMapper } from './operator.ts';

export const mapIdentity: OperatorMapper = (node, context) => {
  context.notice(node, 'the identity; skipped');
  context.passThrough(node.outputs[0]!);
};

export const mapDropout: OperatorMapper = (node, context) => {
  const training = context.opset >= 12 && node.inputs[2] ? context.constants.get(node.inputs[2]) : undefined;
  if (training && training.data[0] !== 0) {
    context.problem(node, 'training_mode is true (random dropout)', 'export in eval mode (model.eval())');
    return context.advance(node.outputs[0]!, undefined);
  }
  context.notice(node, 'the identity at inference; skipped');
  context.passThrough(node.outputs[0]!);
};

function isFinal(node: NodeView, context: ImportContext): boolean {
  const output = node.outputs[0]!;
  return context.graphOutputs.has(output) && context.uses(output) === 1;
}

export const mapSoftmax: OperatorMapper = (node, context) => {
  const output = node.outputs[0]!;
  const x = context.shape;
  if (!isFinal(node, context)) {
    context.problem(node, `${node.op} before the last layer is not supported`, `${node.op} is only supported as the model's last operator (where it is dropped)`);
    return context.advance(output, x);
  }
  const axis = node.attributes.int('axis', context.opset < 13 ? 1 : -1);
  if (x !== undefined && (x.kind !== 'vector' || (axis !== 1 && axis !== -1))) {
    context.problem(node, `it normalises axis ${axis} of a ${x.kind === 'vector' ? '[1, K]' : 'C×H×W'} tensor, not the classes`, 'apply it over the classes of a [1, K] output, or remove it');
    return context.advance(output, undefined);
  }
  context.notice(node, 'the final softmax is dropped: the imported model outputs the logits before it (the label is the same)');
  context.logitsBeforeSoftmax = node.inputs[0];
  context.passThrough(output);
};
