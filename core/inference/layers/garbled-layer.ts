/**
 * What every garbled stage shares (design §2 steps 4-5): offline, the server garbles the stage's
 * circuit with its own inputs and streams it; the client stores it. Online, the client's input
 * labels come by the precomputed label transfer and it evaluates the stored circuit. A stage says
 * only what differs: the server's inputs and output share, the client's inputs and how it reads
 * the decoded outputs.
 */
import { evaluateStored, type GarbledOffline, type StoredGarbledCircuit } from '../../gc/offline.ts';
import type { ArgmaxStage, NonlinearStage } from '../plan.ts';
import { garbledProgram } from '../programs.ts';
import { label, type ClientContext, type ClientLayer, type ServerContext, type ServerLayer } from './context.ts';

export type GarbledStage = NonlinearStage | ArgmaxStage;

/** Circuit instances of a stage: one per output value of a non-linear stage, one argmax. */
function instancesOf(stage: GarbledStage): number {
  return stage.kind === 'nonlinear' ? stage.instances : 1;
}

export abstract class GarbledServer<S extends GarbledStage> implements ServerLayer {
  #garbled: GarbledOffline | undefined;

  constructor(
    protected readonly stage: S,
    protected readonly ctx: ServerContext,
  ) {}

  /** The garbler's input values (`columns[k][i]`: input k of instance i) and the server's output share. */
  protected abstract serverInputs(share: Uint32Array): { columns: number[][]; outputShare: Uint32Array };

  async offline(inputShare: Uint32Array | null): Promise<Uint32Array> {
    const { stage, ctx } = this;
    const { columns, outputShare } = this.serverInputs(inputShare ?? new Uint32Array(stage.inputLength));
    ctx.channel.setLabel(label('offline', stage.name));
    this.#garbled = await ctx.gc.garbleOffline(garbledProgram(stage, ctx.plan.p), columns, { instances: instancesOf(stage) });
    return outputShare;
  }

  async online(): Promise<void> {
    this.ctx.channel.setLabel(label('online', this.stage.name));
    await this.ctx.gc.sendEvaluatorLabels(this.#garbled!);
  }
}

export abstract class GarbledClient<S extends GarbledStage> implements ClientLayer {
  #stored: StoredGarbledCircuit | undefined;

  constructor(
    protected readonly stage: S,
    protected readonly ctx: ClientContext,
  ) {}

  /** The evaluator's input values (`inputs[k][i]`: input k of instance i) from the client's share. */
  protected abstract clientInputs(share: Uint32Array): number[][];

  /** The client's output from the decoded circuit outputs; a `ProtocolError` if no honest garbler could have produced them. */
  protected abstract read(outputs: readonly (readonly bigint[])[]): Uint32Array;

  async offline(): Promise<void> {
    this.ctx.channel.setLabel(label('offline', this.stage.name));
    this.#stored = await this.ctx.gc.receiveGarbled(garbledProgram(this.stage, this.ctx.plan.p), { instances: instancesOf(this.stage) });
  }

  async online(inputShare: Uint32Array): Promise<Uint32Array> {
    this.ctx.channel.setLabel(label('online', this.stage.name));
    const stored = this.#stored!;
    this.#stored = undefined;
    const labels = await this.ctx.gc.receiveEvaluatorLabels(stored, this.clientInputs(inputShare));
    const { outputs } = await evaluateStored(stored, labels);
    return this.read(outputs);
  }
}
