/**
 * What a garbled run computes, in a form both parties can step through in lock-step: a program runs
 * on any `CircuitBackend` as a generator that yields, before every batch of AND gates, how many AND
 * gates per instance that batch holds. The garbler uses the pauses to send the tables produced so
 * far; the evaluator uses them to receive the tables the next batch needs. That is how a synchronous
 * backend streams with bounded memory.
 */
import type { CircuitBackend, WireVec } from '../circuit/backend.ts';
import { type Circuit, GATE_STRIDE, GateOp } from '../circuit/circuit.ts';
import { GateCounter } from '../circuit/gate-counter.ts';
import { type Levels, levelize } from '../circuit/levelize.ts';

export interface GcProgram {
  /** For messages. */
  readonly name: string;
  /** Bit widths of the garbler's input values, in order. */
  readonly garblerWidths: readonly number[];
  /** Bit widths of the evaluator's input values, in order. */
  readonly evaluatorWidths: readonly number[];
  /** AND gates per instance (the same for every input: circuits are data-independent). */
  readonly andsPerInstance: number;
  /**
   * Run on `backend`; `inputs` are the garbler's values then the evaluator's (LSB first). Yields
   * the per-instance AND count of each batch before running it; returns the output values.
   */
  steps<W>(backend: CircuitBackend<W>, inputs: readonly WireVec<W>[]): Generator<number, WireVec<W>[], void>;
}

/** Split a circuit's input values: the first `garblerValues` are the garbler's, the rest the evaluator's. */
function splitWidths(inputWidths: readonly number[], garblerValues: number, name: string): [number[], number[]] {
  if (!Number.isInteger(garblerValues) || garblerValues < 0 || garblerValues > inputWidths.length) {
    throw new RangeError(`${name}: the garbler's share of the ${inputWidths.length} input values must be 0..${inputWidths.length}, got ${garblerValues}`);
  }
  return [inputWidths.slice(0, garblerValues), inputWidths.slice(garblerValues)];
}

/**
 * An IR circuit, stepped one AND level at a time (its `levelize` schedule): memory for tables is
 * bounded by one level. The garbler supplies the first `garblerValues` input values.
 */
export function circuitProgram(circuit: Circuit, garblerValues: number, name = 'circuit', levels: Levels = levelize(circuit)): GcProgram {
  const [garblerWidths, evaluatorWidths] = splitWidths(circuit.inputWidths, garblerValues, name);
  return {
    name,
    garblerWidths,
    evaluatorWidths,
    andsPerInstance: levels.andCount,
    steps: (backend, inputs) => circuitSteps(backend, circuit, inputs, levels),
  };
}

/**
 * The level schedule of `evaluateCircuit` (core/circuit/interpreter.ts) as a generator: free gates
 * of depth d, then a pause announcing the AND gates of depth d + 1, then those in one `andN`.
 */
function* circuitSteps<W>(backend: CircuitBackend<W>, circuit: Circuit, inputs: readonly WireVec<W>[], levels: Levels): Generator<number, WireVec<W>[], void> {
  const { gates, inputWidths, outputWidths } = circuit;
  if (inputs.length !== inputWidths.length) throw new RangeError(`circuit takes ${inputWidths.length} input values, got ${inputs.length}`);
  const wires: W[] = [];
  inputs.forEach((value, i) => {
    if (value.length !== inputWidths[i]) throw new RangeError(`input ${i} must have ${inputWidths[i]} wires, got ${value.length}`);
    wires.push(...value);
  });
  for (const { free, ands } of levels.steps) {
    for (const g of free) {
      const k = g * GATE_STRIDE;
      const op = gates[k]!;
      const x = gates[k + 1]!;
      wires[gates[k + 3]!] =
        op === GateOp.XOR ? backend.xor(wires[x]!, wires[gates[k + 2]!]!)
        : op === GateOp.INV ? backend.not(wires[x]!)
        : op === GateOp.EQW ? wires[x]!
        : backend.constant(x as 0 | 1);
    }
    if (ands.length === 0) continue;
    yield ands.length;
    const a = Array.from(ands, (g) => wires[gates[g * GATE_STRIDE + 1]!]!);
    const b = Array.from(ands, (g) => wires[gates[g * GATE_STRIDE + 2]!]!);
    backend.andN(a, b).forEach((w, i) => (wires[gates[ands[i]! * GATE_STRIDE + 3]!] = w));
  }
  const outputs: WireVec<W>[] = [];
  let start = circuit.wireCount - outputWidths.reduce((s, w) => s + w, 0);
  for (const width of outputWidths) {
    outputs.push(wires.slice(start, start + width));
    start += width;
  }
  return outputs;
}

/** A computation written against `CircuitBackend` (the circuit library's ReLU, mod-p add, ...). */
export type CircuitFunction = <W>(backend: CircuitBackend<W>, inputs: readonly WireVec<W>[]) => WireVec<W>[];

/**
 * A circuit-library function as a program: one batch of tables per run (a function calls `andN`
 * itself, so it cannot pause inside), which the runner bounds by splitting the instances into chunks.
 */
export function functionProgram(spec: {
  name: string;
  garblerWidths: readonly number[];
  evaluatorWidths: readonly number[];
  run: CircuitFunction;
}): GcProgram {
  const { name, garblerWidths, evaluatorWidths, run } = spec;
  for (const w of [...garblerWidths, ...evaluatorWidths]) {
    if (!Number.isInteger(w) || w < 0) throw new RangeError(`${name}: input widths must be non-negative integers, got ${w}`);
  }
  const counter = new GateCounter(1);
  run(counter, [...garblerWidths, ...evaluatorWidths].map((w) => Array.from({ length: w }, () => counter.input())));
  const andsPerInstance = counter.counts().and;
  return {
    name,
    garblerWidths,
    evaluatorWidths,
    andsPerInstance,
    *steps(backend, inputs) {
      yield andsPerInstance;
      return run(backend, inputs);
    },
  };
}
