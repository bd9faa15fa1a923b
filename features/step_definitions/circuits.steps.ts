import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { fromHex, toHex } from '../../core/bytes.ts';
import { CircuitFormatError } from '../../core/errors.ts';
import { loadBristolFile } from '../../core/circuit/bristol.ts';
import { parseBristolFashion } from '../../core/circuit/bristol-fashion.ts';
import type { Circuit } from '../../core/circuit/circuit.ts';
import { GateCounter } from '../../core/circuit/gate-counter.ts';
import { levelize } from '../../core/circuit/levelize.ts';
import { argmax } from '../../core/circuit/lib/argmax.ts';
import { type Bits, Gates } from '../../core/circuit/lib/gates.ts';
import { modAdd, modSub, modulusWidth } from '../../core/circuit/lib/modp.ts';
import { neuron } from '../../core/circuit/lib/neuron.ts';
import { maxPoolRelu, reluZp } from '../../core/circuit/lib/relu.ts';
import { bigintFromBytes, bytesFromBigint, runPlaintext } from '../../core/circuit/values.ts';
import type { GazelleWorld } from '../support/world.ts';

const VECTORS = resolve('test/vectors/bristol');
const CIRCUIT = 'circuits.circuit';
const OUTPUT = 'circuits.output';
const TEXT = 'circuits.text';
const ERROR = 'circuits.error';
const ANDS = 'circuits.ands';

Given('the Bristol circuit {string}', function (this: GazelleWorld, name: string) {
  this.state.set(CIRCUIT, loadBristolFile(resolve(VECTORS, name)));
});

function runAes(world: GazelleWorld, first: string, second: string): void {
  const c = world.state.get(CIRCUIT) as Circuit;
  const [out] = runPlaintext(c, [[bigintFromBytes(fromHex(first))], [bigintFromBytes(fromHex(second))]]);
  world.state.set(OUTPUT, toHex(bytesFromBigint(out![0]!, 16)));
}

When('I run it on the plaintext backend with key {string} and plaintext {string}', function (this: GazelleWorld, key: string, pt: string) {
  runAes(this, key, pt);
});

When('I run it on the plaintext backend with plaintext {string} and key {string}', function (this: GazelleWorld, pt: string, key: string) {
  runAes(this, pt, key);
});

Then('the ciphertext is {string}', function (this: GazelleWorld, ct: string) {
  assert.equal(this.state.get(OUTPUT), ct);
});

Then('the circuit has {int} AND gates in {int} AND levels', function (this: GazelleWorld, ands: number, depth: number) {
  const levels = levelize(this.state.get(CIRCUIT) as Circuit);
  assert.deepEqual([levels.andCount, levels.andDepth], [ands, depth]);
});

/** Two 1-bit inputs (wires 0, 1), one 1-bit output (wire 3): wire 2 = 0 xor 1, wire 3 = 2 and 0. */
const GOOD = ['2 4', '2 1 1', '1 1', '', '2 1 0 1 2 XOR', '2 1 2 0 3 AND'];
const DEFECTS: Record<string, string[]> = {
  'gate uses a wire before it is set': [...GOOD.slice(0, 4), '2 1 0 3 2 XOR', GOOD[5]!],
  'gate names an unknown operation': [...GOOD.slice(0, 5), '2 1 2 0 3 NAND'],
  'gate list stops early': GOOD.slice(0, 5),
  'wire index is out of range': [...GOOD.slice(0, 5), '2 1 2 9 3 AND'],
  'output wire is never set': ['1 4', ...GOOD.slice(1, 5)],
  'header declares absurdly many wires': ['2 4000000000', ...GOOD.slice(1)],
  'inputs disagree with their count': ['2 4', '3 1 1', ...GOOD.slice(2)],
};

Given(/^Bristol Fashion text whose (.+)$/, function (this: GazelleWorld, defect: string) {
  const lines = DEFECTS[defect];
  assert.ok(lines, `no text for the defect "${defect}"`);
  // The well-formed original must read, so each defect alone causes the failure.
  parseBristolFashion(GOOD.join('\n'));
  this.state.set(TEXT, `${lines.join('\n')}\n`);
});

When('I read it', function (this: GazelleWorld) {
  try {
    parseBristolFashion(this.state.get(TEXT) as string);
    this.state.set(ERROR, undefined);
  } catch (e) {
    this.state.set(ERROR, e);
  }
});

Then('reading fails with a circuit format error at line {int} saying {string}', function (this: GazelleWorld, line: number, message: string) {
  const e = this.state.get(ERROR);
  assert.ok(e instanceof CircuitFormatError, `expected a CircuitFormatError, got ${String(e)}`);
  assert.equal(e.line, line, e.message);
  assert.ok(e.message.includes(message), e.message);
});

type Build = <W>(g: Gates<W>, p: number, w: number, inputs: () => Bits<W>) => void;
const FUNCTIONS: Record<string, { inputs: number; build: Build }> = {
  'the mod-p addition of two shares': { inputs: 2, build: (g, p, _w, x) => modAdd(g, x(), x(), p) },
  'the mod-p subtraction': { inputs: 2, build: (g, p, _w, x) => modSub(g, x(), x(), p) },
  'the ReLU of a Z_p value': { inputs: 1, build: (g, p, _w, x) => reluZp(g, x(), p) },
  'the ReLU neuron on shares with output mask': { inputs: 3, build: (g, p, _w, x) => neuron(g, { p }, { client: [x()], server: [x()], mask: x() }) },
  'the literal share-add, ReLU, mask-subtract': { inputs: 3, build: (g, p, _w, x) => modSub(g, reluZp(g, modAdd(g, x(), x(), p), p), x(), p) },
  'the MaxPool-4 ReLU neuron shifted right by 6': {
    inputs: 9,
    build: (g, p, _w, x) => neuron(g, { p, pool: 4, shift: 6 }, { client: [x(), x(), x(), x()], server: [x(), x(), x(), x()], mask: x() }),
  },
  'the MaxPool-4 ReLU of 20-bit values': { inputs: 4, build: (g, _p, _w, x) => maxPoolRelu(g, [x(), x(), x(), x()]) },
  'the argmax of 8 values of 20 bits': { inputs: 8, build: (g, _p, _w, x) => argmax(g, Array.from({ length: 8 }, x)) },
};

When(/^I count the gates of (.+) for p = (\d+)$/, function (this: GazelleWorld, name: string, pText: string) {
  const f = FUNCTIONS[name];
  assert.ok(f, `no circuit called "${name}"`);
  const p = Number(pText);
  const w = modulusWidth(p);
  const counter = new GateCounter();
  let used = 0;
  f.build(new Gates(counter), p, w, () => {
    used++;
    return Array.from({ length: w }, () => counter.input());
  });
  assert.equal(used, f.inputs);
  this.state.set(ANDS, counter.counts().and);
});

Then('it uses {int} AND gates', function (this: GazelleWorld, ands: number) {
  assert.equal(this.state.get(ANDS), ands);
});

Then("it uses at most 6w - 4 AND gates with w = {int}, fewer than GAZELLE's 8w + 2 for the ReLU alone", function (this: GazelleWorld, w: number) {
  const ands = this.state.get(ANDS) as number;
  assert.ok(ands <= 6 * w - 4, `${ands} > 6·${w} − 4`);
  assert.ok(ands < 8 * w + 2);
});
