/**
 * `gazelle import <model.onnx> --out <dir>`: an ONNX model (PyTorch, Keras via tf2onnx, CNTK) to a
 * model directory: parsed into a float model (core/onnx/), quantised with its no-wrap proof
 * (core/model/quantise.ts), saved (architecture.json + weights.bin). Prints the notices of the
 * import (operators skipped) and the quantisation report.
 */
import { readImageSet } from '../../core/image/image-set.ts';
import { MNIST_TEST_IMAGES } from '../../core/image/idx.ts';
import { saveModel } from '../../core/model/model-files.ts';
import { quantise, type QuantiseReport } from '../../core/model/quantise.ts';
import { numberOption } from '../args.ts';
import { UsageError, type Command } from '../command.ts';
import { renderTable } from '../format.ts';

/** Calibration images when none are given, for a 1×28×28 model: the first of the MNIST test set. */
const DEFAULT_CALIBRATION = `${MNIST_TEST_IMAGES}:0-499`;

/** `lo..hi`, two decimal numbers (undefined when absent). */
function inputRangeOption(value: unknown): [number, number] | undefined {
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? /^\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*\.\.\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*$/.exec(value) : null;
  if (!match || !(Number(match[1]) < Number(match[2]))) throw new UsageError(`--input-range must be lo..hi with lo < hi (e.g. 0..1 or -1..1), got ${JSON.stringify(value)}`);
  return [Number(match[1]), Number(match[2])];
}

function reportLines(report: QuantiseReport): string[] {
  const rows = report.layers.map((l) => [
    l.name,
    l.kind,
    String(l.scaleBits),
    l.weightBits === undefined ? '' : String(l.weightBits),
    l.shift === undefined ? '' : String(l.shift),
    String(l.bound),
    l.headroomBits.toFixed(2),
    String(l.observed),
  ]);
  return [
    `plaintext prime p = ${report.plainModulus}; input ${report.inputScaleBits} fractional bits, logits ${report.outputScaleBits}`,
    renderTable(['layer', 'kind', 'frac. bits', 'weight bits', 'shift', 'proven bound', 'headroom bits', 'largest seen'], rows),
    ...report.notes.map((n) => `note: ${n}`),
  ];
}

export const importCommand: Command = {
  name: 'import',
  summary: 'import an ONNX model: map its operators, quantise with a no-wrap proof, save a model directory',
  usage: '<model.onnx> --out <dir> [options]',
  description:
    'Reads the ONNX file (any opset; PyTorch, tf2onnx and CNTK exports), maps its chain of operators onto the ' +
    'model format and reports every unsupported operator, attribute or shape at once. Operators that change no ' +
    'label (Dropout, Identity, a final Softmax) are skipped with a notice: the imported logits are pre-softmax. ' +
    'The float model is then quantised (scales from the calibration images, a proof that no value reaches p/2) ' +
    'and saved as <dir>/architecture.json and <dir>/weights.bin. Check it with `gazelle verify-import`.',
  options: {
    out: { type: 'string', value: '<dir>', description: 'the model directory to write (created; existing files are replaced)' },
    calibrate: {
      type: 'string',
      multiple: true,
      value: '<images>',
      description: 'images that set the activation scales: an idx file (all, or file:first-last), a directory of PNG/PGM, or single images (default for 1×28×28 models: MNIST test digits 0-499)',
    },
    'input-range': {
      type: 'string',
      value: '<lo..hi>',
      description: 'the float range the model was trained on: pixel v (0..255) stands for lo + (hi − lo)·v/255 (default 0..1)',
    },
    name: { type: 'string', value: '<name>', description: "the model's name in its architecture (default: the file name without .onnx)" },
    'plain-modulus': { type: 'string', value: '<prime>', description: 'the plaintext prime the model must fit (default 557057, the HE secure preset\'s); larger primes keep more bits' },
  },
  examples: [
    { command: 'gazelle import models/onnx/D.onnx --out models/D', explanation: 'network D as trained by training/train_mnist.py, calibrated on MNIST test digits' },
    {
      command: 'gazelle import model.onnx --input-range -1..1 --calibrate calibration/ --out my-model',
      explanation: 'a model trained on pixels scaled to [-1, 1], calibrated on a directory of PNG files',
    },
  ],
  async run({ positionals, values, json, stdout, info }) {
    const [file, ...extra] = positionals;
    if (file === undefined) throw new UsageError('missing <model.onnx>');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const out = values.out;
    if (typeof out !== 'string' || out === '') throw new UsageError('missing --out <dir>');
    const plainModulus = numberOption(values['plain-modulus'], '--plain-modulus', { min: 3, max: 2 ** 32 - 1, integer: true });
    // Loaded here, not with the CLI: the ONNX libraries invalidate V8's ArrayBuffer detaching protector (bin/gazelle.mjs).
    const { importOnnxFile } = await import('../../core/onnx/onnx-to-float-model.ts');
    const { model: floatModel, notices, opset, producer } = importOnnxFile(file, { inputRange: inputRangeOption(values['input-range']), ...(typeof values.name === 'string' ? { name: values.name } : {}) });
    const shape = floatModel.input.shape;
    const given = values.calibrate as string[] | undefined;
    const mnistShaped = shape.channels === 1 && shape.height === 28 && shape.width === 28;
    if (!given && !mnistShaped) throw new UsageError(`--calibrate <images> is needed: the model takes ${shape.channels}x${shape.height}x${shape.width} images`);
    const calibration = readImageSet(given ?? [DEFAULT_CALIBRATION], shape).images;
    const { model, report } = quantise(floatModel, calibration, plainModulus === undefined ? {} : { plainModulus });
    saveModel(out, model);
    if (json) {
      stdout(JSON.stringify({ source: file, producer, opset, out, notices, calibrationImages: calibration.length, report }, null, 2));
      return 0;
    }
    info(`${file}: ${producer || 'unknown producer'}, opset ${opset}; ${floatModel.layers.length} float layers; calibrated on ${calibration.length} images${given ? '' : ' (MNIST test digits 0-499)'}`);
    for (const notice of notices) stdout(`notice: ${notice}`);
    for (const line of reportLines(report)) stdout(line);
    stdout(`saved ${out}/architecture.json and ${out}/weights.bin`);
    return 0;
  },
};
