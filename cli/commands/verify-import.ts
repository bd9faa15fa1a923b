/**
 * `gazelle verify-import <model.onnx> <dir> --images <...>` (issue 10, item 6): the original ONNX
 * model in float (onnxruntime, wasm) against the imported model's plaintext integer reference, on
 * the given images: label agreement, the largest logit difference, and with `--labels` both
 * accuracies (how the README's accuracy table is measured).
 */
import { readFileSync } from 'node:fs';
import { readImageSet } from '../../core/image/image-set.ts';
import { shapeSize } from '../../core/model/architecture.ts';
import { loadModel } from '../../core/model/model-store.ts';
import { verifyImport } from '../../core/onnx/verify-import.ts';
import { ConfigError } from '../../core/errors.ts';
import { numberOption } from '../args.ts';
import { UsageError, type Command } from '../command.ts';

const percent = (fraction: number) => `${(100 * fraction).toFixed(2)}%`;

export const verifyImportCommand: Command = {
  name: 'verify-import',
  summary: 'cross-check an imported model against the original ONNX model run by onnxruntime',
  usage: '<model.onnx> <model-dir|name> --images <images> [options]',
  description:
    'Runs the ONNX model in float with onnxruntime (wasm, one thread) and the imported model with the plaintext ' +
    'integer reference (exactly what the secure protocol computes) on every image, and prints on how many images ' +
    "their labels agree and the largest difference of their logits (the reference's integers read at the output " +
    'scale; a final Softmax dropped by the import is dropped from the ONNX model too). With --labels it also prints ' +
    'the float and the quantised accuracy. Exit code 1 if the agreement is below --min-agreement.',
  options: {
    images: {
      type: 'string',
      multiple: true,
      value: '<images>',
      description: 'an idx file (all images, or file:first-last), a directory of PNG/PGM files, or single images (repeatable)',
    },
    labels: { type: 'string', value: '<file>', description: 'an idx label file for idx images (same indices): adds float and quantised accuracy' },
    'min-agreement': { type: 'string', value: '<fraction>', description: 'fail (exit code 1) if fewer labels agree than this fraction, 0..1 (default: never fail)' },
  },
  examples: [
    {
      command: 'gazelle verify-import models/onnx/D.onnx D --images data/mnist/t10k-images-idx3-ubyte.gz --labels data/mnist/t10k-labels-idx1-ubyte.gz',
      explanation: 'network D on the 10,000 MNIST test digits: agreement, largest logit difference, float and quantised accuracy',
    },
    { command: 'gazelle verify-import model.onnx my-model --images digits/ --min-agreement 0.99', explanation: 'fail unless 99% of the labels agree on a directory of PNG files' },
  ],
  async run({ positionals, values, json, stdout, progress }) {
    const [file, dir, ...extra] = positionals;
    if (file === undefined || dir === undefined) throw new UsageError('expected <model.onnx> <model-dir|name>');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const specs = values.images as string[] | undefined;
    if (!specs || specs.length === 0) throw new UsageError('missing --images <images>');
    const minAgreement = numberOption(values['min-agreement'], '--min-agreement', { min: 0, max: 1 });
    const model = loadModel(dir);
    const arch = model.architecture;
    // Loaded here, not with the CLI: the ONNX libraries invalidate V8's ArrayBuffer detaching protector (bin/gazelle.mjs).
    const [{ importOnnxFile }, { OnnxRuntimeModel }] = await Promise.all([import('../../core/onnx/onnx-to-float-model.ts'), import('../../core/onnx/onnxruntime-model.ts')]);
    const { model: floatModel, onnxIo } = importOnnxFile(file);
    const onnxShape = floatModel.input.shape;
    if (shapeSize(onnxShape) !== shapeSize(arch.input.shape) || onnxShape.channels !== arch.input.shape.channels) {
      throw new ConfigError(`${file} takes ${onnxShape.channels}x${onnxShape.height}x${onnxShape.width} inputs, the model "${arch.name}" (${dir}) takes ${arch.input.shape.channels}x${arch.input.shape.height}x${arch.input.shape.width}: not an import of it`);
    }
    const { images, labels } = readImageSet(specs, arch.input.shape, typeof values.labels === 'string' ? values.labels : undefined);
    const runtime = await OnnxRuntimeModel.create(readFileSync(file), onnxIo, file);
    let result;
    try {
      result = await verifyImport(runtime, model, images, labels, progress);
    } finally {
      await runtime.dispose();
    }
    if (json) {
      stdout(JSON.stringify({ onnx: file, model: dir, logitScaleBits: arch.output.scaleBits, ...result, disagreements: result.disagreements.slice(0, 100) }, null, 2));
    } else {
      stdout(`${result.images} images: labels agree on ${result.labelsAgreeing} (${percent(result.labelsAgreeing / result.images)})`);
      stdout(`largest logit difference: ${result.maxLogitDifference.toPrecision(3)} (logits at 2^-${arch.output.scaleBits})`);
      if (result.disagreements.length > 0) stdout(`labels differ on images ${result.disagreements.slice(0, 20).join(', ')}${result.disagreements.length > 20 ? ', ...' : ''} (in the order given)`);
      if (result.accuracy) stdout(`accuracy: float (onnxruntime) ${percent(result.accuracy.float)}, quantised (reference) ${percent(result.accuracy.quantised)}`);
    }
    return minAgreement !== undefined && result.labelsAgreeing < minAgreement * result.images ? 1 : 0;
  },
};
