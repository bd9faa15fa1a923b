/**
 * The `label` reveal policy: a garbled argmax over the final shares, so that the client learns the
 * class and nothing of the logits (design §2 step 5). Offline like any garbled layer; the client's
 * output is the decoded index.
 */
import { neuronServerInputs } from '../../circuit/lib/neuron.ts';
import { ProtocolError } from '../../errors.ts';
import type { ArgmaxStage } from '../plan.ts';
import { GarbledClient, GarbledServer } from './garbled-layer.ts';

export class ArgmaxServer extends GarbledServer<ArgmaxStage> {
  protected serverInputs(share: Uint32Array): { columns: number[][]; outputShare: Uint32Array } {
    const { server } = neuronServerInputs({ p: this.ctx.plan.p, pool: this.stage.classes }, Array.from(share), 0);
    // The class index is revealed to the client: the server's output share is 0.
    return { columns: server.map((q) => [q]), outputShare: new Uint32Array(1) };
  }
}

export class ArgmaxClient extends GarbledClient<ArgmaxStage> {
  protected clientInputs(share: Uint32Array): number[][] {
    return Array.from(share, (v) => [v]);
  }

  protected read(outputs: readonly (readonly bigint[])[]): Uint32Array {
    const index = Number(outputs[0]![0]!);
    if (index >= this.stage.classes) throw new ProtocolError(`argmax decoded to class ${index} of ${this.stage.classes}: the garbled circuit or its labels are corrupt`);
    this.ctx.observer?.decoded?.(this.stage.name, Uint32Array.of(index), 'output');
    return Uint32Array.of(index);
  }
}
