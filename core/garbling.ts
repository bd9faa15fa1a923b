/**
 * A garbling scheme as pure, batch-oriented functions (emp's `halfgates_garble`): no I/O, no state
 * but what is passed in. Free-XOR is assumed (XOR gates are label XORs); this interface covers AND
 * gates, which are the only ones that cost ciphertexts.
 *
 * Labels are 128-bit blocks, 16 bytes each, in flat `Uint8Array` batches. Δ has its least
 * significant bit (bit 0 of byte 0) set, so the point-and-permute bit of a label is that bit.
 *
 * Hash tweaks: gate g may use tweaks 2g and 2g + 1 (so gate ids below 2^51 keep every tweak below
 * the OT's, which start at 2^52), salted with the scheme's 64-bit `salt` in the tweak's upper
 * words. A session garbles with `withSalt(its salt)` (issue 11), so that tweaks repeat neither
 * within a session (its gate-id allocator) nor across sessions (the salt). The salt is data, not
 * state: a salted scheme is as pure as the plugin's own instance, whose salt is 0.
 */
export interface GarblingScheme {
  readonly name: string;
  /** Bytes of garbled table per AND gate (32 for half-gates). */
  readonly tableBytesPerAnd: number;
  /** The 64-bit salt of every hash tweak (0 for the plugin's own instance). */
  readonly salt: bigint;
  /** The same scheme with `salt` (a bigint in [0, 2^64)) in its tweaks: a new instance, this one unchanged. */
  withSalt(salt: bigint): GarblingScheme;
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
