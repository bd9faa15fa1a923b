/**
 * What the client derives during an inference, for the privacy audit (design §7: a party's view is
 * its input, its randomness, the messages it received and what it derived from them). The engine
 * reports to an observer only when one is given, which only the test profile allows: production
 * sessions keep nothing beyond their result.
 */

export interface ClientObserver {
  /** A linear layer part's returned ciphertexts, decrypted: every slot of each (the client's share before unpacking), in part order. */
  decrypted?(layer: string, part: number, slots: readonly Uint32Array[]): void;
  /**
   * The decryption noise of every coefficient of the same ciphertexts (`HeBackend.decryptionNoise`).
   * Asking for it costs a second decryption in the HE worker; the backend must support it.
   */
  noise?(layer: string, part: number, noise: readonly Float64Array[]): void;
  /** A garbled layer's decoded outputs: the client's new share (`share`), or the argmax's class (`output`). */
  decoded?(layer: string, values: Uint32Array, role: 'share' | 'output'): void;
}
