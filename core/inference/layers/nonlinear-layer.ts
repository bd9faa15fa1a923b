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
import { windowValues } from '../shares.ts';
import { GarbledClient, GarbledServer } from './garbled-layer.ts';

export class NonlinearServer extends GarbledServer<NonlinearStage> {
  protected serverInputs(share: Uint32Array): { columns: number[][]; outputShare: Uint32Array } {
    const { stage, ctx } = this;
    const pool = stage.neuron.pool ?? 1;
    const masks = ctx.masks.sample(ctx.random, stage.instances, ctx.plan.p);
    const windows = windowValues(share, stage.gather, pool);
    const columns: number[][] = Array.from({ length: pool + 1 }, () => new Array<number>(stage.instances));
    for (let i = 0; i < stage.instances; i++) {
      const prepared = neuronServerInputs(stage.neuron, windows.map((w) => w[i]!), masks[i]!);
      for (let j = 0; j < pool; j++) columns[j]![i] = prepared.server[j]!;
      columns[pool]![i] = prepared.mask;
    }
    return { columns, outputShare: masks };
  }
}

export class NonlinearClient extends GarbledClient<NonlinearStage> {
  protected clientInputs(share: Uint32Array): number[][] {
    return windowValues(share, this.stage.gather, this.stage.neuron.pool ?? 1);
  }

  protected read(outputs: readonly (readonly bigint[])[]): Uint32Array {
    const { stage, ctx } = this;
    const share = Uint32Array.from(outputs[0]!, Number);
    // The circuit reduces mod p; a value ≥ p means tables or labels that no honest garbler sent.
    const bad = share.findIndex((v) => v >= ctx.plan.p);
    if (bad >= 0) throw new ProtocolError(`layer ${stage.name}: neuron ${bad} decoded to ${share[bad]}, not a value mod ${ctx.plan.p}: the garbled circuit or its labels are corrupt`);
    ctx.observer?.decoded?.(stage.name, share, 'share');
    return share;
  }
}
