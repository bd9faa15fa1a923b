/** The protocol of each kind of stage, with its two roles (Delphi-style per-layer protocol objects). */
import type { Stage } from '../plan.ts';
import { ArgmaxClient, ArgmaxServer } from './argmax-layer.ts';
import type { ClientContext, ClientLayer, ServerContext, ServerLayer } from './context.ts';
import { LinearClient, LinearServer } from './linear-layer.ts';
import { NonlinearClient, NonlinearServer } from './nonlinear-layer.ts';
import { SumPoolClient, SumPoolServer } from './sumpool-layer.ts';

export function serverLayer(stage: Stage, ctx: ServerContext): ServerLayer {
  switch (stage.kind) {
    case 'linear':
      return new LinearServer(stage, ctx);
    case 'nonlinear':
      return new NonlinearServer(stage, ctx);
    case 'sumpool':
      return new SumPoolServer(stage, ctx.plan.p);
    case 'argmax':
      return new ArgmaxServer(stage, ctx);
  }
}

export function clientLayer(stage: Stage, ctx: ClientContext): ClientLayer {
  switch (stage.kind) {
    case 'linear':
      return new LinearClient(stage, ctx);
    case 'nonlinear':
      return new NonlinearClient(stage, ctx);
    case 'sumpool':
      return new SumPoolClient(stage, ctx.plan.p);
    case 'argmax':
      return new ArgmaxClient(stage, ctx);
  }
}
