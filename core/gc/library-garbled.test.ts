/**
 * Every function of the circuit library (core/circuit/lib), garbled between two parties (half-gates,
 * in-memory channels), decodes to what the plaintext backend computes, over random valid inputs,
 * for several moduli p and widths. The first inputs of each case are the garbler's, the rest the
 * evaluator's, and one run carries every instance (SIMD).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { add, addWrap, sub, subWrap } from '../circuit/lib/arith.ts';
import { argmax, maximum } from '../circuit/lib/argmax.ts';
import { greaterOrEqual, greaterThan, lessThan } from '../circuit/lib/compare.ts';
import { Gates } from '../circuit/lib/gates.ts';
import { conditionalAddConstant, isNegativeZp, modAdd, modSub, modulusWidth, signedToZp, zpToSigned } from '../circuit/lib/modp.ts';
import { mux } from '../circuit/lib/mux.ts';
import { argmaxOfShares, neuron, type NeuronSpec } from '../circuit/lib/neuron.ts';
import { maxPoolRelu, relu, reluZp, shiftRightArithmetic } from '../circuit/lib/relu.ts';
import { type LibFunction, runLib } from '../../test/support/circuit-lib.ts';
import { MemoryTransport } from '../../plugins/transport-memory/memory-transport.ts';
import { InsecureIdealOt } from '../../plugins/insecure-ideal-ot/insecure-ideal-ot.ts';
import { HalfGates } from '../../plugins/half-gates/half-gates.ts';
import { runGcLocally } from './local-run.ts';
import { functionProgram } from './program.ts';

const INSTANCES = 24;
const scheme = new HalfGates();

interface Case {
  readonly name: string;
  /** Bit width of each input; each input is drawn from [0, bound) (default 2^width). */
  readonly widths: readonly number[];
  readonly bounds?: readonly number[];
  readonly f: LibFunction;
}

function randomBelow(bound: number): bigint {
  return bound <= 2 ** 48 ? BigInt(randomInt(bound)) : BigInt(randomInt(2 ** 48)) % BigInt(bound);
}

async function check({ name, widths, bounds, f }: Case): Promise<void> {
  const inputs = widths.map((w, k) => Array.from({ length: INSTANCES }, () => randomBelow(bounds?.[k] ?? 2 ** w)));
  const garblerValues = Math.ceil(widths.length / 2);
  const program = functionProgram({
    name,
    garblerWidths: widths.slice(0, garblerValues),
    evaluatorWidths: widths.slice(garblerValues),
    run: (backend, values) => {
      const g = new Gates(backend);
      return [g.wires(f(g, [...values]))];
    },
  });
  const result = await runGcLocally({
    transport: new MemoryTransport(),
    ot: new InsecureIdealOt(),
    program,
    garblerInputs: inputs.slice(0, garblerValues),
    evaluatorInputs: inputs.slice(garblerValues),
    options: { scheme, instances: INSTANCES },
  });
  assert.deepEqual(result.outputs[0], runLib(widths, inputs, f), name);
}

const P = [3, 13, 251, 65537, 557057];
const WIDTHS = [1, 5, 16];

function cases(): Case[] {
  const out: Case[] = [];
  for (const w of WIDTHS) {
    const two = [w, w];
    out.push(
      { name: `add w=${w}`, widths: two, f: (g, [a, b]) => add(g, a!, b!) },
      { name: `addWrap w=${w}`, widths: two, f: (g, [a, b]) => addWrap(g, a!, b!) },
      { name: `sub w=${w}`, widths: two, f: (g, [a, b]) => { const { diff, borrow } = sub(g, a!, b!); return [...diff, borrow]; } },
      { name: `subWrap w=${w}`, widths: two, f: (g, [a, b]) => subWrap(g, a!, b!) },
      { name: `lessThan w=${w}`, widths: two, f: (g, [a, b]) => [lessThan(g, a!, b!)] },
      { name: `greaterOrEqual signed w=${w}`, widths: two, f: (g, [a, b]) => [greaterOrEqual(g, a!, b!, { signed: true })] },
      { name: `greaterThan w=${w}`, widths: two, f: (g, [a, b]) => [greaterThan(g, a!, b!)] },
      { name: `mux w=${w}`, widths: [1, w, w], f: (g, [s, x, y]) => mux(g, s![0]!, x!, y!) },
      { name: `relu w=${w}`, widths: [w], f: (g, [x]) => relu(g, x!) },
      { name: `shiftRightArithmetic w=${w}`, widths: [w], f: (_g, [x]) => shiftRightArithmetic(x!, w > 1 ? 1 : 0) },
      { name: `maxPoolRelu of 3, w=${w}`, widths: [w, w, w], f: (g, xs) => maxPoolRelu(g, xs) },
      { name: `maximum of 4 signed, w=${w}`, widths: [w, w, w, w], f: (g, xs) => maximum(g, xs, { signed: true }) },
      { name: `argmax of 5, w=${w}`, widths: [w, w, w, w, w], f: (g, xs) => argmax(g, xs) },
    );
  }
  for (const p of P) {
    const w = modulusWidth(p);
    const zp = { widths: [w, w], bounds: [p, p] };
    out.push(
      { name: `modAdd p=${p}`, ...zp, f: (g, [a, b]) => modAdd(g, a!, b!, p) },
      { name: `modSub p=${p}`, ...zp, f: (g, [a, b]) => modSub(g, a!, b!, p) },
      { name: `isNegativeZp p=${p}`, widths: [w], bounds: [p], f: (g, [y]) => [isNegativeZp(g, y!, p)] },
      { name: `zpToSigned p=${p}`, widths: [w], bounds: [p], f: (g, [y]) => zpToSigned(g, y!, p) },
      { name: `signedToZp p=${p}`, widths: [w], bounds: [2 ** w], f: (g, [x]) => signedToZp(g, x!, p) },
      { name: `reluZp p=${p}`, widths: [w], bounds: [p], f: (g, [y]) => reluZp(g, y!, p) },
      { name: `conditionalAddConstant p=${p}`, widths: [1, w], bounds: [2, p], f: (g, [c, x]) => conditionalAddConstant(g, x!, c![0]!, p - 1) },
      { name: `argmaxOfShares of 3, p=${p}`, widths: [w, w, w, w, w, w], bounds: Array(6).fill(p), f: (g, xs) => argmaxOfShares(g, p, xs.slice(3), xs.slice(0, 3)) },
    );
    for (const spec of [{ p }, { p, pool: 4, shift: Math.max(0, Math.min(2, w - 2)) }, { p, relu: false }, { p, relu: false, shift: Math.max(0, Math.min(1, w - 2)) }] as NeuronSpec[]) {
      const k = spec.pool ?? 1;
      // Server inputs Q_j ∈ [1, p] and the mask (garbler), then the client's shares (evaluator).
      out.push({
        name: `neuron ${JSON.stringify(spec)}`,
        widths: Array(2 * k + 1).fill(w),
        bounds: [...Array(k).fill(p + 1), p, ...Array(k).fill(p)],
        f: (g, xs) => neuron(g, spec, { server: xs.slice(0, k), mask: xs[k]!, client: xs.slice(k + 1) }),
      });
    }
  }
  return out;
}

describe('circuit library garbled = plaintext', () => {
  for (const c of cases()) it(c.name, () => check(c));
});
