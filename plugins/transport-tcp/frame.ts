/**
 * The TCP wire format. The byte stream is a sequence of frames:
 *
 *   offset  size  field
 *   0       2     magic 0x47 0x5A ("GZ"), catches a peer that is not speaking this protocol
 *   2       1     version, 1
 *   3       1     type: 0 = data, 1 = refusal (anything else is malformed)
 *   4       4     payload length L, unsigned big-endian, 1 <= L <= the receiver's maxFrameBytes
 *                 (a refusal: 1 <= L <= MAX_REFUSAL_BYTES)
 *   8       L     payload
 *
 * Data frames carry no message boundaries: a `send` becomes ceil(n / maxFrameBytes) frames and the
 * receiver's `recv(n)` reads n bytes across whatever frames they came in. A refusal frame is the
 * only thing a listener sends on a connection it will not serve (session cap reached, shutting
 * down): its payload is the reason in UTF-8, then the listener closes the connection, so the
 * client can say why instead of reporting a bare disconnection.
 */
import { TransportError } from '../../core/errors.ts';

export const FRAME_HEADER_BYTES = 8;
const MAGIC_0 = 0x47;
const MAGIC_1 = 0x5a;
const VERSION = 1;
const TYPE_DATA = 0;
const TYPE_REFUSAL = 1;
/** Longest refusal reason accepted (a sentence, not a message channel). */
export const MAX_REFUSAL_BYTES = 1024;

/** The 8-byte header of a data frame of `length` payload bytes. */
export function frameHeader(length: number, type = TYPE_DATA): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header[0] = MAGIC_0;
  header[1] = MAGIC_1;
  header[2] = VERSION;
  header[3] = type;
  header.writeUInt32BE(length, 4);
  return header;
}

/** A whole refusal frame saying `reason` (cut to MAX_REFUSAL_BYTES at a character boundary). */
export function refusalFrame(reason: string): Buffer {
  let payload = Buffer.from(reason || 'refused', 'utf8');
  if (payload.length > MAX_REFUSAL_BYTES) payload = Buffer.from(new TextDecoder().decode(payload.subarray(0, MAX_REFUSAL_BYTES)).replace(/\uFFFD$/, ''), 'utf8');
  return Buffer.concat([frameHeader(payload.length, TYPE_REFUSAL), payload]);
}

/** `data` cut into frame payloads of at most `maxFrameBytes` (views, no copies). */
export function framePayloads(data: Uint8Array, maxFrameBytes: number): Uint8Array[] {
  const payloads: Uint8Array[] = [];
  for (let offset = 0; offset < data.length; offset += maxFrameBytes) {
    payloads.push(data.subarray(offset, Math.min(offset + maxFrameBytes, data.length)));
  }
  return payloads;
}

/** `data` as the bytes that go on the wire (one contiguous buffer; for tests and raw writers). */
export function encodeFrames(data: Uint8Array, maxFrameBytes: number): Buffer {
  return Buffer.concat(framePayloads(data, maxFrameBytes).flatMap((p) => [frameHeader(p.length), p]));
}

/**
 * Parses the incoming stream, chunk by chunk, into payload pieces handed to `onPayload` as views
 * of the received chunks (a payload split across chunks comes out in several pieces; nothing is
 * copied except a header split across chunks). A refusal frame's reason goes to `onRefusal` once
 * complete; nothing after it is decoded. A malformed or oversized header throws a
 * `TransportError`; the stream cannot be resynchronised after that, so the decoder stays failed.
 */
export class FrameDecoder {
  readonly #header = Buffer.alloc(FRAME_HEADER_BYTES);
  #headerFill = 0;
  /** Payload bytes still to come in the current frame; 0 while reading a header. */
  #payloadLeft = 0;
  #frameLength = 0;
  /** The pieces of a refusal's reason while it arrives; undefined in a data frame. */
  #refusal: Uint8Array[] | undefined;
  #refused = false;
  #failed: TransportError | undefined;

  constructor(
    private readonly describe: string,
    private readonly maxFrameBytes: number,
    private readonly onPayload: (piece: Uint8Array) => void,
    private readonly onRefusal: (reason: string) => void = () => {},
  ) {}

  push(chunk: Uint8Array): void {
    if (this.#failed) throw this.#failed;
    let offset = 0;
    while (offset < chunk.length && !this.#refused) {
      if (this.#payloadLeft > 0) {
        const n = Math.min(this.#payloadLeft, chunk.length - offset);
        this.#payloadLeft -= n;
        const piece = chunk.subarray(offset, offset + n);
        offset += n;
        if (!this.#refusal) {
          this.onPayload(piece);
          continue;
        }
        this.#refusal.push(piece.slice());
        if (this.#payloadLeft === 0) {
          this.#refused = true;
          this.onRefusal(new TextDecoder().decode(Buffer.concat(this.#refusal)));
        }
        continue;
      }
      const n = Math.min(FRAME_HEADER_BYTES - this.#headerFill, chunk.length - offset);
      this.#header.set(chunk.subarray(offset, offset + n), this.#headerFill);
      this.#headerFill += n;
      offset += n;
      if (this.#headerFill === FRAME_HEADER_BYTES) {
        this.#headerFill = 0;
        this.#frameLength = this.#payloadLeft = this.#checkHeader();
        this.#refusal = this.#header[3] === TYPE_REFUSAL ? [] : undefined;
      }
    }
  }

  /**
   * Where the stream stopped, if in the middle of a frame (for the "truncated frame" error when
   * the peer closes), else undefined.
   */
  get partialFrame(): string | undefined {
    if (this.#headerFill > 0) return `${this.#headerFill} of ${FRAME_HEADER_BYTES} header bytes`;
    if (this.#payloadLeft > 0) {
      return `${this.#frameLength - this.#payloadLeft} of ${this.#frameLength} payload bytes`;
    }
    return undefined;
  }

  #checkHeader(): number {
    const h = this.#header;
    const length = h.readUInt32BE(4);
    let problem: string | undefined;
    if (h[0] !== MAGIC_0 || h[1] !== MAGIC_1) problem = `bad magic 0x${h.toString('hex', 0, 2)} (expected 0x475a)`;
    else if (h[2] !== VERSION) problem = `unsupported version ${h[2]} (this build speaks version ${VERSION})`;
    else if (h[3] !== TYPE_DATA && h[3] !== TYPE_REFUSAL) problem = `unknown frame type ${h[3]}`;
    else if (length === 0) problem = 'empty frame (length 0)';
    else if (h[3] === TYPE_REFUSAL && length > MAX_REFUSAL_BYTES) problem = `refusal of ${length} bytes (at most ${MAX_REFUSAL_BYTES})`;
    if (problem) {
      this.#failed = new TransportError(
        `${this.describe}: malformed frame header ${h.toString('hex')}: ${problem}; ` +
          'the peer does not speak this protocol or the stream is corrupt',
      );
    } else if (length > this.maxFrameBytes) {
      this.#failed = new TransportError(
        `${this.describe}: incoming frame of ${length} bytes exceeds maxFrameBytes = ${this.maxFrameBytes}; ` +
          'raise maxFrameBytes on this side or lower it on the peer',
      );
    }
    if (this.#failed) throw this.#failed;
    return length;
  }
}
