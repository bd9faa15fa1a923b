/**
 * The circuit IR: a flat gate list, 4 ints a gate (`op, in0, in1, out`), plus the sizes of the
 * input and output values. Readers and writers of Bristol formats live beside this file.
 */

/** Gate opcodes. `in1` is unused (-1) for unary gates; for EQ `in0` is the constant bit. */
export const enum GateOp {
  XOR = 0,
  AND = 1,
  INV = 2,
  /** out := constant bit in0 (0 or 1). */
  EQ = 3,
  /** out := wire in0 (copy). */
  EQW = 4,
}

export interface Circuit {
  /** Total number of wires. */
  readonly wireCount: number;
  /** Bit widths of the input values, in order; input wires are numbered from 0 in that order. */
  readonly inputWidths: readonly number[];
  /** Bit widths of the output values; output wires are the last `sum(outputWidths)` wires. */
  readonly outputWidths: readonly number[];
  /** Gates, 4 ints each: op, in0, in1, out. Topologically ordered. */
  readonly gates: Int32Array;
}

export const GATE_STRIDE = 4;

export function gateCount(circuit: Circuit): number {
  return circuit.gates.length / GATE_STRIDE;
}
