/**
 * Setup phase, first exchange (design §10): the server announces the protocol version, the public
 * architecture, the model's fingerprint and its public parameters; the client checks that it speaks
 * the same protocol with compatible plugins and answers with its reveal policy. Each side refuses a
 * mismatch with an error naming both values; the announcement carries no secret.
 */
import type { Channel } from '../channel.ts';
import { ConfigError, ProtocolError } from '../errors.ts';
import type { HeParameters } from '../he.ts';
import type { Architecture } from '../model/architecture.ts';
import type { HeWireSizes } from './he-protocol.ts';
import { recvJson, sendJson } from './messages.ts';
import { REVEAL_POLICIES, type RevealPolicy } from './plan.ts';

export const PROTOCOL_VERSION = 'gazelle-inference/1';

/** Largest handshake message accepted (an architecture of a few hundred layers fits easily). */
const MAX_HANDSHAKE_BYTES = 1 << 20;

export interface ServerAnnouncement {
  readonly protocol: string;
  readonly architecture: Architecture;
  readonly architectureFingerprint: string;
  readonly modelFingerprint: string;
  readonly he: { readonly plugin: string; readonly params: HeParameters; readonly wireSizes: HeWireSizes };
  readonly garbling: { readonly plugin: string; readonly tableBytesPerAnd: number };
  readonly otExtension: string;
  /** HE workers per linear layer (the plan splits layers into this many parts). */
  readonly parallelism: number;
}

export interface ClientReply {
  readonly protocol: string;
  readonly reveal: RevealPolicy;
  /** The fingerprint of the architecture the client accepted (echoed, so both plan the same model). */
  readonly architectureFingerprint: string;
}

export async function announce(channel: Channel, announcement: ServerAnnouncement): Promise<ClientReply> {
  await sendJson(channel, announcement);
  const reply = (await recvJson(channel, MAX_HANDSHAKE_BYTES, 'client reply')) as Partial<ClientReply> | null;
  if (typeof reply !== 'object' || reply === null) throw new ProtocolError('client reply: expected a JSON object');
  checkProtocol(reply.protocol, 'client');
  if (!REVEAL_POLICIES.includes(reply.reveal as RevealPolicy)) {
    throw new ProtocolError(`client reply: reveal policy ${JSON.stringify(reply.reveal)} is not one of ${REVEAL_POLICIES.join(', ')}`);
  }
  if (reply.architectureFingerprint !== announcement.architectureFingerprint) {
    throw new ProtocolError(`client reply: the client accepted architecture ${String(reply.architectureFingerprint)}, this server serves ${announcement.architectureFingerprint}`);
  }
  return reply as ClientReply;
}

export interface ClientExpectations {
  readonly reveal: RevealPolicy;
  /** The client's own HE parameters and plugin names: the server's must match. */
  readonly he: { readonly plugin: string; readonly params: HeParameters };
  readonly garbling: { readonly plugin: string; readonly tableBytesPerAnd: number };
  readonly otExtension: string;
  /** If the client expects a particular model architecture, its fingerprint. */
  readonly architectureFingerprint?: string;
}

/** Read the server's announcement: the protocol version and the architecture's fingerprint checked. */
export async function readAnnouncement(channel: Channel, fingerprint: (architecture: Architecture) => string): Promise<ServerAnnouncement> {
  const raw = (await recvJson(channel, MAX_HANDSHAKE_BYTES, 'server announcement')) as Partial<ServerAnnouncement> | null;
  if (typeof raw !== 'object' || raw === null) throw new ProtocolError('server announcement: expected a JSON object');
  checkProtocol(raw.protocol, 'server');
  const a = raw as ServerAnnouncement;
  if (typeof a.architecture !== 'object' || a.architecture === null) throw new ProtocolError('server announcement: no architecture');
  const actual = fingerprint(a.architecture);
  if (actual !== a.architectureFingerprint) throw new ProtocolError(`server announcement: the architecture's fingerprint is ${actual}, the server claims ${String(a.architectureFingerprint)}`);
  if (!Number.isSafeInteger(a.parallelism) || a.parallelism < 1 || a.parallelism > 64) throw new ProtocolError(`server announcement: parallelism ${a.parallelism} is not in 1..64`);
  return a;
}

/** Check the announcement against what this client speaks and expects, then reply with the client's choices. */
export async function replyToAnnouncement(channel: Channel, a: ServerAnnouncement, expect: ClientExpectations): Promise<void> {
  if (expect.architectureFingerprint !== undefined && expect.architectureFingerprint !== a.architectureFingerprint) {
    throw new ConfigError(
      `the server serves model "${a.architecture.name}" (architecture ${a.architectureFingerprint.slice(0, 16)}…), not the one this client expects (${expect.architectureFingerprint.slice(0, 16)}…)`,
    );
  }
  const mine = expect.he.params;
  const theirs = a.he?.params;
  const same = theirs && mine.polyModulusDegree === theirs.polyModulusDegree && mine.plainModulus === theirs.plainModulus && mine.coeffModulusBits.join() === theirs.coeffModulusBits?.join();
  if (!same || a.he.plugin !== expect.he.plugin) {
    throw new ConfigError(
      `the server's HE is ${a.he?.plugin} with n = ${theirs?.polyModulusDegree}, p = ${theirs?.plainModulus}, q = ${theirs?.coeffModulusBits?.join('+')} bits; ` +
        `this client's is ${expect.he.plugin} with n = ${mine.polyModulusDegree}, p = ${mine.plainModulus}, q = ${mine.coeffModulusBits.join('+')} bits: configure the same he plugin and preset`,
    );
  }
  if (a.garbling?.plugin !== expect.garbling.plugin || a.garbling.tableBytesPerAnd !== expect.garbling.tableBytesPerAnd) {
    throw new ConfigError(`the server garbles with ${a.garbling?.plugin}, this client evaluates ${expect.garbling.plugin}: configure the same garbling plugin`);
  }
  if (a.otExtension !== expect.otExtension) {
    throw new ConfigError(`the server's OT extension is ${a.otExtension}, this client's is ${expect.otExtension}: configure the same ot-extension plugin`);
  }
  await sendJson(channel, { protocol: PROTOCOL_VERSION, reveal: expect.reveal, architectureFingerprint: a.architectureFingerprint } satisfies ClientReply);
}

/** The peer speaks another version of this protocol: nothing after the handshake would be understood. */
export class ProtocolVersionError extends ProtocolError {
  constructor(
    /** The version the peer announced (as sent: possibly not a string). */
    readonly theirs: unknown,
    peer: 'client' | 'server',
  ) {
    super(
      `the ${peer} speaks protocol ${JSON.stringify(theirs)}; this ${peer === 'server' ? 'client' : 'server'} speaks ${PROTOCOL_VERSION}: ` +
        `use a ${peer === 'server' ? 'client' : 'server'} of the ${peer}'s version (or the ${peer} of this one)`,
    );
  }
}

function checkProtocol(protocol: unknown, peer: 'client' | 'server'): void {
  if (protocol !== PROTOCOL_VERSION) throw new ProtocolVersionError(protocol, peer);
}
