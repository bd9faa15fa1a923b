/**
 * What every prepared GAZELLE layer shares: the cached weight plaintexts (released by `dispose`),
 * input checks, structural disposal of intermediates, and per-call operation counts.
 */
import { DisposalScope, withScope } from '../../core/dispose.ts';
import type { HeBackend, HeCiphertext, HePlaintext, HeServerKeys } from '../../core/he.ts';
import type { LinearSpec, OpCounts, PreparedLinear, SlotLayout, WorkPiece } from '../../core/linear.ts';
import { CountingEvaluator, zeroCounts } from './counting-evaluator.ts';

/**
 * The kernel proper: W·x + b on `inputs`. Everything it creates goes into `scope` (released when
 * the call ends, errors included) except what it returns.
 */
export type KernelRun = (inputs: readonly HeCiphertext[], ops: CountingEvaluator, scope: DisposalScope) => HeCiphertext[];

/** What a prepared layer publishes besides `apply`. */
export type KernelDescription = Pick<PreparedLinear, 'spec' | 'method' | 'piece' | 'inputLayout' | 'outputLayout' | 'rotationSteps' | 'expectedCounts'>;

/** Weight plaintexts of one layer, encoded once (design §4: weights are fixed per model). */
export class PlaintextCache {
  readonly #scope = new DisposalScope();
  constructor(private readonly backend: HeBackend) {}
  forMultiply(slots: Uint32Array): HePlaintext {
    return this.#scope.track(this.backend.encodeForMultiply(slots));
  }
  forAddition(slots: Uint32Array): HePlaintext {
    return this.#scope.track(this.backend.encode(slots));
  }
  dispose(): void {
    this.#scope.dispose();
  }
}

/** Build a layer's plaintexts with `encode`; if that fails, what was already encoded is released. */
export function buildKernel(
  backend: HeBackend,
  description: KernelDescription,
  encode: (cache: PlaintextCache) => KernelRun,
): PreparedLinear {
  const cache = new PlaintextCache(backend);
  try {
    return new PreparedKernel(backend, description, encode(cache), cache);
  } catch (error) {
    cache.dispose();
    throw error;
  }
}

class PreparedKernel implements PreparedLinear {
  readonly spec: LinearSpec;
  readonly method: PreparedLinear['method'];
  readonly piece: WorkPiece;
  readonly inputLayout: SlotLayout;
  readonly outputLayout: SlotLayout;
  readonly rotationSteps: readonly number[];
  readonly expectedCounts: OpCounts;
  lastCounts: OpCounts = zeroCounts();
  #disposed = false;

  constructor(
    private readonly backend: HeBackend,
    description: KernelDescription,
    private readonly run: KernelRun,
    private readonly cache: PlaintextCache,
  ) {
    ({
      spec: this.spec,
      method: this.method,
      piece: this.piece,
      inputLayout: this.inputLayout,
      outputLayout: this.outputLayout,
      rotationSteps: this.rotationSteps,
      expectedCounts: this.expectedCounts,
    } = description);
  }

  apply(inputs: readonly HeCiphertext[], keys: HeServerKeys): HeCiphertext[] {
    if (this.#disposed) throw new Error(`${this.spec.kind} layer: apply() after dispose()`);
    if (inputs.length !== this.inputLayout.ciphertexts) {
      throw new RangeError(`${this.spec.kind} layer: expected ${this.inputLayout.ciphertexts} input ciphertexts, got ${inputs.length}`);
    }
    const ops = new CountingEvaluator(this.backend, keys);
    const outputs = withScope((scope) => this.run(inputs, ops, scope).map((ct) => scope.keep(ct)));
    this.lastCounts = { ...ops.counts };
    return outputs;
  }

  dispose(): void {
    this.#disposed = true;
    this.cache.dispose();
  }
}
