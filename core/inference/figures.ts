/**
 * Time, bytes and rounds of an inference, per phase and per layer (design §3: communication
 * accounting per party, per direction, per phase, per layer), read from the client's counting
 * channel: what the client sent went to the server and vice versa. The client receives only what
 * the layer it runs asks for, so the traffic between two snapshots belongs to the layer between them.
 */
import type { TrafficStats } from '../channel/counting.ts';

export interface Figures {
  /** Wall-clock seconds at the client (waiting for the server included: what a user sees). */
  seconds: number;
  clientToServer: number;
  serverToClient: number;
  /** Changes of direction seen by the client. */
  rounds: number;
  messages: number;
}

export function emptyFigures(): Figures {
  return { seconds: 0, clientToServer: 0, serverToClient: 0, rounds: 0, messages: 0 };
}

export function addFigures(into: Figures, more: Figures): Figures {
  into.seconds += more.seconds;
  into.clientToServer += more.clientToServer;
  into.serverToClient += more.serverToClient;
  into.rounds += more.rounds;
  into.messages += more.messages;
  return into;
}

/** The client's traffic between two snapshots of its counting channel's totals. */
export function trafficBetween(before: TrafficStats, after: TrafficStats): Omit<Figures, 'seconds'> {
  return {
    clientToServer: after.sent.bytes - before.sent.bytes,
    serverToClient: after.received.bytes - before.received.bytes,
    rounds: after.rounds - before.rounds,
    messages: after.sent.messages + after.received.messages - before.sent.messages - before.received.messages,
  };
}

export interface LayerFigures {
  readonly name: string;
  readonly kind: string;
  readonly offline: Figures;
  readonly online: Figures;
}

export interface InferenceFigures {
  readonly offline: Figures;
  readonly online: Figures;
  readonly layers: LayerFigures[];
}
