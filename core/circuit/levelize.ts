/**
 * AND-depth levels of an IR circuit: the schedule that lets a backend process every AND gate of one
 * depth in one batch (one `andN` call, hence one fixed-key AES batch when garbling, docs/architecture.md §4).
 */
import { type Circuit, GATE_STRIDE, GateOp } from './circuit.ts';

/** One step of the schedule: run `free` gates one by one in order, then all `ands` as one batch. */
export interface LevelStep {
  /** XOR, INV, EQ and EQW gates of AND depth d, in their topological (file) order. */
  readonly free: Int32Array;
  /** AND gates of AND depth d + 1: mutually independent, all inputs ready after `free`. */
  readonly ands: Int32Array;
}

export interface Levels {
  /** AND depth of each gate's output: an AND gate adds 1 to the deeper of its inputs; inputs are depth 0. */
  readonly gateDepth: Int32Array;
  /** The circuit's AND depth (largest gate depth; 0 for a circuit without AND gates). */
  readonly andDepth: number;
  readonly andCount: number;
  /**
   * `andDepth + 1` steps; step d holds the free gates of depth d, then the AND gates of depth d + 1
   * (the last step has none). Running the steps in order evaluates the circuit correctly.
   */
  readonly steps: readonly LevelStep[];
}

/** Compute depths and the level schedule in two linear passes (the circuit must be valid). */
export function levelize(circuit: Circuit): Levels {
  const { gates } = circuit;
  const count = gates.length / GATE_STRIDE;
  const wireDepth = new Int32Array(circuit.wireCount);
  const gateDepth = new Int32Array(count);
  let andDepth = 0;
  let andCount = 0;
  for (let g = 0, k = 0; g < count; g++, k += GATE_STRIDE) {
    const op = gates[k]!;
    let d: number;
    if (op === GateOp.EQ) d = 0;
    else if (op === GateOp.XOR) d = Math.max(wireDepth[gates[k + 1]!]!, wireDepth[gates[k + 2]!]!);
    else if (op === GateOp.AND) {
      d = Math.max(wireDepth[gates[k + 1]!]!, wireDepth[gates[k + 2]!]!) + 1;
      andCount++;
    } else d = wireDepth[gates[k + 1]!]!;
    wireDepth[gates[k + 3]!] = d;
    gateDepth[g] = d;
    if (d > andDepth) andDepth = d;
  }
  // Counting sort into buckets: free gates by depth d, AND gates by depth d (stored in step d - 1).
  const freeCount = new Int32Array(andDepth + 1);
  const andsCount = new Int32Array(andDepth + 1);
  for (let g = 0; g < count; g++) {
    if (gates[g * GATE_STRIDE] === GateOp.AND) andsCount[gateDepth[g]! - 1]!++;
    else freeCount[gateDepth[g]!]!++;
  }
  const steps = Array.from({ length: andDepth + 1 }, (_, d) => ({ free: new Int32Array(freeCount[d]!), ands: new Int32Array(andsCount[d]!) }));
  freeCount.fill(0);
  andsCount.fill(0);
  for (let g = 0; g < count; g++) {
    const d = gateDepth[g]!;
    if (gates[g * GATE_STRIDE] === GateOp.AND) steps[d - 1]!.ands[andsCount[d - 1]!++] = g;
    else steps[d]!.free[freeCount[d]!++] = g;
  }
  return { gateDepth, andDepth, andCount, steps };
}
