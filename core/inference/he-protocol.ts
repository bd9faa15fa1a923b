/**
 * Requests between a party's main thread and its HE worker threads (he-worker.ts). HE runs in
 * workers because node-seal grows (detaches) ArrayBuffers, which invalidates a V8 protector for the
 * whole isolate and slows the garbling and OT loops of the main thread by 10-50% (README, garbled
 * circuits). Everything here is plain data (structured clone): the main thread never transfers a
 * buffer to a worker (a transfer detaches it in the sender, with the same effect), workers transfer
 * their results back.
 */
import type { GazelleConfig } from '../config.ts';
import type { HeParameters } from '../he.ts';
import type { LinearSpec, WorkPiece } from '../linear.ts';
import type { RegistrySource } from '../registry.ts';

/** Bytes of the ciphertexts on the wire: fixed by the parameters (both parties need them to receive). */
export interface HeWireSizes {
  /** A client upload (seeded symmetric encryption). */
  readonly upload: number;
  /** A returned ciphertext (after `finish`). */
  readonly returned: number;
}

/** The client's [c²] and how the server forms the cross term 2s·c + s² (square.ts). */
export interface SquaredInput {
  readonly inputs: Uint8Array[];
  readonly cross:
    | { readonly kind: 'session-layer' }
    | { readonly kind: 'product'; readonly twiceShare: Uint32Array[]; readonly shareSquared: Uint32Array[] };
}

export interface HeRequests {
  /** Wire the configured `he` and `linear` plugins in the worker. */
  /** `measuresNoise`: the backend implements `decryptionNoise` (the privacy audit asks for it). */
  init: { args: { config: GazelleConfig; registry: RegistrySource }; result: { params: HeParameters; wireSizes: HeWireSizes; measuresNoise: boolean } };
  /** Prepare (encode) a layer slice's weights, kept under `layer` until released (the model's weights are fixed). */
  prepare: { args: { layer: string; spec: LinearSpec; piece: WorkPiece; weights: Int32Array; bias: Int32Array }; result: void };
  /** Release every prepared layer whose name starts with `prefix` (a model leaving a shared pool). */
  release: { args: { prefix: string }; result: void };
  /** A session's server keys (public key and Galois keys) from the client's bytes. */
  'import-keys': { args: { session: string; keys: Uint8Array }; result: void };
  /** A per-session, per-inference layer (e.g. W·diag(2s) for a squared input, see square.ts), released with the session or on replacement. */
  'prepare-session-layer': { args: { session: string; layer: string; spec: LinearSpec; piece: WorkPiece; weights: Int32Array; bias: Int32Array }; result: void };
  /**
   * The server's work for one slice of a linear layer (design §2 step 3): deserialise the client's
   * ciphertexts, add the server's share (packed, one slot vector per ciphertext; null when it is 0),
   * apply the layer, subtract the mask (one slot vector per output ciphertext), flood and mod-switch.
   * With `squared` the layer's input is x² = c² + 2s·c + s² (square.ts): the client's [c²], and the
   * cross term either through a per-session layer W·diag(2s) applied to [c] (dense), or as the
   * product [c]·2s plus s² before the layer (conv).
   */
  linear: {
    args: {
      session: string;
      layer: string;
      inputs: Uint8Array[];
      share: Uint32Array[] | null;
      mask: Uint32Array[];
      squared: SquaredInput | null;
      /** The per-inference flooding margin requirement for each returned ciphertext (`HeBackend.finish`). */
      minMarginBits: number;
    };
    result: { ciphertexts: Uint8Array[]; marginBits: number[] };
  };
  'end-session': { args: { session: string }; result: void };
  /** Client: fresh keys for `steps`; returns the server keys to send. */
  'generate-keys': { args: { session: string; steps: readonly number[] }; result: Uint8Array };
  /** Client: seeded symmetric encryptions of slot vectors. */
  encrypt: { args: { session: string; slots: Uint32Array[] }; result: Uint8Array[] };
  /** Client: decrypt returned ciphertexts to slot vectors. */
  decrypt: { args: { session: string; ciphertexts: Uint8Array[] }; result: Uint32Array[] };
  /** Client, for the privacy audit only: the decryption noise of every coefficient of returned ciphertexts (`HeBackend.decryptionNoise`). */
  'decryption-noise': { args: { session: string; ciphertexts: Uint8Array[] }; result: Float64Array[] };
  /** Native objects alive in the worker (tests prove that sessions release everything). */
  'live-objects': { args: Record<string, never>; result: number };
  /** Bytes of the worker's wasm memory (node-seal's heap): V8's external memory minus ArrayBuffers, in the worker's isolate. */
  'wasm-heap': { args: Record<string, never>; result: number };
}

export type HeOp = keyof HeRequests;

export interface HeRequestMessage<K extends HeOp = HeOp> {
  readonly id: number;
  readonly op: K;
  readonly args: HeRequests[K]['args'];
}

export type HeResponseMessage =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string; readonly stack?: string } };
