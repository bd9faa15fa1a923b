/**
 * The bytes and rounds an inference takes, predicted from the plan and the plugins' public sizes
 * (design §10: tests assert that what the engine sends is what the plan says). Every message of the
 * offline and online phases is listed in order, as the client sees it, so that rounds (changes of
 * direction, counted like `CountingChannel` does) come out of the same list as the bytes.
 */
import type { GarblingScheme } from '../garbling.ts';
import { offlineGarblingBytes } from '../gc/run-plan.ts';
import { otTraffic } from '../ot/ot-from-cot.ts';
import type { OtExtension } from '../ot.ts';
import type { HeWireSizes } from './he-protocol.ts';
import type { InferencePlan } from './plan.ts';
import { garbledProgram } from './programs.ts';

export interface PhaseTraffic {
  clientToServer: number;
  serverToClient: number;
  /** Changes of direction seen by the client (the phase's first message counts if it turns the direction). */
  rounds: number;
}

export interface LayerTraffic {
  readonly name: string;
  readonly offline: PhaseTraffic;
  readonly online: PhaseTraffic;
}

export interface InferenceTraffic {
  readonly offline: PhaseTraffic;
  readonly online: PhaseTraffic;
  readonly layers: LayerTraffic[];
}

export interface TrafficSizes {
  readonly wireSizes: HeWireSizes;
  readonly scheme: GarblingScheme;
  readonly ot: Pick<OtExtension, 'extensionBytes'>;
}

type Direction = 'up' | 'down';

interface Message {
  readonly phase: 'offline' | 'online';
  /** Index of the stage, or −1 for the session's own messages (control, OT precompute, reveal). */
  readonly stage: number;
  readonly direction: Direction;
  readonly bytes: number;
}

function empty(): PhaseTraffic {
  return { clientToServer: 0, serverToClient: 0, rounds: 0 };
}

/** Every message of one inference, in order (the engine's order: core/inference/server.ts, client.ts, layers/). */
function messages(plan: InferencePlan, sizes: TrafficSizes): Message[] {
  const out: Message[] = [];
  const push = (phase: Message['phase'], stage: number, direction: Direction, bytes: number) => {
    if (bytes > 0) out.push({ phase, stage, direction, bytes });
  };
  push('offline', -1, 'up', 1); // INFER
  if (plan.evaluatorInputBits > 0) push('offline', -1, 'up', otTraffic.precompute(sizes.ot, plan.evaluatorInputBits).receiverToSender);
  plan.stages.forEach((stage, i) => {
    if (stage.kind === 'nonlinear' || stage.kind === 'argmax') {
      const instances = stage.kind === 'nonlinear' ? stage.instances : 1;
      push('offline', i, 'down', offlineGarblingBytes(garbledProgram(stage, plan.p), { scheme: sizes.scheme, instances }));
    }
  });
  plan.stages.forEach((stage, i) => {
    if (stage.kind === 'linear') {
      const uploads = new Map<number, number>();
      for (const part of stage.parts) uploads.set(part.inputGroup, part.inputCiphertexts * (stage.square ? 2 : 1));
      push('online', i, 'up', [...uploads.values()].reduce((s, n) => s + n, 0) * sizes.wireSizes.upload);
      for (const part of stage.parts) push('online', i, 'down', part.outputCiphertexts * sizes.wireSizes.returned);
    } else if (stage.kind === 'nonlinear' || stage.kind === 'argmax') {
      const transfer = otTraffic.labelTransfer(garbledProgram(stage, plan.p).evaluatorWidths.reduce((s, w) => s + w, 0) * (stage.kind === 'nonlinear' ? stage.instances : 1));
      push('online', i, 'up', transfer.receiverToSender);
      push('online', i, 'down', transfer.senderToReceiver);
    }
  });
  if (plan.reveal === 'logits') push('online', -1, 'down', 4 * plan.stages.at(-1)!.outputLength);
  return out;
}

/**
 * The predicted traffic of one inference: per phase, and per stage (the session's own messages
 * count in the phases only). The session's setup ends, and each inference ends, with the client
 * receiving, so an inference starts with the direction 'down'.
 */
export function expectedTraffic(plan: InferencePlan, sizes: TrafficSizes): InferenceTraffic {
  const phases = { offline: empty(), online: empty() };
  const layers: LayerTraffic[] = plan.stages.map((s) => ({ name: s.name, offline: empty(), online: empty() }));
  let last: Direction = 'down';
  for (const m of messages(plan, sizes)) {
    const targets = [phases[m.phase], ...(m.stage >= 0 ? [layers[m.stage]![m.phase]] : [])];
    const turned = m.direction !== last;
    last = m.direction;
    for (const t of targets) {
      if (m.direction === 'up') t.clientToServer += m.bytes;
      else t.serverToClient += m.bytes;
      if (turned) t.rounds += 1;
    }
  }
  return { ...phases, layers };
}
