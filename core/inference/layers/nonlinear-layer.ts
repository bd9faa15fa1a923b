/**
 * A run of ReLU / max pooling / rescaling as one garbled neuron per output value (design §2 step 4,
 * `core/circuit/lib/neuron.ts`). Offline, the server draws the output masks r'', garbles the layer
 * with its own inputs (prepared from its shares and masks by `neuronServerInputs`) and sends the
 * circuit; online, the client obtains the labels of its shares by the precomputed label transfer and
 * evaluates: its output share is ReLU(max(·)) >> shift − r''; the server's is r''.
 */
import { neuronServerInputs } from '../../circuit/lib/neuron.ts';
import { ProtocolError } from '../../errors.ts';
import type { NonlinearStage } from '../plan.ts';
import { garbledProgram } from '../programs.ts';
import { evaluateStored, type GarbledOffline, type StoredGarbledCircuit } from '../../gc/offline.ts';
import { windowValues } from '../shares.ts';
import { label, type ClientContext, type ClientLayer, type ServerContext, type ServerLayer } from './context.ts';

export class NonlinearServer implements ServerLayer {
  #garbled: GarbledOffline | undefined;

  constructor(
    private readonly stage: NonlinearStage,
    private readonly ctx: ServerContext,
  ) {}

  async offline(inputShare: Uint32Array | null): Promise<Uint32Array> {
    const { stage, ctx } = this;
    const pool = stage.neuron.pool ?? 1;
    const share = inputShare ?? new Uint32Array(stage.inputLength);
    const masks = ctx.masks.sample(ctx.random, stage.instances, ctx.plan.p);
    const windows = windowValues(share, stage.gather, pool);
    const columns: number[][] = Array.from({ length: pool + 1 }, () => new Array<number>(stage.instances));
    for (let i = 0; i < stage.instances; i++) {
      const prepared = neuronServerInputs(stage.neuron, windows.map((w) => w[i]!), masks[i]!);
      for (let j = 0; j < pool; j++) columns[j]![i] = prepared.server[j]!;
      columns[pool]![i] = prepared.mask;
    }
    ctx.channel.setLabel(label('offline', stage.name));
    this.#garbled = await ctx.gc.garbleOffline(garbledProgram(stage, ctx.plan.p), columns, { instances: stage.instances });
    return masks;
  }

  async online(): Promise<void> {
    this.ctx.channel.setLabel(label('online', this.stage.name));
    await this.ctx.gc.sendEvaluatorLabels(this.#garbled!);
  }
}

export class NonlinearClient implements ClientLayer {
  #stored: StoredGarbledCircuit | undefined;

  constructor(
    private readonly stage: NonlinearStage,
    private readonly ctx: ClientContext,
  ) {}

  async offline(): Promise<void> {
    this.ctx.channel.setLabel(label('offline', this.stage.name));
    this.#stored = await this.ctx.gc.receiveGarbled(garbledProgram(this.stage, this.ctx.plan.p), { instances: this.stage.instances });
  }

  async online(inputShare: Uint32Array): Promise<Uint32Array> {
    const { stage, ctx } = this;
    ctx.channel.setLabel(label('online', stage.name));
    const stored = this.#stored!;
    this.#stored = undefined;
    const labels = await ctx.gc.receiveEvaluatorLabels(stored, windowValues(inputShare, stage.gather, stage.neuron.pool ?? 1));
    const { outputs } = await evaluateStored(stored, labels);
    const share = Uint32Array.from(outputs[0]!, Number);
    // The circuit reduces mod p; a value ≥ p means tables or labels that no honest garbler sent.
    const bad = share.findIndex((v) => v >= ctx.plan.p);
    if (bad >= 0) throw new ProtocolError(`layer ${stage.name}: neuron ${bad} decoded to ${share[bad]}, not a value mod ${ctx.plan.p}: the garbled circuit or its labels are corrupt`);
    ctx.observer?.decoded?.(stage.name, share, 'share');
    return share;
  }
}
