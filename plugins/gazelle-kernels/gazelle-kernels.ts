/**
 * GAZELLE's packed kernels as a `LinearKernels` plugin: hybrid diagonal matvec (matvec-plan.ts),
 * conv2d with input or output rotation chosen by cost (conv-plan.ts, conv-work.ts), each whole or
 * cut into pieces for workers sharing a layer (`WorkPiece`).
 *
 * Layouts between layers. Every layer's input and output are plain logical vectors (dense: length n;
 * conv: C×H×W channel-major, so a flatten before a dense layer is the identity) and each layer says
 * how they sit in slots: `inputLayout.pack` (the client packs its share c, the server packs s, both
 * with the same layout, so [c] + s = [x]) and `outputLayout.unpack` (the client unpacks its
 * decrypted W·x + b − r, the server unpacks its mask r). Output layouts `sum`: the kernels end with
 * partial sums spread over several slots (the matvec's slots ≡ r mod n_oc, a folded conv's channel
 * blocks) and leave their final rotate-and-sum to `unpack`, on shares (core/linear.ts). A mask must
 * therefore be uniform and independent in EVERY slot: the summed slots hold weight-dependent partial
 * sums, and the slots `unpack` ignores other weight-dependent values (stride-1 pixels a strided layer
 * skips). Between layers the shares are unpacked to logical vectors, go through
 * the non-linear layer (ReLU, pooling, rescaling, per neuron), and are packed with the next layer's
 * input layout, which therefore never has to match the previous output layout. Strided conv: the
 * output layout selects every stride-th pixel of the stride-1 result.
 */
import type { HeBackend } from '../../core/he.ts';
import {
  validateLinearSpec,
  validateLinearWeights,
  validateWorkPiece,
  type ConvVariant,
  type HeParameterSource,
  type LinearKernels,
  type LinearSpec,
  type LinearWeights,
  type OpCounts,
  type PrepareOptions,
  type PreparedLinear,
  type WorkPiece,
} from '../../core/linear.ts';
import { convInputLayout, convOutputLayout, planConv, type ConvPlan } from './conv-plan.ts';
import { chooseConvVariant, convMaxPieces, convPieceCounts, convRotationSteps, cutConvWork, type ConvPiece } from './conv-work.ts';
import { prepareConv } from './conv2d.ts';
import { DEFAULT_COST_MODEL, type CostModel } from './cost-model.ts';
import { prepareMatvec } from './matvec.ts';
import { matvecExpectedCounts, matvecInputLayout, matvecOutputLayout, matvecRotationSteps, planMatvec, type MatvecPlan } from './matvec-plan.ts';

export interface GazelleKernelOptions {
  /** Default convolution variant for layers prepared without one (`auto`: by cost). */
  readonly variant?: ConvVariant | 'auto';
  /** Relative operation costs for `auto` (e.g. measured per-operation seconds). */
  readonly costModel?: CostModel;
}

export class GazelleKernels implements LinearKernels {
  readonly name = 'gazelle';
  readonly #variant: ConvVariant | 'auto';
  readonly #costModel: CostModel;

  constructor(options: GazelleKernelOptions = {}) {
    const variant = options.variant ?? 'auto';
    if (!['auto', 'input-rotation', 'output-rotation'].includes(variant)) {
      throw new RangeError(`gazelle kernels: variant must be auto, input-rotation or output-rotation, got ${String(variant)}`);
    }
    this.#variant = variant;
    this.#costModel = options.costModel ?? DEFAULT_COST_MODEL;
  }

  /** The convolution variant `prepare` uses for `spec` (public: depends on the shape and n only). */
  convVariant(spec: LinearSpec, backend: HeParameterSource, options: PrepareOptions = {}): ConvVariant | undefined {
    if (spec.kind !== 'conv2d') return undefined;
    const variant = options.variant ?? this.#variant;
    return variant === 'auto' ? chooseConvVariant(planConv(spec, backend.params.slotCount), this.#costModel) : variant;
  }

  /** Both convolution variants rotate by the same steps (conv-work.ts); a piece (`options.piece`) may need fewer, or one more. */
  rotationSteps(spec: LinearSpec, backend: HeParameterSource, options: PrepareOptions = {}): readonly number[] {
    const work = this.#work(spec, backend, options);
    return work.kind === 'dense' ? matvecRotationSteps(work.plan) : convRotationSteps(work.plan, work.piece);
  }

  expectedCounts(spec: LinearSpec, backend: HeParameterSource, options: PrepareOptions = {}): OpCounts {
    const work = this.#work(spec, backend, options);
    return work.kind === 'dense' ? matvecExpectedCounts(work.plan, work.workPiece) : convPieceCounts(work.plan, work.variant, work.piece);
  }

  /** Dense: one piece per input ciphertext; conv: one per diagonal or (output rotation) per (input ciphertext, tap) (conv-work.ts). */
  maxPieces(spec: LinearSpec, backend: HeParameterSource, options: PrepareOptions = {}): number {
    validateLinearSpec(spec);
    const n = backend.params.slotCount;
    return spec.kind === 'dense' ? planMatvec(spec, n).inputCiphertexts : convMaxPieces(planConv(spec, n), this.convVariant(spec, backend, options)!);
  }

  /** Both convolution variants share their layouts (conv-plan.ts), so no variant is needed here. */
  layouts(spec: LinearSpec, backend: HeParameterSource): Pick<PreparedLinear, 'inputLayout' | 'outputLayout'> {
    validateLinearSpec(spec);
    const { slotCount: n, plainModulus: p } = backend.params;
    if (spec.kind === 'dense') {
      const plan = planMatvec(spec, n);
      return { inputLayout: matvecInputLayout(plan), outputLayout: matvecOutputLayout(plan, p) };
    }
    const plan = planConv(spec, n);
    return { inputLayout: convInputLayout(plan), outputLayout: convOutputLayout(plan, p) };
  }

  prepare(spec: LinearSpec, weights: LinearWeights, backend: HeBackend, options: PrepareOptions = {}): PreparedLinear {
    const work = this.#work(spec, backend, options);
    validateLinearWeights(spec, weights);
    return work.kind === 'dense'
      ? prepareMatvec(work.plan.spec, weights, backend, work.workPiece)
      : prepareConv(work.plan.spec, weights, backend, work.variant, work.workPiece, work.piece);
  }

  /** The geometry, variant and piece of the work `prepare` does for these arguments (validated). */
  #work(spec: LinearSpec, backend: HeParameterSource, options: PrepareOptions): LayerWork {
    validateLinearSpec(spec);
    const n = backend.params.slotCount;
    const workPiece = options.piece ?? WHOLE;
    validateWorkPiece(workPiece, this.maxPieces(spec, backend, options));
    if (spec.kind === 'dense') return { kind: 'dense', plan: planMatvec(spec, n), workPiece };
    const plan = planConv(spec, n);
    const variant = this.convVariant(spec, backend, options)!;
    return { kind: 'conv2d', plan, variant, workPiece, piece: cutConvWork(plan, variant, workPiece, this.#costModel) };
  }
}

const WHOLE: WorkPiece = { index: 0, count: 1 };

type LayerWork =
  | { readonly kind: 'dense'; readonly plan: MatvecPlan; readonly workPiece: WorkPiece }
  | { readonly kind: 'conv2d'; readonly plan: ConvPlan; readonly variant: ConvVariant; readonly workPiece: WorkPiece; readonly piece: ConvPiece };
