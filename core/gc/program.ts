/**
 * What a garbled run computes, in a form both parties can step through in lock-step: a program runs
 * on any `CircuitBackend` as a generator that yields, before every batch of AND gates, how many AND
 * gates per instance that batch holds. The garbler uses the pauses to send the tables produced so
 * far; the evaluator uses them to receive the tables the next batch needs. That is how a synchronous
 * backend streams with bounded memory.
 */
import type { CircuitBackend, WireVec } from '../circuit/backend.ts';
import { type Circuit, GATE_STRIDE, GateOp } from '../circuit/circuit.ts';
import { type Levels, levelize } from '../circuit/levelize.ts';
import { CircuitRecorder } from '../circuit/recorder.ts';
import { stepCircuit } from '../circuit/interpreter.ts';
import { LABEL_BYTES } from './labels.ts';

export interface GcProgram {
  /** For messages. */
  readonly name: string;
  /** Bit widths of the garbler's input values, in order. */
  readonly garblerWidths: readonly number[];
  /** Bit widths of the evaluator's input values, in order. */
  readonly evaluatorWidths: readonly number[];
  /** Bit widths of the output values, in order (known in advance: a stored circuit's decode bits are received before evaluation). */
  readonly outputWidths: readonly number[];
  /** AND gates per instance (the same for every input: circuits are data-independent). */
  readonly andsPerInstance: number;
  /** Most wires alive at once: backends make room for that many up front. */
  readonly peakWires: number;
  /**
   * Bytes held at once per instance, labels and tables, with tables of `tableBytesPerAnd` per AND
   * gate: the runner sizes its chunks of instances by it.
   */
  memoryPerInstance(tableBytesPerAnd: number): number;
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

/** A backend that can reuse the storage of dead wires (the garbling backends). */
interface Releasing<W> {
  release(w: W): void;
}

function releaser<W>(backend: CircuitBackend<W>): ((w: W) => void) | undefined {
  const candidate = backend as CircuitBackend<W> & Partial<Releasing<W>>;
  return typeof candidate.release === 'function' ? (w) => candidate.release!(w) : undefined;
}

/**
 * An IR circuit, stepped one AND level at a time (its `levelize` schedule): memory for tables is
 * bounded by one level, and for labels by the live wires (dead ones are released after each level).
 * The garbler supplies the first `garblerValues` input values.
 */
export function circuitProgram(circuit: Circuit, garblerValues: number, name = 'circuit', levels: Levels = levelize(circuit)): GcProgram {
  const [garblerWidths, evaluatorWidths] = splitWidths(circuit.inputWidths, garblerValues, name);
  const { deaths, peakWires } = liveness(circuit, levels);
  return {
    name,
    garblerWidths,
    evaluatorWidths,
    outputWidths: circuit.outputWidths,
    andsPerInstance: levels.andCount,
    peakWires,
    // Live labels, plus one level of tables (the stepper streams level by level).
    memoryPerInstance: (tableBytes) => peakWires * LABEL_BYTES + Math.max(0, ...levels.steps.map((s) => s.ands.length)) * tableBytes,
    steps: (backend, inputs) => circuitSteps(backend, circuit, inputs, levels, deaths),
  };
}

/**
 * For each step of the schedule, the wires whose value is last read in it (or never read after
 * being set there), so it can be released after the step; and the most values alive at once. An
 * EQW copy shares its source's value, and so does an INV (a label backend's NOT only flips a bit of
 * the handle, see label-backend.ts), so liveness is per source; output wires live on.
 */
function liveness(circuit: Circuit, levels: Levels): { deaths: Int32Array[]; peakWires: number } {
  const { gates, wireCount, outputWidths } = circuit;
  const source = Int32Array.from({ length: wireCount }, (_, w) => w);
  const aliases = (op: number) => op === GateOp.EQW || op === GateOp.INV;
  for (let k = 0; k < gates.length; k += GATE_STRIDE) if (aliases(gates[k]!)) source[gates[k + 3]!] = source[gates[k + 1]!]!;
  // -1: never set or read. A wire number no gate uses (a gap in the file's numbering) has no value
  // to release; inputs are set before step 0, so an input nothing reads dies after it.
  const last = new Int32Array(wireCount).fill(-1);
  last.fill(0, 0, circuit.inputWidths.reduce((sum, w) => sum + w, 0));
  const touch = (w: number, step: number) => {
    const s = source[w]!;
    if (last[s]! < step) last[s] = step;
  };
  levels.steps.forEach(({ free, ands }, step) => {
    for (const list of [free, ands]) {
      for (const g of list) {
        const k = g * GATE_STRIDE;
        const op = gates[k]!;
        if (op !== GateOp.EQ) touch(gates[k + 1]!, step);
        if (op === GateOp.XOR || op === GateOp.AND) touch(gates[k + 2]!, step);
        touch(gates[k + 3]!, step);
      }
    }
  });
  const immortal = levels.steps.length;
  const outputs = outputWidths.reduce((sum, w) => sum + w, 0);
  for (let w = wireCount - outputs; w < wireCount; w++) last[source[w]!] = immortal;
  const counts = new Int32Array(levels.steps.length);
  const dies = (w: number) => source[w] === w && last[w]! >= 0 && last[w]! < immortal;
  for (let w = 0; w < wireCount; w++) if (dies(w)) counts[last[w]!]!++;
  const deaths = Array.from(counts, (n) => new Int32Array(n));
  counts.fill(0);
  for (let w = 0; w < wireCount; w++) if (dies(w)) deaths[last[w]!]![counts[last[w]!]!++] = w;
  // Values born per step: inputs before step 0, then every gate output but the aliases.
  let live = circuit.inputWidths.reduce((sum, w) => sum + w, 0);
  let peakWires = live;
  levels.steps.forEach(({ free, ands }, step) => {
    for (const g of free) if (!aliases(gates[g * GATE_STRIDE]!)) live++;
    live += ands.length;
    peakWires = Math.max(peakWires, live);
    live -= deaths[step]!.length;
  });
  return { deaths, peakWires };
}

/** The level schedule of `stepCircuit`, releasing every wire after the last step that reads it. */
function circuitSteps<W>(
  backend: CircuitBackend<W>,
  circuit: Circuit,
  inputs: readonly WireVec<W>[],
  levels: Levels,
  deaths: readonly Int32Array[],
): Generator<number, WireVec<W>[], void> {
  const release = releaser(backend);
  return stepCircuit(backend, circuit, inputs, levels, release && ((step, wires) => {
    for (const w of deaths[step]!) release(wires[w]!);
  }));
}

/** A computation written against `CircuitBackend` (the circuit library's ReLU, mod-p add, ...). */
export type CircuitFunction = <W>(backend: CircuitBackend<W>, inputs: readonly WireVec<W>[]) => WireVec<W>[];

/**
 * A circuit-library function as a program: recorded once into an IR circuit (inputs: the garbler's
 * values, then the evaluator's), then stepped level by level like any circuit.
 */
export function functionProgram(spec: {
  name: string;
  garblerWidths: readonly number[];
  evaluatorWidths: readonly number[];
  run: CircuitFunction;
}): GcProgram {
  const { name, garblerWidths, evaluatorWidths, run } = spec;
  const recorder = new CircuitRecorder();
  const inputs = [...garblerWidths, ...evaluatorWidths].map((w) => recorder.input(w));
  return circuitProgram(recorder.finish(run(recorder, inputs)), garblerWidths.length, name);
}
