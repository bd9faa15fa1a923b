/**
 * The quantiser (issue 10, item 3; design §6): from a float model and calibration images to a
 * quantised model whose no-wrap-around proof (bounds.ts) holds.
 *
 * 1. BatchNorm is folded into the linear layer before it; an average pool becomes a sum pool: of a
 *    power-of-two area 2^k it adds k fractional bits, otherwise 1/area is folded into the next
 *    linear layer's float weights (through relu and max pools, which commute with a positive factor,
 *    and squares, which square it). A global average pool is a sum pool over the whole image.
 * 2. Every linear layer gets its own power-of-two weight scale, the largest that keeps its weights
 *    within `weightBits` signed bits; the bias is quantised at the layer's output scale.
 * 3. After a linear layer a `rescale` (truncation in the garbled circuit, fused with the ReLU and max
 *    pool there) brings activations back to about `activationBits` bits of magnitude, judged on the
 *    calibration images. Not before a square: x² is computed under HE (design §8), with no garbled
 *    circuit to truncate in, unless the bounds force one (then a rescale is inserted and reported).
 * 4. The model is built layer by layer with interval bounds. Where a bound would reach p/2 the
 *    quantiser gives up one bit, of the failing layer's weights or of the activations feeding it
 *    (one more bit of shift at the nearest rescale upstream, or of the input), whichever has more
 *    bits left, and rebuilds from there. When no bit is left it refuses with a ModelRangeError.
 * 5. The finished model is proven again from scratch (`requireNoWrap`), and the report gives every
 *    layer's bits, proven bound, headroom and the largest value seen on the calibration images, and
 *    float against quantised accuracy on labelled images when given.
 */
import { ConfigError, ModelFormatError, ModelRangeError } from '../errors.ts';
import type { LinearSpec, LinearWeights } from '../linear.ts';
import { signedBound } from '../modp.ts';
import { systemRandom, randomBytesFrom, type RandomSource } from '../random.ts';
import { ARCHITECTURE_FORMAT, shapeSize, type Architecture, type Layer, type Shape } from './architecture.ts';
import { layerBound, layerBox, requireNoWrap, type Box } from './bounds.ts';
import { floatActivations, floatInference } from './float-inference.ts';
import type { FloatModel } from './float-model.ts';
import { floatLayerShapes, floatLinearSpec } from './float-shapes.ts';
import { foldBatchNorm } from './fold-batchnorm.ts';
import { floatInput, quantiseInput, quantisedPixel } from './input.ts';
import type { Model } from './model.ts';
import { isPrime, layerOutputShape } from './validate.ts';
import { maxMagnitude } from './exact-linear.ts';
import { argmax, referenceInference } from './reference.ts';

/** The seal-bfv secure preset's plaintext prime (GAZELLE's 20-bit prime, ≡ 1 mod 2^15). */
export const DEFAULT_PLAIN_MODULUS = 557057;

export interface QuantiseOptions {
  /** The plaintext prime the model must fit (default 557057). */
  readonly plainModulus?: number;
  /** Bits of magnitude of the integer input (default 8: [0, 1] becomes 0..256). */
  readonly inputBits?: number;
  /** Signed bits of every layer's weights, sign included (default 8: |w| ≤ 127). */
  readonly weightBits?: number;
  /** Bits of magnitude of the activations after each rescale, on the calibration images (default 8). */
  readonly activationBits?: number;
  /** The fewest bits the quantiser may lower weights to (default 2) and activations or input to (default 1). */
  readonly minWeightBits?: number;
  readonly minActivationBits?: number;
  /** Labelled images (C×H×W 8-bit pixels) for the float-vs-quantised accuracy of the report. */
  readonly labelled?: { readonly images: readonly Uint8Array[]; readonly labels: readonly number[] };
  /** Source of the model's salt (default: the operating system's CSPRNG). */
  readonly random?: RandomSource;
}

export interface QuantisedLayerReport {
  readonly name: string;
  readonly kind: Layer['kind'];
  /** Fractional bits of the layer's output. */
  readonly scaleBits: number;
  /** Linear layers: signed bits of the largest weight, and the weights' fractional bits. */
  readonly weightBits?: number;
  readonly weightScaleBits?: number;
  /** Rescale layers: the shift. */
  readonly shift?: number;
  /** The proven bound on |value| for every input in the input range, and the bits to spare to (p−1)/2. */
  readonly bound: number;
  readonly headroomBits: number;
  /** The largest |value| seen on the calibration images (≤ bound). */
  readonly observed: number;
}

export interface QuantiseReport {
  readonly plainModulus: number;
  readonly inputScaleBits: number;
  readonly outputScaleBits: number;
  readonly layers: readonly QuantisedLayerReport[];
  /** What the quantiser changed and why (bits lowered, rescales inserted before squares, ...). */
  readonly notes: readonly string[];
  readonly accuracy?: { readonly images: number; readonly float: number; readonly quantised: number; readonly agreement: number };
}

type PlanLayer =
  | { readonly kind: 'linear'; readonly name: string; readonly spec: LinearSpec; readonly weights: Float64Array; readonly bias: Float64Array; readonly observed: number }
  | { readonly kind: 'relu' | 'square' | 'maxpool'; readonly name: string; readonly window: number; readonly stride: number; readonly observed: number }
  | { readonly kind: 'sumpool'; readonly name: string; readonly window: number; readonly stride: number; readonly areaBits: number; readonly observed: number };

/**
 * The folded model as a list of integer-friendly steps (avgpool → sumpool, factors folded into the
 * next linear weights), each with the largest |float value| after it on the calibration images,
 * times the factor by which the integer value will differ from the float one.
 */
function plan(folded: FloatModel, calibration: readonly Float64Array[]): PlanLayer[] {
  const observedMax = folded.layers.map(() => 0);
  for (const x of calibration) floatActivations(folded, x).forEach((a, i) => (observedMax[i] = Math.max(observedMax[i]!, maxMagnitude(a))));
  const shapes = floatLayerShapes(folded);
  const steps: PlanLayer[] = [];
  let shape = folded.input.shape;
  let factor = 1; // integer value / (float value · 2^scale) on the way to the next linear layer
  folded.layers.forEach((layer, i) => {
    const name = layer.name;
    if (layer.kind === 'conv2d' || layer.kind === 'dense') {
      const spec = floatLinearSpec(layer, shape);
      steps.push({ kind: 'linear', name, spec, weights: layer.weights.map((w) => w / factor), bias: layer.bias, observed: observedMax[i]! });
      factor = 1;
    } else if (layer.kind === 'avgpool' || layer.kind === 'globalavgpool') {
      const window = layer.kind === 'avgpool' ? layer.window : shape.height;
      if (layer.kind === 'globalavgpool' && shape.height !== shape.width) {
        throw new ModelFormatError(`a global average pool needs a square image to become a sum pool, got ${shape.height}x${shape.width}`, { layer: name });
      }
      const area = window * window;
      const areaBits = Number.isInteger(Math.log2(area)) ? Math.log2(area) : 0;
      if (areaBits === 0) factor *= area;
      steps.push({ kind: 'sumpool', name, window, stride: layer.kind === 'avgpool' ? layer.stride : 1, areaBits, observed: observedMax[i]! * factor });
    } else if (layer.kind === 'batchnorm') {
      throw new ModelFormatError('BatchNorm left after folding', { layer: name }); // foldBatchNorm removes or refuses every one
    } else {
      if (layer.kind === 'square') factor *= factor;
      const pool = layer.kind === 'maxpool' ? layer : { window: 1, stride: 1 };
      steps.push({ kind: layer.kind, name, window: pool.window, stride: pool.stride, observed: observedMax[i]! * factor });
    }
    shape = shapes[i]!;
  });
  if (factor !== 1) {
    const last = [...steps].reverse().find((s) => s.kind === 'sumpool')!;
    throw new ModelFormatError(`an average pool whose area is not a power of two needs a later linear layer to absorb 1/area; none follows`, { layer: last.name });
  }
  return steps;
}

/**
 * What the search lowers, one bit at a time: the input's fractional bits, each linear layer's weight
 * bits, and each linear layer's extra shift (bits of truncation after it beyond the natural one).
 */
interface Knobs {
  inputScale: number;
  readonly weightBits: number[];
  readonly extraShift: number[];
}

interface IntegerLayer {
  readonly layer: Layer;
  readonly weights?: LinearWeights;
  /** Fractional bits of its output. */
  readonly scale: number;
}

interface StepState {
  readonly box: Box;
  readonly scale: number;
  readonly shape: Shape;
}

const log2Ceil = (x: number) => Math.ceil(Math.log2(Math.max(x, 2 ** -24)));

function quantiseWeights(step: PlanLayer & { kind: 'linear' }, bits: number, inputScale: number): { weightScaleBits: number; weights: LinearWeights } {
  const largest = maxMagnitude(step.weights);
  // The largest power-of-two scale with |round(w·2^s)| ≤ 2^(bits−1) − 1, within [0, 24].
  const fit = largest === 0 ? 24 : Math.floor(Math.log2((2 ** (bits - 1) - 1) / largest));
  const weightScaleBits = Math.max(0, Math.min(24, fit));
  return {
    weightScaleBits,
    weights: {
      weights: Int32Array.from(step.weights, (w) => Math.round(w * 2 ** weightScaleBits)),
      bias: Int32Array.from(step.bias, (b) => Math.round(b * 2 ** (inputScale + weightScaleBits))),
    },
  };
}

/** Builds the integer model step by step with interval bounds, restarting from a step when a knob changes. */
class Builder {
  readonly layers: IntegerLayer[][] = [];
  readonly after: StepState[] = [];
  private readonly limit: number;

  constructor(
    private readonly steps: readonly PlanLayer[],
    private readonly knobs: Knobs,
    private readonly input: { readonly shape: Shape; readonly floatRange: readonly [number, number] },
    private readonly p: number,
    private readonly activationBits: number,
  ) {
    this.limit = signedBound(p);
  }

  inputBounds(): { min: number; max: number } {
    const { floatRange } = this.input;
    return { min: quantisedPixel(floatRange, this.knobs.inputScale, 0), max: quantisedPixel(floatRange, this.knobs.inputScale, 255) };
  }

  /**
   * The truncation after linear step i, whose output has `scale` fractional bits: down to about
   * `activationBits` bits of magnitude on the calibration images when a ReLU-type garbled circuit
   * follows; none before a square or after the last linear layer; plus the extra bits the search added.
   */
  shiftAfter(i: number, scale: number): number {
    const step = this.steps[i]!;
    const next = this.steps[i + 1];
    const later = this.steps.slice(i + 1).some((s) => s.kind === 'linear');
    const natural = next?.kind === 'square' || !later ? 0 : Math.max(0, scale - (this.activationBits - log2Ceil(step.observed)));
    return natural + this.knobs.extraShift[i]!;
  }

  private buildStep(i: number, before: StepState): IntegerLayer[] {
    const step = this.steps[i]!;
    const { scale, shape } = before;
    switch (step.kind) {
      case 'linear': {
        const { weightScaleBits, weights } = quantiseWeights(step, this.knobs.weightBits[i]!, scale);
        const layer: Layer =
          step.spec.kind === 'dense' ? { ...step.spec, name: step.name, weightScaleBits } : { ...step.spec, height: shape.height, width: shape.width, name: step.name, weightScaleBits };
        const out = scale + weightScaleBits;
        const shift = this.shiftAfter(i, out);
        const linear = { layer, weights, scale: out };
        return shift > 0 ? [linear, { layer: { kind: 'rescale', name: `${step.name}.rescale`, shift }, scale: out - shift }] : [linear];
      }
      case 'square':
        return [{ layer: { kind: 'square', name: step.name }, scale: 2 * scale }];
      case 'relu':
        return [{ layer: { kind: 'relu', name: step.name }, scale }];
      case 'maxpool':
        return [{ layer: { kind: 'maxpool', name: step.name, window: step.window, stride: step.stride }, scale }];
      case 'sumpool':
        return [{ layer: { kind: 'sumpool', name: step.name, window: step.window, stride: step.stride }, scale: scale + step.areaBits }];
    }
  }

  /** Build steps from `start` on; returns the index of the first step whose bound reaches p/2 (and its bound), or -1. */
  buildFrom(start: number): { failed: number; magnitude: number } {
    this.layers.length = start;
    this.after.length = start;
    const { min, max } = this.inputBounds();
    const n = shapeSize(this.input.shape);
    let state: StepState =
      start === 0 ? { box: { lo: new Float64Array(n).fill(min), hi: new Float64Array(n).fill(max) }, scale: this.knobs.inputScale, shape: this.input.shape } : this.after[start - 1]!;
    for (let i = start; i < this.steps.length; i++) {
      const layers = this.buildStep(i, state);
      let { box, shape } = state;
      for (const { layer, weights } of layers) {
        box = layerBox(layer, weights, box, shape);
        const { magnitude } = layerBound(layer, box, this.limit);
        if (magnitude > this.limit) return { failed: i, magnitude };
        shape = layerOutputShape(layer, shape, this.p);
      }
      this.layers.push(layers);
      state = { box, scale: layers.at(-1)!.scale, shape };
      this.after.push(state);
    }
    return { failed: -1, magnitude: 0 };
  }

  /** Bits of magnitude the values after step i (−1: the input) have on the calibration images. */
  precisionAfter(i: number, inputMagnitude: number): number {
    if (i < 0) return Math.log2(Math.max(1, inputMagnitude * 2 ** this.knobs.inputScale));
    return Math.log2(Math.max(1, this.steps[i]!.observed * 2 ** this.after[i]!.scale));
  }

  /** Bits of the proven bound on the values after step i (−1: the input). */
  boundBitsAfter(i: number): number {
    if (i < 0) {
      const { min, max } = this.inputBounds();
      return Math.log2(Math.max(1, -min, max));
    }
    const { box } = this.after[i]!;
    return Math.log2(Math.max(1, maxMagnitude(box.lo), maxMagnitude(box.hi)));
  }
}

function checkQuantiseOptions(options: QuantiseOptions): Required<Omit<QuantiseOptions, 'labelled' | 'random'>> {
  const p = options.plainModulus ?? DEFAULT_PLAIN_MODULUS;
  if (!isPrime(p) || p < 3 || p >= 2 ** 32) throw new ConfigError(`quantise: plainModulus must be an odd prime below 2^32, got ${p}`);
  const bits = (name: keyof QuantiseOptions, fallback: number, min: number, max: number) => {
    const value = (options[name] as number | undefined) ?? fallback;
    if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`quantise: ${name} must be an integer in [${min}, ${max}], got ${value}`);
    return value;
  };
  const minWeightBits = bits('minWeightBits', 2, 2, 16);
  const minActivationBits = bits('minActivationBits', 1, 0, 16);
  return {
    plainModulus: p,
    inputBits: bits('inputBits', 8, minActivationBits, 24),
    weightBits: bits('weightBits', 8, minWeightBits, 16),
    activationBits: bits('activationBits', 8, minActivationBits, 24),
    minWeightBits,
    minActivationBits,
  };
}

/** Describe what the search lowered, against where it started. */
function searchNotes(steps: readonly PlanLayer[], start: Knobs, end: Knobs, builder: Builder): string[] {
  const notes: string[] = [];
  if (end.inputScale !== start.inputScale) notes.push(`input: ${start.inputScale - end.inputScale} fractional bit(s) fewer than asked (now ${end.inputScale}), to fit p`);
  steps.forEach((step, i) => {
    if (step.kind !== 'linear') return;
    if (end.weightBits[i] !== start.weightBits[i]) notes.push(`${step.name}: weights lowered from ${start.weightBits[i]} to ${end.weightBits[i]} bits to fit p`);
    const extra = end.extraShift[i]!;
    if (extra === 0) return;
    const shift = builder.layers[i]!.find((l) => l.layer.kind === 'rescale');
    const next = steps[i + 1];
    notes.push(
      next?.kind === 'square' && shift?.layer.kind === 'rescale' && shift.layer.shift === extra
        ? `${step.name}: inserted a rescale by ${extra} bit(s) before square "${next.name}" (x² and the layer after it would otherwise reach p/2)`
        : `${step.name}: activations after it lowered by ${extra} bit(s) (rescale shift +${extra}) to fit p`,
    );
  });
  return notes;
}

/**
 * Quantise `floatModel` for the plaintext prime of `options` (default 557057), calibrating
 * activation scales on `calibrationImages` (C×H×W 8-bit pixels). The returned model is proven free
 * of wrap-around for every input in its input range; a model that cannot be made to fit is a
 * ModelRangeError naming the layer.
 */
export function quantise(floatModel: FloatModel, calibrationImages: readonly Uint8Array[], options: QuantiseOptions = {}): { model: Model; report: QuantiseReport } {
  const settings = checkQuantiseOptions(options);
  if (calibrationImages.length === 0) throw new ConfigError('quantise: at least one calibration image is needed to choose activation scales');
  const folded = foldBatchNorm(floatModel);
  const steps = plan(folded, calibrationImages.map((pixels) => floatInput(folded.input, pixels)));
  const range = folded.input.floatRange;
  const inputMagnitude = Math.max(Math.abs(range[0]), Math.abs(range[1]));
  const initial: Knobs = {
    inputScale: Math.max(0, Math.min(24, settings.inputBits - log2Ceil(inputMagnitude))),
    weightBits: steps.map(() => settings.weightBits),
    extraShift: steps.map(() => 0),
  };
  const knobs: Knobs = { inputScale: initial.inputScale, weightBits: [...initial.weightBits], extraShift: [...initial.extraShift] };
  const builder = new Builder(steps, knobs, folded.input, settings.plainModulus, settings.activationBits);
  for (let start = 0; ; ) {
    const { failed, magnitude } = builder.buildFrom(start);
    if (failed < 0) break;
    start = lowerOneBit(steps, knobs, builder, failed, magnitude, inputMagnitude, settings);
  }
  raiseBack(steps, knobs, initial, builder);
  const integerLayers = builder.layers.flat();
  const last = builder.after.at(-1)!;
  const architecture: Architecture = {
    format: ARCHITECTURE_FORMAT,
    name: floatModel.name,
    input: { shape: folded.input.shape, floatRange: range, scaleBits: knobs.inputScale, ...builder.inputBounds() },
    plainModulus: settings.plainModulus,
    layers: integerLayers.map((l) => l.layer),
    output: {
      classes: shapeSize(last.shape),
      scaleBits: last.scale,
      ...(floatModel.labels?.length === shapeSize(last.shape) ? { labels: floatModel.labels } : {}),
    },
  };
  const weights = new Map(integerLayers.filter((l) => l.weights).map((l) => [l.layer.name, l.weights!] as const));
  const model: Model = { architecture, weights, salt: randomBytesFrom(options.random ?? systemRandom(), 32) };
  const proof = requireNoWrap(model);
  const observed = integerLayers.map(() => 0);
  for (const pixels of calibrationImages) {
    referenceInference(model, quantiseInput(architecture, pixels)).activations.forEach((a, i) => (observed[i] = Math.max(observed[i]!, maxMagnitude(a))));
  }
  const report: QuantiseReport = {
    plainModulus: settings.plainModulus,
    inputScaleBits: knobs.inputScale,
    outputScaleBits: last.scale,
    layers: integerLayers.map(({ layer, weights: w, scale }, i) => ({
      name: layer.name,
      kind: layer.kind,
      scaleBits: scale,
      ...(w && 'weightScaleBits' in layer ? { weightBits: signedBits(maxMagnitude(w.weights)), weightScaleBits: layer.weightScaleBits } : {}),
      ...(layer.kind === 'rescale' ? { shift: layer.shift } : {}),
      bound: proof.layers[i]!.magnitude,
      headroomBits: proof.layers[i]!.headroomBits,
      observed: observed[i]!,
    })),
    notes: searchNotes(steps, initial, knobs, builder),
    ...(options.labelled ? { accuracy: accuracy(folded, model, options.labelled) } : {}),
  };
  return { model, report };
}

/** Signed bits (sign included) of an integer of magnitude m. */
function signedBits(m: number): number {
  return Math.ceil(Math.log2(m + 1)) + 1;
}

/**
 * One bit fewer where the bound of step `failed` reached p/2: the failing layer's weights, or the
 * activations feeding it (the shift after the nearest linear layer upstream, or the input's bits),
 * whichever keeps more bits on the calibration images. Weights stop at `minWeightBits`; activations
 * stop when their proven bound is down to `minActivationBits` bits (the input at 0 fractional bits).
 * Returns the step to rebuild from.
 */
function lowerOneBit(
  steps: readonly PlanLayer[],
  knobs: Knobs,
  builder: Builder,
  failed: number,
  magnitude: number,
  inputMagnitude: number,
  settings: ReturnType<typeof checkQuantiseOptions>,
): number {
  const step = steps[failed]!;
  let upstream = failed - 1;
  while (upstream >= 0 && steps[upstream]!.kind !== 'linear') upstream--;
  const activationPrecision = builder.precisionAfter(upstream, inputMagnitude);
  const canLowerActivations = builder.boundBitsAfter(upstream) > settings.minActivationBits && (upstream >= 0 || knobs.inputScale > 0);
  const weightBits = step.kind === 'linear' ? knobs.weightBits[failed]! : 0;
  const canLowerWeights = step.kind === 'linear' && weightBits > settings.minWeightBits;
  if (canLowerWeights && (weightBits - 1 > activationPrecision || !canLowerActivations)) {
    knobs.weightBits[failed] = weightBits - 1;
    return failed;
  }
  if (canLowerActivations) {
    if (upstream < 0) knobs.inputScale -= 1;
    else knobs.extraShift[upstream]! += 1;
    return Math.max(0, upstream);
  }
  throw new ModelRangeError(
    `cannot fit p = ${settings.plainModulus}: values can reach ${Number.isFinite(magnitude) ? `2^${Math.log2(magnitude).toFixed(2)}` : 'beyond 2^52'} ` +
      `(the limit is (p−1)/2 = 2^${Math.log2(signedBound(settings.plainModulus)).toFixed(2)}) ${step.kind === 'linear' ? `with weights at ${weightBits} bits and ` : ''}` +
      `with the values feeding this layer bounded by 2^${builder.boundBitsAfter(upstream).toFixed(1)}, the least allowed (minWeightBits ${settings.minWeightBits}, minActivationBits ${settings.minActivationBits}, input at ${knobs.inputScale} fractional bits). ` +
      'Use a larger plaintext prime, or a model with fewer or smaller weights.',
    { layer: step.name },
  );
}

/**
 * Give back bits the search took where the model still fits without them: a bit taken early (to fit
 * one layer) may no longer be needed once later layers were lowered too. Layer by layer from the
 * input, each knob is raised while the whole rest of the model still fits.
 */
function raiseBack(steps: readonly PlanLayer[], knobs: Knobs, initial: Knobs, builder: Builder): void {
  const attempt = (start: number, raise: () => void, undo: () => void) => {
    raise();
    if (builder.buildFrom(start).failed < 0) return true;
    undo();
    builder.buildFrom(start); // back to the state that fitted
    return false;
  };
  while (knobs.inputScale < initial.inputScale && attempt(0, () => knobs.inputScale++, () => knobs.inputScale--));
  steps.forEach((step, i) => {
    if (step.kind !== 'linear') return;
    while (knobs.weightBits[i]! < initial.weightBits[i]! && attempt(i, () => knobs.weightBits[i]!++, () => knobs.weightBits[i]!--));
    while (knobs.extraShift[i]! > 0 && attempt(i, () => knobs.extraShift[i]!--, () => knobs.extraShift[i]!++));
  });
}

function accuracy(folded: FloatModel, model: Model, labelled: NonNullable<QuantiseOptions['labelled']>): NonNullable<QuantiseReport['accuracy']> {
  if (labelled.images.length !== labelled.labels.length || labelled.images.length === 0) {
    throw new ConfigError(`quantise: labelled needs as many labels as images (got ${labelled.images.length} images, ${labelled.labels.length} labels), at least one`);
  }
  let [float, quantised, agreement] = [0, 0, 0];
  labelled.images.forEach((pixels, i) => {
    const f = argmax(floatInference(folded, floatInput(folded.input, pixels)));
    const q = referenceInference(model, quantiseInput(model.architecture, pixels)).label;
    float += Number(f === labelled.labels[i]);
    quantised += Number(q === labelled.labels[i]);
    agreement += Number(f === q);
  });
  const n = labelled.images.length;
  return { images: n, float: float / n, quantised: quantised / n, agreement: agreement / n };
}
