/**
 * The `label` reveal policy: a garbled argmax over the final shares, so that the client learns the
 * class and nothing of the logits (design §2 step 5). Offline like any garbled layer; the client's
 * output is the decoded index.
 */
import { neuronServerInputs } from '../../circuit/lib/neuron.ts';
import { ProtocolError } from '../../errors.ts';
import { evaluateStored, type GarbledOffline, type StoredGarbledCircuit } from '../../gc/offline.ts';
import type { ArgmaxStage } from '../plan.ts';
import { garbledProgram } from '../programs.ts';
import { label, type ClientContext, type ClientLayer, type ServerContext, type ServerLayer } from './context.ts';

export class ArgmaxServer implements ServerLayer {
  #garbled: GarbledOffline | undefined;

  constructor(
    private readonly stage: ArgmaxStage,
    private readonly ctx: ServerContext,
  ) {}

  async offline(inputShare: Uint32Array | null): Promise<Uint32Array> {
    const { stage, ctx } = this;
    const p = ctx.plan.p;
    const share = inputShare ?? new Uint32Array(stage.classes);
    const { server } = neuronServerInputs({ p, pool: stage.classes }, Array.from(share), 0);
    ctx.channel.setLabel(label('offline', stage.name));
    this.#garbled = await ctx.gc.garbleOffline(garbledProgram(stage, p), server.map((q) => [q]));
    return new Uint32Array(1);
  }

  async online(): Promise<void> {
    this.ctx.channel.setLabel(label('online', this.stage.name));
    await this.ctx.gc.sendEvaluatorLabels(this.#garbled!);
  }
}

export class ArgmaxClient implements ClientLayer {
  #stored: StoredGarbledCircuit | undefined;

  constructor(
    private readonly stage: ArgmaxStage,
    private readonly ctx: ClientContext,
  ) {}

  async offline(): Promise<void> {
    this.ctx.channel.setLabel(label('offline', this.stage.name));
    this.#stored = await this.ctx.gc.receiveGarbled(garbledProgram(this.stage, this.ctx.plan.p));
  }

  async online(inputShare: Uint32Array): Promise<Uint32Array> {
    this.ctx.channel.setLabel(label('online', this.stage.name));
    const stored = this.#stored!;
    this.#stored = undefined;
    const labels = await this.ctx.gc.receiveEvaluatorLabels(stored, Array.from(inputShare, (v) => [v]));
    const { outputs } = await evaluateStored(stored, labels);
    const index = Number(outputs[0]![0]!);
    if (index >= this.stage.classes) throw new ProtocolError(`argmax decoded to class ${index} of ${this.stage.classes}: the garbled circuit or its labels are corrupt`);
    this.ctx.observer?.decoded?.(this.stage.name, Uint32Array.of(index), 'output');
    return Uint32Array.of(index);
  }
}
