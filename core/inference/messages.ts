/**
 * Framing of the engine's variable-size messages (handshake JSON, HE keys): a 4-byte little-endian
 * length, then the payload, in one `send`. Everything else has sizes both parties know from the plan.
 * A peer that announces more than the limit, or sends bytes that do not parse, is a `ProtocolError`.
 */
import type { Channel, MessageKind } from '../channel.ts';
import { ProtocolError } from '../errors.ts';

/** What the client sends before each inference, or to end the session (one 'control' byte). */
export const CONTROL = { END: 0, INFER: 1 } as const;

export async function sendFramed(channel: Channel, payload: Uint8Array, kind: MessageKind): Promise<void> {
  const message = new Uint8Array(4 + payload.length);
  new DataView(message.buffer).setUint32(0, payload.length, true);
  message.set(payload, 4);
  await channel.send(message, kind);
}

export async function recvFramed(channel: Channel, kind: MessageKind, maxBytes: number, what: string): Promise<Uint8Array> {
  const header = await channel.recv(4, kind);
  const length = new DataView(header.buffer, header.byteOffset, 4).getUint32(0, true);
  if (length > maxBytes) throw new ProtocolError(`${what}: the peer announces ${length} bytes, more than the ${maxBytes} allowed`);
  return channel.recv(length, kind);
}

export async function sendJson(channel: Channel, value: unknown): Promise<void> {
  await sendFramed(channel, new TextEncoder().encode(JSON.stringify(value)), 'control');
}

export async function recvJson(channel: Channel, maxBytes: number, what: string): Promise<unknown> {
  const bytes = await recvFramed(channel, 'control', maxBytes, what);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new ProtocolError(`${what}: the peer sent ${bytes.length} bytes that are not UTF-8 JSON`, { cause: error });
  }
}

/** Values mod p as 4-byte little-endian words (shares revealed at the end). */
export function encodeValues(values: Uint32Array): Uint8Array {
  return new Uint8Array(Uint32Array.from(values).buffer);
}

export function decodeValues(bytes: Uint8Array, p: number, what: string): Uint32Array {
  const values = new Uint32Array(bytes.slice().buffer);
  const bad = values.findIndex((v) => v >= p);
  if (bad >= 0) throw new ProtocolError(`${what}: value ${bad} is ${values[bad]}, not reduced mod ${p}`);
  return values;
}
