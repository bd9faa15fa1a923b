import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { loadBristolFile } from '../../core/circuit/bristol.ts';
import { Gates } from '../../core/circuit/lib/gates.ts';
import { modulusWidth } from '../../core/circuit/lib/modp.ts';
import { neuron, type NeuronSpec } from '../../core/circuit/lib/neuron.ts';
import { PlaintextBackend } from '../../core/circuit/plaintext-backend.ts';
import { decodeValues, encodeValues } from '../../core/circuit/values.ts';
import { runGcLocally } from '../../core/gc/local-run.ts';
import { randomDelta } from '../../core/gc/labels.ts';
import { circuitProgram, functionProgram, type GcProgram } from '../../core/gc/program.ts';
import { garbleAndSend, receiveAndEvaluate } from '../../core/gc/runner.ts';
import { HalfGates } from '../../plugins/half-gates/half-gates.ts';
import { InsecureIdealOt } from '../../plugins/insecure-ideal-ot/insecure-ideal-ot.ts';
import { IknpExtension } from '../../plugins/iknp/iknp.ts';
import { ChouOrlandiBaseOt } from '../../plugins/chou-orlandi/chou-orlandi.ts';
import { MemoryTransport } from '../../plugins/transport-memory/memory-transport.ts';
import type { GazelleWorld } from '../support/world.ts';

const BRISTOL = 'test/vectors/bristol/';
const NEURON = 'garbling.neuron';
const RUN = 'garbling.run';
const FAILURE = 'garbling.failure';

interface GcJson {
  andGates: number;
  tableBytes: number;
  bytes: { garblerToEvaluator: number; evaluatorToGarbler: number };
}

const json = (world: GazelleWorld): GcJson => JSON.parse(world.lastCommand!.stdout) as GcJson;

Then('stdout is exactly the lines {string}', function (this: GazelleWorld, lines: string) {
  assert.equal(this.lastCommand?.stdout, lines.split(',').map((l) => `${l}\n`).join(''), `stderr: ${this.lastCommand?.stderr}`);
});

Then('the JSON result counts {int} AND gates and {int} bytes of tables per AND gate', function (this: GazelleWorld, ands: number, perAnd: number) {
  const result = json(this);
  assert.equal(result.andGates, ands);
  assert.equal(result.tableBytes, ands * perAnd);
});

Then('the garbler sent at least the tables to the evaluator', function (this: GazelleWorld) {
  const result = json(this);
  assert.ok(result.bytes.garblerToEvaluator >= result.tableBytes, `sent ${result.bytes.garblerToEvaluator} bytes, tables are ${result.tableBytes}`);
});

Given(
  'the neuron circuit on shares mod {int} with ReLU, max-pooling {int} values and shifting right by {int}',
  function (this: GazelleWorld, p: number, pool: number, shift: number) {
    this.state.set(NEURON, { p, pool, shift } satisfies NeuronSpec);
  },
);

When('a garbler and an evaluator run it on {int} random neurons with half-gates', async function (this: GazelleWorld, instances: number) {
  const spec = this.state.get(NEURON) as NeuronSpec;
  const w = modulusWidth(spec.p);
  const k = spec.pool ?? 1;
  // Garbler: the server's prepared inputs Q_j ∈ [1, p] and mask; evaluator: the client's shares.
  const widths = Array<number>(2 * k + 1).fill(w);
  const bounds = [...Array<number>(k).fill(spec.p + 1), spec.p, ...Array<number>(k).fill(spec.p)];
  const inputs = bounds.map((bound) => Array.from({ length: instances }, () => BigInt(randomInt(bound))));
  const run = <W>(g: Gates<W>, xs: W[][]) => g.wires(neuron(g, spec, { server: xs.slice(0, k), mask: xs[k]!, client: xs.slice(k + 1) }));
  const program = functionProgram({
    name: 'neuron',
    garblerWidths: widths.slice(0, k + 1),
    evaluatorWidths: widths.slice(k + 1),
    run: (backend, values) => [run(new Gates(backend), values.map((v) => [...v]))],
  });
  const result = await runGcLocally({
    transport: new MemoryTransport(),
    ot: new IknpExtension(new ChouOrlandiBaseOt()),
    program,
    garblerInputs: inputs.slice(0, k + 1),
    evaluatorInputs: inputs.slice(k + 1),
    options: { scheme: new HalfGates(), instances },
  });
  const plain = new PlaintextBackend(instances);
  const expected = decodeValues(plain, run(new Gates(plain), inputs.map((values, i) => encodeValues(plain, widths[i]!, values))));
  this.state.set(RUN, { garbled: result.outputs[0], expected });
});

Then('the evaluator decodes exactly what the plaintext backend computes on the same inputs', function (this: GazelleWorld) {
  const { garbled, expected } = this.state.get(RUN) as { garbled: bigint[]; expected: bigint[] };
  assert.equal(garbled.length, expected.length);
  assert.deepEqual(garbled, expected);
});

When('the garbler garbles {string} while the evaluator expects {string}', async function (this: GazelleWorld, garbled: string, expected: string) {
  const program = (file: string): GcProgram => circuitProgram(loadBristolFile(BRISTOL + file), 1, file);
  const { client, server } = await new MemoryTransport().pair();
  const ot = new InsecureIdealOt();
  const options = { scheme: new HalfGates() };
  const garbler = (async () => garbleAndSend(server, program(garbled), [[1n]], await ot.sender(server, randomDelta()), options))();
  const evaluator = (async () => receiveAndEvaluate(client, program(expected), [[2n]], await ot.receiver(client), options))();
  this.state.set(FAILURE, await evaluator.then(() => undefined, (error: unknown) => error));
  await client.close();
  await garbler.catch(() => undefined);
});

Then('the evaluator fails with a ProtocolError saying {string}', function (this: GazelleWorld, text: string) {
  const error = this.state.get(FAILURE) as Error | undefined;
  assert.equal(error?.name, 'ProtocolError', `got ${String(error)}`);
  assert.ok(error.message.includes(text), error.message);
});
