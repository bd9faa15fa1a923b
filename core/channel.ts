/**
 * The byte channel between the two parties (swanky's `AbstractChannel`). Every protocol speaks
 * only to this interface; transports implement it and decorators (counting, recording, shaping)
 * wrap it.
 */

/** What a message carries, so that the harness knows what every byte of a view is (design §7). */
export type MessageKind =
  | 'ciphertext'
  | 'he-keys'
  | 'gc-table'
  | 'input-labels'
  | 'ot-extension'
  | 'base-ot'
  | 'decode-bits'
  | 'share'
  | 'control'
  | 'data';

export const MESSAGE_KINDS: readonly MessageKind[] = [
  'ciphertext', 'he-keys', 'gc-table', 'input-labels', 'ot-extension', 'base-ot', 'decode-bits', 'share', 'control', 'data',
];

/** Which party is speaking. The server holds the model (garbler); the client holds the image (evaluator). */
export type Party = 'client' | 'server';

/**
 * An ordered, reliable byte stream to the peer.
 *
 * Ownership: `send` takes ownership of `data`; the caller must not modify it afterwards
 * (implementations may pass it through without copying).
 */
export interface Channel {
  /** Queue `data` for the peer. Resolves when the transport accepted it (back-pressure point). */
  send(data: Uint8Array, kind?: MessageKind): Promise<void>;
  /**
   * Exactly `length` bytes from the stream, across however many frames they arrived in.
   * Rejects with a `TransportError` when the peer closes or the idle timeout expires first.
   */
  recv(length: number, kind?: MessageKind): Promise<Uint8Array>;
  /** Push anything buffered to the peer. */
  flush(): Promise<void>;
  /**
   * Set the accounting label (protocol phase and layer, e.g. `online/relu1`). Decorators break
   * their statistics down by it; transports forward it to what they wrap.
   */
  setLabel(label: string): void;
  /** The current accounting label. */
  readonly label: string;
  /** Close this end. Pending and later `recv` calls on the peer fail with a `TransportError`. */
  close(): Promise<void>;
  readonly closed: boolean;
}

/** The default label until a protocol sets one. */
export const DEFAULT_LABEL = 'default';
