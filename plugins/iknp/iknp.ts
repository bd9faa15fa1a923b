/**
 * IKNP OT extension (Ishai-Kilian-Nissim-Petrank, CRYPTO 2003, §3) as correlated OT, in the
 * "Δ as base choices" form of emp-ot's `IKNP`:
 *
 * - setup: the OT sender is the base-OT *receiver* with choice bits s = Δ and gets k_j^{s_j}; the
 *   OT receiver is the base-OT sender and gets both k_j^0, k_j^1 (j < 128). Each key seeds an
 *   AES-CTR PRG G.
 * - per batch of m OTs with choice vector r: the receiver sets column t_j = G(k_j^0) and sends
 *   u_j = t_j ⊕ G(k_j^1) ⊕ r (m bits per column: 16 bytes per OT); the sender computes
 *   q_j = G(k_j^{s_j}) ⊕ s_j·u_j = t_j ⊕ s_j·r. Transposed, row i is q_i = t_i ⊕ r_i·Δ: the sender
 *   keeps m0 = q_i and the receiver holds t_i = m0 ⊕ r_i·Δ.
 *
 * Batches are cut into chunks of `CHUNK_OTS` rows (a fixed constant: the wire layout depends on it)
 * so that the working set stays in cache and large batches stream. Every chunk pads its rows to a
 * multiple of 32 (one word per column); the PRG streams stay aligned because both parties pad alike.
 *
 * Key confirmation at setup: the receiver sends, for every j and b, 8 bytes of SHA-256 over k_j^b;
 * the sender checks the ones for its k_j^{s_j} and answers one status byte. A hash of a random
 * 128-bit key reveals nothing usable about it, and a disagreement (a peer running another base OT
 * or another session) is a `ProtocolError` on both sides instead of garbage. The session tag of
 * the call headers (`core/ot-calls.ts`) is a hash of that confirmation, so it differs per session.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { BLOCK_BYTES, bytesEqual, concatBytes, unpackBits, wordsOf } from '../../core/bytes.ts';
import type { Channel } from '../../core/channel.ts';
import { AesCtrPrg } from '../../core/crypto/aes.ts';
import { LITTLE_ENDIAN, transposeColumnsToRows } from '../../core/ot/bit-transpose.ts';
import { ProtocolError } from '../../core/errors.ts';
import { CotBasedReceiver, CotBasedSender, type CotReceiverEngine, type CotSenderEngine } from '../../core/ot/ot-from-cot.ts';
import type { BaseOt, OtExtension, OtPartyOptions, OtReceiver, OtSender } from '../../core/ot.ts';

/** Security parameter: number of base OTs and width of a row. */
const KAPPA = 128;
/** Rows per chunk: 2^15 rows make 512 KiB of columns, a cache-sized working set. */
export const CHUNK_OTS = 1 << 15;
const CONFIRM_BYTES = 8;
const CONFIRM_DOMAIN = new TextEncoder().encode('gazelle/iknp/base-key-confirmation/v1');
const STATUS_OK = 1;
const STATUS_MISMATCH = 0;

if (!LITTLE_ENDIAN) throw new Error('plugins/iknp: big-endian hosts are not supported (the wire format is little-endian words)');

function confirmation(j: number, b: number, key: Uint8Array): Uint8Array {
  return sha256(concatBytes([CONFIRM_DOMAIN, Uint8Array.of(j, b), key])).subarray(0, CONFIRM_BYTES);
}

function sessionTagOf(confirmations: Uint8Array): number {
  return new DataView(sha256(confirmations).buffer).getUint32(0, true);
}

/** The PRG G that stretches a base-OT key into its column stream: each call continues the stream. */
export interface ColumnPrg {
  /** XOR the next `data.length` bytes of the stream into `data`; returns it. */
  xorInto(data: Uint8Array): Uint8Array;
}

/** G = AES-128-CTR keyed by the base-OT key. */
export function aesCtrColumnPrg(key: Uint8Array): ColumnPrg {
  return new AesCtrPrg(key);
}

export class IknpExtension implements OtExtension {
  /**
   * `columnPrg` builds G from a base-OT key; the default is the secure one. The seam exists so that
   * the power tests of the privacy audit can run IKNP with a deliberately broken PRG
   * (plugins/insecure-iknp-pad-reuse, plugins/insecure-iknp-fixed-seed).
   */
  constructor(
    readonly baseOt: BaseOt,
    private readonly columnPrg: (key: Uint8Array) => ColumnPrg = aesCtrColumnPrg,
    readonly name = 'iknp',
  ) {}

  #keyPrgs(keys: Uint8Array): ColumnPrg[] {
    return Array.from({ length: KAPPA }, (_, j) => this.columnPrg(keys.subarray(j * BLOCK_BYTES, (j + 1) * BLOCK_BYTES)));
  }

  /** The u columns: 128 columns of every chunk's rows, padded to whole 32-bit words. */
  extensionBytes(count: number): number {
    let bytes = 0;
    for (let offset = 0; offset < count; offset += CHUNK_OTS) bytes += KAPPA * 4 * ((Math.min(CHUNK_OTS, count - offset) + 31) >>> 5);
    return bytes;
  }

  async sender(channel: Channel, delta: Uint8Array, options: OtPartyOptions = {}): Promise<OtSender> {
    if (!(delta instanceof Uint8Array) || delta.length !== BLOCK_BYTES) throw new RangeError('IKNP sender: delta must be 16 bytes');
    const s = unpackBits(delta, KAPPA);
    const keys = await this.baseOt.receive(channel, s, options.random);
    const received = await channel.recv(KAPPA * 2 * CONFIRM_BYTES, 'base-ot');
    let mismatches = 0;
    for (let j = 0; j < KAPPA; j++) {
      const at = (2 * j + s[j]!) * CONFIRM_BYTES;
      const expected = confirmation(j, s[j]!, keys.subarray(j * BLOCK_BYTES, (j + 1) * BLOCK_BYTES));
      if (!bytesEqual(received.subarray(at, at + CONFIRM_BYTES), expected)) mismatches++;
    }
    await channel.send(Uint8Array.of(mismatches === 0 ? STATUS_OK : STATUS_MISMATCH), 'control');
    if (mismatches > 0) {
      throw new ProtocolError(
        `IKNP setup: ${mismatches} of ${KAPPA} base-OT keys disagree with the receiver's; ` +
          'both parties must use the same base-ot plugin in the same session',
      );
    }
    return new CotBasedSender(new IknpSenderEngine(channel, delta, sessionTagOf(received), this.#keyPrgs(keys), s), options);
  }

  async receiver(channel: Channel, options: OtPartyOptions = {}): Promise<OtReceiver> {
    // The PRG seeds k_j^0, k_j^1 are the base-OT messages, drawn from the party's random source.
    const { m0, m1 } = await this.baseOt.send(channel, KAPPA, options.random);
    const confirmations = new Uint8Array(KAPPA * 2 * CONFIRM_BYTES);
    for (let j = 0; j < KAPPA; j++) {
      confirmations.set(confirmation(j, 0, m0.subarray(j * BLOCK_BYTES, (j + 1) * BLOCK_BYTES)), 2 * j * CONFIRM_BYTES);
      confirmations.set(confirmation(j, 1, m1.subarray(j * BLOCK_BYTES, (j + 1) * BLOCK_BYTES)), (2 * j + 1) * CONFIRM_BYTES);
    }
    const tag = sessionTagOf(confirmations);
    await channel.send(confirmations, 'base-ot');
    const [status] = await channel.recv(1, 'control');
    if (status !== STATUS_OK) {
      throw new ProtocolError(
        status === STATUS_MISMATCH
          ? 'IKNP setup: the sender found that the base-OT keys disagree; both parties must use the same base-ot plugin in the same session'
          : `IKNP setup: the sender answered status ${status}, not a status of this protocol`,
      );
    }
    return new CotBasedReceiver(new IknpReceiverEngine(channel, tag, this.#keyPrgs(m0), this.#keyPrgs(m1)), options);
  }
}

/**
 * The chunk loop of both roles: for each chunk of up to `CHUNK_OTS` rows, `fill` writes the 128
 * columns (W words each, padded to whole words) into `columns`, which are then transposed into the
 * chunk's rows of the output.
 */
class ColumnChunks {
  readonly columns = new Uint32Array(KAPPA * (CHUNK_OTS >>> 5));
  readonly #bytes = new Uint8Array(this.columns.buffer);

  async extend(count: number, fill: (offset: number, W: number) => Promise<void>): Promise<Uint8Array> {
    const out = new Uint8Array(count * BLOCK_BYTES);
    const rows32 = new Uint32Array(out.buffer);
    for (let offset = 0; offset < count; offset += CHUNK_OTS) {
      const rows = Math.min(CHUNK_OTS, count - offset);
      const W = (rows + 31) >>> 5;
      await fill(offset, W);
      transposeColumnsToRows(this.columns, W, rows32.subarray(offset * 4), rows);
    }
    return out;
  }

  /** Column j of a chunk of W words per column, as bytes (what the PRG XORs into). */
  columnBytes(j: number, W: number): Uint8Array {
    return this.#bytes.subarray(j * W * 4, (j + 1) * W * 4);
  }
}

class IknpSenderEngine implements CotSenderEngine {
  readonly #q = new ColumnChunks();

  constructor(
    readonly channel: Channel,
    readonly delta: Uint8Array,
    readonly sessionTag: number,
    private readonly prgs: readonly ColumnPrg[],
    private readonly s: Uint8Array,
  ) {}

  extend(count: number): Promise<Uint8Array> {
    const Q = this.#q.columns;
    return this.#q.extend(count, async (_offset, W) => {
      const u = wordsOf(await this.channel.recv(KAPPA * W * 4, 'ot-extension'));
      for (let j = 0; j < KAPPA; j++) {
        // q_j = G(k_j^{s_j}) ⊕ s_j·u_j
        if (this.s[j]) Q.set(u.subarray(j * W, (j + 1) * W), j * W);
        else Q.fill(0, j * W, (j + 1) * W);
        this.prgs[j]!.xorInto(this.#q.columnBytes(j, W));
      }
    });
  }
}

class IknpReceiverEngine implements CotReceiverEngine {
  readonly #t = new ColumnChunks();

  constructor(
    readonly channel: Channel,
    readonly sessionTag: number,
    private readonly prgs0: readonly ColumnPrg[],
    private readonly prgs1: readonly ColumnPrg[],
  ) {}

  extend(packedChoices: Uint8Array, count: number): Promise<Uint8Array> {
    const r32 = wordsOf(packedChoices);
    const T = this.#t.columns;
    return this.#t.extend(count, async (offset, W) => {
      const r = r32.subarray(offset >>> 5, (offset >>> 5) + W);
      const U = new Uint32Array(KAPPA * W);
      const uBytes = new Uint8Array(U.buffer);
      for (let j = 0; j < KAPPA; j++) {
        const base = j * W;
        // t_j = G(k_j^0);  u_j = t_j ⊕ G(k_j^1) ⊕ r
        T.fill(0, base, base + W);
        this.prgs0[j]!.xorInto(this.#t.columnBytes(j, W));
        for (let w = 0; w < W; w++) U[base + w] = T[base + w]! ^ r[w]!;
        this.prgs1[j]!.xorInto(uBytes.subarray(base * 4, (base + W) * 4));
      }
      await this.channel.send(uBytes, 'ot-extension');
    });
  }
}
