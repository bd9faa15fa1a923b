/**
 * Test support for circuit code: a fast-check arbitrary of valid IR circuits (random gates over
 * already-set wires, outputs assigned through a random wire permutation) and a naive reference
 * evaluator that runs gates one instance and one gate at a time, independent of the interpreter.
 */
import fc from 'fast-check';
import { type Circuit, GATE_STRIDE, GateOp } from '../../core/circuit/circuit.ts';

interface GateSeed {
  op: number;
  a: number;
  b: number;
}

function build(inputWidths: number[], seeds: GateSeed[], keys: number[], outputWish: number[]): Circuit {
  const inputs = inputWidths.reduce((s, w) => s + w, 0);
  const count = seeds.length;
  const wireCount = inputs + count;
  // Gate g writes wire order[g]: a permutation of the non-input wires, so outputs (the last wires) are all set.
  const order = Array.from({ length: count }, (_, g) => g).sort((x, y) => (keys[x] ?? 0) - (keys[y] ?? 0) || x - y);
  const ready: number[] = Array.from({ length: inputs }, (_, w) => w);
  const gates = new Int32Array(count * GATE_STRIDE);
  seeds.forEach((s, g) => {
    let op = s.op as GateOp;
    if (ready.length === 0) op = GateOp.EQ;
    const a = op === GateOp.EQ ? s.a & 1 : ready[s.a % ready.length]!;
    const b = op === GateOp.XOR || op === GateOp.AND ? ready[s.b % ready.length]! : -1;
    const out = inputs + order[g]!;
    gates.set([op, a, b, out], g * GATE_STRIDE);
    ready.push(out);
  });
  const outputWidths: number[] = [];
  let left = count;
  for (const w of outputWish) {
    const take = Math.min(w, left);
    outputWidths.push(take);
    left -= take;
  }
  return { wireCount, inputWidths, outputWidths, gates };
}

/** A valid random circuit with up to `maxGates` gates. */
export function arbitraryCircuit(maxGates = 40): fc.Arbitrary<Circuit> {
  return fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }),
      fc.array(fc.record({ op: fc.integer({ min: 0, max: 4 }), a: fc.nat(), b: fc.nat() }), { maxLength: maxGates }),
      fc.array(fc.nat(), { maxLength: maxGates }),
      fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 }),
    )
    .map(([inputs, seeds, keys, outputs]) => build(inputs, seeds, keys, outputs));
}

/** Evaluate one instance gate by gate in file order (the reference for the level-batched interpreter). */
export function naiveEvaluate(circuit: Circuit, inputs: readonly bigint[]): bigint[] {
  const wires = new Uint8Array(circuit.wireCount);
  let w = 0;
  circuit.inputWidths.forEach((width, i) => {
    for (let j = 0; j < width; j++) wires[w++] = Number((inputs[i]! >> BigInt(j)) & 1n);
  });
  const g = circuit.gates;
  for (let k = 0; k < g.length; k += GATE_STRIDE) {
    const [op, a, b, out] = [g[k]!, g[k + 1]!, g[k + 2]!, g[k + 3]!];
    wires[out] =
      op === GateOp.XOR ? wires[a]! ^ wires[b]!
      : op === GateOp.AND ? wires[a]! & wires[b]!
      : op === GateOp.INV ? 1 - wires[a]!
      : op === GateOp.EQ ? a
      : wires[a]!;
  }
  let start = circuit.wireCount - circuit.outputWidths.reduce((s, x) => s + x, 0);
  return circuit.outputWidths.map((width) => {
    let v = 0n;
    for (let j = width - 1; j >= 0; j--) v = (v << 1n) | BigInt(wires[start + j]!);
    start += width;
    return v;
  });
}
