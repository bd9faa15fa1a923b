/**
 * The server's HE: a pool of worker threads (he-worker.ts) holding the model's prepared layer slices,
 * so that a linear layer runs on every core while the client waits (issue 11 item 5). Part k of a
 * stage runs on worker (first + k) mod W, where `first` rotates from stage to stage, so that unsplit
 * layers and their cached plaintexts spread over the workers too. The pool is the server's, shared by
 * its sessions; a session's keys and per-inference layers live in every worker under its id.
 */
import { availableParallelism } from 'node:os';
import type { GazelleConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';
import type { HeParameters } from '../he.ts';
import type { LinearWeights } from '../linear.ts';
import type { Model } from '../model/model.ts';
import type { RegistrySource } from '../registry.ts';
import type { HeWireSizes, SquaredInput } from './he-protocol.ts';
import { HeThread } from './he-thread.ts';
import type { InferencePlan, LinearPart, LinearStage } from './plan.ts';

export interface PartResult {
  readonly ciphertexts: Uint8Array[];
  readonly marginBits: number[];
}

/** One part's inputs for `ServerHe.linear`. */
export interface PartInputs {
  /** The client's ciphertexts for this part's input group. */
  readonly inputs: Uint8Array[];
  /** The server's share packed in the part's input layout; null when it is zero (the image). */
  readonly share: Uint32Array[] | null;
  /** The mask, one slot vector per output ciphertext. */
  readonly mask: Uint32Array[];
  /** With a squared input: the client's [c²] and the cross term's form (he-protocol.ts); `share` is then unused. */
  readonly squared: SquaredInput | null;
}

/** The weights of a part: output units [unitStart, unitStart + count) of the layer (all of them for a piece). */
export function partWeights(weights: LinearWeights, part: LinearPart, units: number): LinearWeights {
  const perUnit = weights.weights.length / units;
  const count = part.spec.kind === 'dense' ? part.spec.outputs : part.spec.outChannels;
  return {
    weights: weights.weights.slice(part.unitStart * perUnit, (part.unitStart + count) * perUnit),
    bias: weights.bias.slice(part.unitStart, part.unitStart + count),
  };
}

export function layerUnits(stage: LinearStage): number {
  return stage.layer.kind === 'dense' ? stage.layer.outputs : stage.layer.outChannels;
}

export class ServerHe {
  readonly #threads: HeThread[];
  #models = 0;

  private constructor(threads: HeThread[]) {
    this.#threads = threads;
  }

  /** Start `workers` HE workers (default: one per core) with the configured `he` and `linear` plugins. */
  static async start(config: GazelleConfig, registry: RegistrySource, workers = availableParallelism()): Promise<ServerHe> {
    if (!Number.isSafeInteger(workers) || workers < 1) throw new ConfigError(`HE workers must be a positive integer, got ${workers}`);
    const started = await Promise.allSettled(Array.from({ length: workers }, (_, i) => HeThread.start(`server-he-${i}`, config, registry)));
    const threads = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      await Promise.all(threads.map((t) => t.close()));
      throw (failed as PromiseRejectedResult).reason;
    }
    return new ServerHe(threads);
  }

  get workers(): number {
    return this.#threads.length;
  }

  get params(): HeParameters {
    return this.#threads[0]!.params;
  }

  get wireSizes(): HeWireSizes {
    return this.#threads[0]!.wireSizes;
  }

  /** Encode every part of every linear stage of `plan` on its worker (once per model). */
  async prepareModel(plan: InferencePlan, model: Model): Promise<PreparedModel> {
    const id = `m${this.#models++}`;
    const placement = new Map<string, number[]>();
    const jobs: Promise<void>[] = [];
    let first = 0;
    for (const stage of plan.stages) {
      if (stage.kind !== 'linear') continue;
      const weights = model.weights.get(stage.name);
      if (!weights) throw new ConfigError(`model "${model.architecture.name}" has no weights for layer ${stage.name}`);
      const workers = stage.parts.map((_, k) => (first + k) % this.workers);
      placement.set(stage.name, workers);
      stage.parts.forEach((part, k) => {
        const slice = partWeights(weights, part, layerUnits(stage));
        jobs.push(this.#threads[workers[k]!]!.request('prepare', { layer: partKey(id, stage, k), spec: part.spec, piece: part.piece, ...slice }));
      });
      first = (first + stage.parts.length) % this.workers;
    }
    await Promise.all(jobs);
    return new PreparedModel(id, this.#threads, placement);
  }

  async importKeys(session: string, keys: Uint8Array): Promise<void> {
    await Promise.all(this.#threads.map((t) => t.request('import-keys', { session, keys })));
  }

  async endSession(session: string): Promise<void> {
    await Promise.all(this.#threads.map((t) => t.request('end-session', { session })));
  }

  /** Native objects alive in each worker. */
  liveObjects(): Promise<number[]> {
    return Promise.all(this.#threads.map((t) => t.request('live-objects', {})));
  }

  /** Bytes of wasm memory (node-seal's heap) in each worker. */
  wasmHeapBytes(): Promise<number[]> {
    return Promise.all(this.#threads.map((t) => t.request('wasm-heap', {})));
  }

  async close(): Promise<void> {
    await Promise.all(this.#threads.map((t) => t.close()));
  }
}

function partKey(model: string, stage: LinearStage, k: number): string {
  return `${model}/${stage.name}#${k}`;
}

/** A model's layer slices, prepared in the pool's workers (several models may share a pool). */
export class PreparedModel {
  constructor(
    readonly id: string,
    private readonly threads: readonly HeThread[],
    private readonly placement: ReadonlyMap<string, readonly number[]>,
  ) {}

  /** A per-inference layer for part k of `stage` (W·diag(2s) of a squared input, square.ts). */
  async prepareSessionLayer(session: string, stage: LinearStage, k: number, weights: LinearWeights): Promise<void> {
    const part = stage.parts[k]!;
    await this.#thread(stage, k).request('prepare-session-layer', { session, layer: partKey(this.id, stage, k), spec: part.spec, piece: part.piece, ...weights });
  }

  /** Every part of `stage`, in parallel on its worker; results in part order. */
  linear(session: string, stage: LinearStage, parts: readonly PartInputs[], minMarginBits: number): Promise<PartResult>[] {
    return parts.map((p, k) =>
      this.#thread(stage, k).request('linear', {
        session,
        layer: partKey(this.id, stage, k),
        inputs: p.inputs,
        share: p.squared ? null : p.share,
        mask: p.mask,
        squared: p.squared,
        minMarginBits,
      }),
    );
  }

  /** Release the model's layers in every worker. */
  async release(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.request('release', { prefix: `${this.id}/` })));
  }

  #thread(stage: LinearStage, k: number): HeThread {
    const index = this.placement.get(stage.name)?.[k];
    if (index === undefined) throw new Error(`model ${this.id}: layer ${stage.name} part ${k} was not prepared`);
    return this.threads[index]!;
  }
}
