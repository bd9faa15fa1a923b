/**
 * Independent float cross-check of an import (issue 10, item 6): the original ONNX model, run in
 * float by onnxruntime, against the quantised model's plaintext integer reference (exactly what
 * the protocol computes), image by image: do the labels agree, and how far apart are the logits
 * (the reference's integer logits read at the output's fixed-point scale)? With labels, both
 * accuracies.
 */
import { floatInput, quantiseInput } from '../model/input.ts';
import type { Model } from '../model/model.ts';
import { NO_PROGRESS, type Progress } from '../progress.ts';
import { argmax, referenceInference } from '../model/reference.ts';
import type { OnnxRuntimeModel } from './onnxruntime-model.ts';

export interface VerifyImportResult {
  readonly images: number;
  /** Images on which onnxruntime's label and the quantised reference's label are the same. */
  readonly labelsAgreeing: number;
  /** Indices (in the order given) of the images whose labels differ. */
  readonly disagreements: readonly number[];
  /** The largest |onnxruntime logit − reference logit / 2^scaleBits| over all images and classes. */
  readonly maxLogitDifference: number;
  /** With true labels: the fraction onnxruntime (float) and the reference (quantised) get right. */
  readonly accuracy?: { readonly float: number; readonly quantised: number };
}

export async function verifyImport(
  runtime: OnnxRuntimeModel,
  model: Model,
  images: readonly Uint8Array[],
  labels?: ArrayLike<number>,
  progress: Progress = NO_PROGRESS,
): Promise<VerifyImportResult> {
  const arch = model.architecture;
  const scale = 2 ** -arch.output.scaleBits;
  const disagreements: number[] = [];
  let maxLogitDifference = 0;
  let floatCorrect = 0;
  let quantisedCorrect = 0;
  const phase = progress.start('verify-import: images', images.length);
  for (const [k, pixels] of images.entries()) {
    const float = await runtime.run(floatInput(arch.input, pixels));
    const reference = referenceInference(model, quantiseInput(arch, pixels));
    reference.logits.forEach((v, i) => (maxLogitDifference = Math.max(maxLogitDifference, Math.abs(v * scale - float[i]!))));
    const floatLabel = argmax(float);
    if (floatLabel !== reference.label) disagreements.push(k);
    if (labels) {
      if (floatLabel === labels[k]) floatCorrect++;
      if (reference.label === labels[k]) quantisedCorrect++;
    }
    phase.tick();
  }
  phase.done();
  return {
    images: images.length,
    labelsAgreeing: images.length - disagreements.length,
    disagreements,
    maxLogitDifference,
    ...(labels ? { accuracy: { float: floatCorrect / images.length, quantised: quantisedCorrect / images.length } } : {}),
  };
}
