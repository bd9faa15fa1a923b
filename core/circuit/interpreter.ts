/**
 * Runs an IR circuit on any {@link CircuitBackend}, level by level: the free gates of AND depth d one
 * by one, then every AND gate of depth d + 1 in a single `andN` call, so a garbling backend hashes a
 * whole level (of all instances) at once.
 */
import type { CircuitBackend, WireVec } from './backend.ts';
import { type Circuit, GATE_STRIDE, GateOp } from './circuit.ts';
import { type Levels, levelize } from './levelize.ts';

/**
 * Evaluate `circuit` on `backend`. `inputs[i]` holds the wire bundles of input value i, least
 * significant bit first (length `circuit.inputWidths[i]`). Returns the output values the same way.
 * `levels` may be passed in to reuse a schedule computed once per circuit.
 */
export function evaluateCircuit<W>(
  backend: CircuitBackend<W>,
  circuit: Circuit,
  inputs: readonly WireVec<W>[],
  levels: Levels = levelize(circuit),
): WireVec<W>[] {
  const steps = stepCircuit(backend, circuit, inputs, levels);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/**
 * `evaluateCircuit` as a generator, for callers that act between levels (the garbled-circuit
 * runner streams tables there): it yields the number of AND gates of the next batch just before
 * running it, and calls `afterStep(step, wires)` once step `step` of `levels` is done (`wires`:
 * every circuit wire's value so far, indexed by circuit wire number).
 */
export function* stepCircuit<W>(
  backend: CircuitBackend<W>,
  circuit: Circuit,
  inputs: readonly WireVec<W>[],
  levels: Levels = levelize(circuit),
  afterStep?: (step: number, wires: readonly W[]) => void,
): Generator<number, WireVec<W>[], void> {
  const { inputWidths, gates } = circuit;
  if (inputs.length !== inputWidths.length) {
    throw new RangeError(`circuit takes ${inputWidths.length} input values, got ${inputs.length}`);
  }
  const wires: W[] = new Array<W>(circuit.wireCount);
  let next = 0;
  inputs.forEach((value, i) => {
    if (value.length !== inputWidths[i]) throw new RangeError(`input ${i} must have ${inputWidths[i]} wires, got ${value.length}`);
    for (const w of value) wires[next++] = w;
  });
  for (const [index, step] of levels.steps.entries()) {
    for (const g of step.free) {
      const k = g * GATE_STRIDE;
      const op = gates[k]!;
      const x = gates[k + 1]!;
      let out: W;
      if (op === GateOp.XOR) out = backend.xor(wires[x]!, wires[gates[k + 2]!]!);
      else if (op === GateOp.INV) out = backend.not(wires[x]!);
      else if (op === GateOp.EQW) out = wires[x]!;
      else out = backend.constant(x as 0 | 1);
      wires[gates[k + 3]!] = out;
    }
    if (step.ands.length > 0) {
      yield step.ands.length;
      // Fresh operand arrays per level: a backend may keep them (e.g. to stream tables later).
      const a = Array.from(step.ands, (g) => wires[gates[g * GATE_STRIDE + 1]!]!);
      const b = Array.from(step.ands, (g) => wires[gates[g * GATE_STRIDE + 2]!]!);
      const out = backend.andN(a, b);
      step.ands.forEach((g, i) => {
        wires[gates[g * GATE_STRIDE + 3]!] = out[i]!;
      });
    }
    afterStep?.(index, wires);
  }
  return outputValues(circuit, wires);
}

/** Split the output wires (the last `Σ outputWidths` wires) of an evaluated wire array into values. */
export function outputValues<W>(circuit: Circuit, wires: readonly W[]): WireVec<W>[] {
  const outputs: WireVec<W>[] = [];
  let start = circuit.wireCount - circuit.outputWidths.reduce((s, w) => s + w, 0);
  for (const width of circuit.outputWidths) {
    outputs.push(wires.slice(start, start + width));
    start += width;
  }
  return outputs;
}
