/**
 * A garbling scheme as pure, batch-oriented functions (emp's `halfgates_garble`): no I/O, no state
 * but what is passed in. Free-XOR is assumed (XOR gates are label XORs); this interface covers AND
 * gates, which are the only ones that cost ciphertexts.
 *
 * Labels are 128-bit blocks, 16 bytes each, in flat `Uint8Array` batches. Δ has its least
 * significant bit (bit 0 of byte 0) set, so the point-and-permute bit of a label is that bit.
 */
export interface GarblingScheme {
  readonly name: string;
  /** Bytes of garbled table per AND gate (32 for half-gates). */
  readonly tableBytesPerAnd: number;
  /**
   * Garble `count` AND gates. Inputs are the zero-labels of both input wires; gate i uses tweak
   * `firstGateId + i` (a scheme may derive several tweaks per gate from it).
   * Writes the output zero-labels to `outZero` (16·count bytes) and the tables to `tables`
   * (tableBytesPerAnd·count bytes).
   */
  garbleAnd(
    a0: Uint8Array,
    b0: Uint8Array,
    delta: Uint8Array,
    firstGateId: number,
    outZero: Uint8Array,
    tables: Uint8Array,
  ): void;
  /** Evaluate `count` AND gates from the active labels and the tables; writes the active output labels. */
  evaluateAnd(a: Uint8Array, b: Uint8Array, firstGateId: number, tables: Uint8Array, out: Uint8Array): void;
}
