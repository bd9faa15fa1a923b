/** Transports create channels: both ends in one process, or a listening server and connecting clients. */
import type { Channel } from './channel.ts';

export interface TransportOptions {
  /** Largest frame a receiver accepts, in bytes; a larger incoming frame is a `TransportError`. */
  maxFrameBytes?: number;
  /** A `recv` that sees no data, or a send the peer does not read, for this long fails with a `TransportError`. */
  idleTimeoutMs?: number;
  /** `connect` gives up after this long. */
  connectTimeoutMs?: number;
}

/** Where a server listens and a client connects. `port: 0` lets the OS choose. */
export interface Address {
  host?: string;
  port: number;
}

/** How a listener's sessions went: running now, finished normally, ended by an error, connections refused. */
export interface SessionCounts {
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
  readonly refused: number;
}

/** A running server; `close` stops accepting and ends open sessions. */
export interface Listener {
  readonly address: Address;
  readonly sessions: SessionCounts;
  /**
   * Stop taking sessions: a new connection is refused with `reason` (the client's error says it),
   * the running sessions go on to their end; resolves once they have all ended and the listener
   * no longer listens.
   */
  drain(reason?: string): Promise<void>;
  close(): Promise<void>;
}

/** Both ends of one connection, in one process. */
export interface ChannelPair {
  readonly client: Channel;
  readonly server: Channel;
  close(): Promise<void>;
}

/** What a session handler knows of its connection. */
export interface SessionInfo {
  /** The peer, for logs (`127.0.0.1:51234`). */
  readonly peer: string;
}

/** A session handler: runs one protocol session on an accepted channel. */
export type SessionHandler = (channel: Channel, info: SessionInfo) => Promise<void> | void;

/** Optional observers of a listener (a failed session never stops the server). */
export interface ListenHooks {
  /** A session's handler threw or rejected. */
  onSessionError?(error: unknown, info: SessionInfo): void;
  /** A connection was refused without a session (session cap reached, draining), saying `reason`. */
  onRefused?(reason: string, info: SessionInfo): void;
}

export interface Transport {
  readonly name: string;
  /** A connected pair of channels in this process (tests, benchmarks, single-process runs). */
  pair(): Promise<ChannelPair>;
  /** Accept connections; every accepted connection is one session, run by `onSession`. */
  listen(address: Address, onSession: SessionHandler, hooks?: ListenHooks): Promise<Listener>;
  /** Connect to a listening peer. */
  connect(address: Address): Promise<Channel>;
}
