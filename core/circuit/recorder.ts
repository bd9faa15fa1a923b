/**
 * A backend that records the gates it is asked for into an IR {@link Circuit}: library circuits
 * (written against {@link CircuitBackend}) become ordinary circuits that the interpreter runs, the
 * Bristol Fashion writer saves, and the `gc run` path garbles like any Bristol file.
 */
import type { CircuitBackend } from './backend.ts';
import { type Circuit, GateOp } from './circuit.ts';
import { type Bit, type Bits, Gates } from './lib/gates.ts';
import { validateCircuit } from './validate.ts';

/** Wire values are wire indices of the circuit being recorded. */
export class CircuitRecorder implements CircuitBackend<number> {
  readonly instances = 1;
  readonly #gates: number[] = [];
  readonly #inputWidths: number[] = [];
  #wires = 0;

  /** Declare the next input value (all inputs before any gate); returns its wires, LSB first. */
  input(width: number): number[] {
    if (this.#gates.length > 0) throw new RangeError('declare every input before the first gate');
    if (!Number.isSafeInteger(width) || width < 0) throw new RangeError(`input width must be a non-negative integer, got ${width}`);
    this.#inputWidths.push(width);
    return Array.from({ length: width }, () => this.#wires++);
  }

  xor(a: number, b: number): number {
    return this.#gate(GateOp.XOR, a, b);
  }

  and(a: number, b: number): number {
    return this.#gate(GateOp.AND, a, b);
  }

  not(a: number): number {
    return this.#gate(GateOp.INV, a, -1);
  }

  constant(bit: 0 | 1): number {
    return this.#gate(GateOp.EQ, bit, -1);
  }

  andN(a: readonly number[], b: readonly number[]): number[] {
    if (a.length !== b.length) throw new RangeError(`andN: ${a.length} left operands but ${b.length} right operands`);
    return a.map((x, i) => this.and(x, b[i]!));
  }

  /**
   * The recorded circuit with the given output values. IR outputs are the last wires, so each output
   * bit is copied (EQW, free) to a fresh wire at the end.
   */
  finish(outputs: readonly (readonly number[])[]): Circuit {
    const outputWidths = outputs.map((o) => o.length);
    for (const value of outputs) for (const w of value) this.#gate(GateOp.EQW, w, -1);
    const circuit: Circuit = { wireCount: this.#wires, inputWidths: [...this.#inputWidths], outputWidths, gates: Int32Array.from(this.#gates) };
    validateCircuit(circuit);
    return circuit;
  }

  #gate(op: GateOp, a: number, b: number): number {
    const out = this.#wires++;
    this.#gates.push(op, a, b, out);
    return out;
  }
}

/**
 * Record a library function as an IR circuit: `build` gets a constant-folding {@link Gates} front end
 * and input values of the given widths, and returns the output values.
 */
export function recordCircuit(inputWidths: readonly number[], build: (g: Gates<number>, inputs: Bits<number>[]) => readonly (readonly Bit<number>[])[]): Circuit {
  const recorder = new CircuitRecorder();
  const inputs = inputWidths.map((w) => recorder.input(w));
  const g = new Gates(recorder);
  return recorder.finish(build(g, inputs).map((value) => g.wires(value)));
}
