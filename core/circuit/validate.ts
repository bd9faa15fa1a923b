/**
 * Structural validation of an IR circuit: the invariants every reader guarantees and every consumer
 * (interpreter, levelizer, garbler) relies on. Linear in the gate count, allocates one byte per wire.
 */
import { CircuitFormatError } from '../errors.ts';
import { type Circuit, GATE_STRIDE, GateOp } from './circuit.ts';

/** Default upper bound on declared wires: far above any circuit here (sha256: 135,841), low enough to allocate. */
export const DEFAULT_MAX_WIRES = 1 << 24;

/** Sum of a width list, throwing on a negative, fractional or absurd width. */
export function totalWidth(widths: readonly number[], what: string, max: number, line?: number): number {
  let sum = 0;
  for (const w of widths) {
    if (!Number.isSafeInteger(w) || w < 0) throw new CircuitFormatError(`${what} width ${w} is not a non-negative integer`, line);
    sum += w;
    if (sum > max) throw new CircuitFormatError(`${what} widths add up to more than ${max} wires`, line);
  }
  return sum;
}

/**
 * Check that `circuit` is well formed: the widths fit in the wire count; every gate has a known
 * opcode, in-range wires, inputs that are already set (circuit inputs or earlier gate outputs) and an
 * output wire set by no one before (single assignment, which lets gates of one AND level run as a
 * batch); every output wire is set. `lineOf(g)` maps a gate index to a source line for messages
 * (`lineOf(gateCount)` is the end of the text, blamed for an output wire never set).
 * Throws {@link CircuitFormatError}; returns nothing.
 */
export function validateCircuit(
  circuit: Circuit,
  lineOf: (gate: number) => number | undefined = () => undefined,
  maxWires = DEFAULT_MAX_WIRES,
): void {
  const { wireCount, gates } = circuit;
  if (!Number.isSafeInteger(wireCount) || wireCount < 0 || wireCount > maxWires) {
    throw new CircuitFormatError(`wire count ${wireCount} is outside [0, ${maxWires}]`);
  }
  const inputs = totalWidth(circuit.inputWidths, 'input', wireCount);
  const outputs = totalWidth(circuit.outputWidths, 'output', wireCount);
  if (!(gates instanceof Int32Array) || gates.length % GATE_STRIDE !== 0) {
    throw new CircuitFormatError(`gate list must be an Int32Array of 4 ints per gate`);
  }
  const set = new Uint8Array(wireCount);
  set.fill(1, 0, inputs);
  const wireName = (w: number): string => `wire ${w}`;
  for (let g = 0, k = 0; k < gates.length; g++, k += GATE_STRIDE) {
    const op = gates[k]!;
    const a = gates[k + 1]!;
    const b = gates[k + 2]!;
    const out = gates[k + 3]!;
    const line = lineOf(g);
    const needSet = (w: number): void => {
      if (w < 0 || w >= wireCount) throw new CircuitFormatError(`${wireName(w)} is out of range [0, ${wireCount})`, line);
      if (set[w] === 0) throw new CircuitFormatError(`${wireName(w)} is used before it is set`, line);
    };
    switch (op) {
      case GateOp.XOR:
      case GateOp.AND:
        needSet(a);
        needSet(b);
        break;
      case GateOp.INV:
      case GateOp.EQW:
        needSet(a);
        if (b !== -1) throw new CircuitFormatError(`unary gate ${g} has a second input ${b} (must be -1)`, line);
        break;
      case GateOp.EQ:
        if (a !== 0 && a !== 1) throw new CircuitFormatError(`EQ gate constant must be 0 or 1, got ${a}`, line);
        if (b !== -1) throw new CircuitFormatError(`EQ gate ${g} has a second input ${b} (must be -1)`, line);
        break;
      default:
        throw new CircuitFormatError(`gate ${g} has unknown opcode ${op}`, line);
    }
    if (out < 0 || out >= wireCount) throw new CircuitFormatError(`output ${wireName(out)} is out of range [0, ${wireCount})`, line);
    if (set[out] !== 0) {
      throw new CircuitFormatError(`${wireName(out)} is set twice (${out < inputs ? 'it is a circuit input' : 'by an earlier gate'})`, line);
    }
    set[out] = 1;
  }
  for (let w = wireCount - outputs; w < wireCount; w++) {
    if (set[w] === 0) throw new CircuitFormatError(`output ${wireName(w)} is never set`, lineOf(gates.length / GATE_STRIDE));
  }
}
