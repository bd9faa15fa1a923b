/** Transports create channels: both ends in one process, or a listening server and connecting clients. */
import type { Channel } from './channel.ts';

export interface TransportOptions {
  /** Largest frame a receiver accepts, in bytes; a larger incoming frame is a `TransportError`. */
  maxFrameBytes?: number;
  /** A `recv` that sees no data for this long fails with a `TransportError`. */
  idleTimeoutMs?: number;
  /** `connect` gives up after this long. */
  connectTimeoutMs?: number;
}

/** Where a server listens and a client connects. `port: 0` lets the OS choose. */
export interface Address {
  host?: string;
  port: number;
}

/** A running server; `close` stops accepting and ends open sessions. */
export interface Listener {
  readonly address: Address;
  close(): Promise<void>;
}

/** Both ends of one connection, in one process. */
export interface ChannelPair {
  readonly client: Channel;
  readonly server: Channel;
  close(): Promise<void>;
}

/** A session handler: runs one protocol session on an accepted channel. */
export type SessionHandler = (channel: Channel) => Promise<void> | void;

export interface Transport {
  readonly name: string;
  /** A connected pair of channels in this process (tests, benchmarks, single-process runs). */
  pair(): Promise<ChannelPair>;
  /** Accept connections; every accepted connection is one session, run by `onSession`. */
  listen(address: Address, onSession: SessionHandler): Promise<Listener>;
  /** Connect to a listening peer. */
  connect(address: Address): Promise<Channel>;
}
