/** Sum pooling, locally on each party's share (design §1: no crypto, no message). */
import type { SumPoolStage } from '../plan.ts';
import { sumGathered } from '../shares.ts';
import type { ClientLayer, ServerLayer } from './context.ts';

export class SumPoolServer implements ServerLayer {
  constructor(
    private readonly stage: SumPoolStage,
    private readonly p: number,
  ) {}

  async offline(inputShare: Uint32Array | null): Promise<Uint32Array> {
    return sumGathered(inputShare ?? new Uint32Array(this.stage.inputLength), this.stage.gather, this.stage.window ** 2, this.p);
  }

  async online(): Promise<void> {}
}

export class SumPoolClient implements ClientLayer {
  constructor(
    private readonly stage: SumPoolStage,
    private readonly p: number,
  ) {}

  async offline(): Promise<void> {}

  async online(inputShare: Uint32Array): Promise<Uint32Array> {
    return sumGathered(inputShare, this.stage.gather, this.stage.window ** 2, this.p);
  }
}
