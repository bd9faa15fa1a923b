import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { loadBristolFile } from '../../core/circuit/bristol.ts';
import { neuronReference, neuronServerInputs, type NeuronSpec } from '../../core/circuit/lib/neuron.ts';
import { choosePlugin, parseConfig } from '../../core/config.ts';
import { withWiring, type Wiring } from '../../core/container.ts';
import { runGcLocally } from '../../core/gc/local-run.ts';
import { neuronProgram } from '../../core/gc/neuron-program.ts';
import { circuitProgram, type GcProgram } from '../../core/gc/program.ts';
import { EvaluatorSession, GarblerSession } from '../../core/gc/session.ts';
import { runTwoParties } from '../../core/two-party.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import type { GazelleWorld } from '../support/world.ts';

const BRISTOL = 'test/vectors/bristol/';
const NEURON = 'garbling.neuron';
const RUN = 'garbling.run';
const FAILURE = 'garbling.failure';

interface GcJson {
  andGates: number;
  tableBytes: number;
  bytes: { garblerToEvaluator: number; evaluatorToGarbler: number };
  network: { profile: string; latencyMs: number; bandwidthMbps: number | null };
  seconds: number;
}

const json = (world: GazelleWorld): GcJson => JSON.parse(world.lastCommand!.stdout) as GcJson;

/** The default plugins with half-gates garbling (what the scenarios name), for the length of `body`. */
function withHalfGates<T>(body: (wiring: Wiring) => Promise<T>): Promise<T> {
  return withWiring(choosePlugin(parseConfig({}), 'garbling', 'half-gates'), builtinRegistry(), ['transport', 'ot-extension', 'garbling'], body);
}

Then('stdout is exactly the lines {string}', function (this: GazelleWorld, lines: string) {
  assert.equal(this.lastCommand?.stdout, lines.split(',').map((l) => `${l}\n`).join(''), `stderr: ${this.lastCommand?.stderr}`);
});

Then('the run was over a {string} network with {float} ms one way and {float} Mbit\\/s', function (this: GazelleWorld, profile: string, latencyMs: number, mbps: number) {
  assert.deepEqual(json(this).network, { profile, latencyMs, bandwidthMbps: mbps });
});

// A lower bound the link imposes, whatever the machine's speed: the evaluator finishes after the
// garbler's last byte arrived, which left the garbler's link no earlier than all its bytes at the
// link speed, and arrived one one-way delay later. Unshaped, these runs take a fraction of it.
Then("the run took at least one one-way delay plus the garbler's bytes at the link speed", function (this: GazelleWorld) {
  const { network, bytes, seconds } = json(this);
  const bound = network.latencyMs / 1000 + (bytes.garblerToEvaluator * 8) / (network.bandwidthMbps! * 1e6);
  assert.ok(seconds >= bound, `took ${seconds} s, less than the link allows (${bound} s)`);
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

async function runNeurons(world: GazelleWorld, instances: number, inputOts: 'extend' | 'precomputed'): Promise<void> {
  const spec = world.state.get(NEURON) as NeuronSpec;
  const { p } = spec;
  const k = spec.pool ?? 1;
  // Per neuron: the client's shares c'_j, the server's shares s'_j and its output mask r''.
  const neurons = Array.from({ length: instances }, () => ({
    c: Array.from({ length: k }, () => randomInt(p)),
    s: Array.from({ length: k }, () => randomInt(p)),
    r: randomInt(p),
  }));
  const prepared = neurons.map(({ s, r }) => neuronServerInputs(spec, s, r));
  const result = await withHalfGates((wiring) =>
    runGcLocally({
      transport: wiring.get('transport'),
      ot: wiring.get('ot-extension'),
      program: neuronProgram(spec),
      garblerInputs: [...Array.from({ length: k }, (_, j) => prepared.map((x) => x.server[j]!)), prepared.map((x) => x.mask)],
      evaluatorInputs: Array.from({ length: k }, (_, j) => neurons.map((n) => n.c[j]!)),
      options: { scheme: wiring.get('garbling'), instances, inputOts },
    }),
  );
  const expected = neurons.map(({ c, s, r }) => BigInt(neuronReference(spec, c, s, r)));
  world.state.set(RUN, { garbled: result.outputs[0], expected });
}

When('a garbler and an evaluator run it on {int} random neurons with half-gates', async function (this: GazelleWorld, instances: number) {
  await runNeurons(this, instances, 'extend');
});

When('a garbler and an evaluator run it on {int} random neurons with half-gates and input OTs precomputed offline', async function (this: GazelleWorld, instances: number) {
  await runNeurons(this, instances, 'precomputed');
});

Then("the client's new share of every neuron is \\(ReLU of the largest signed sum of shares, shifted, minus the server's mask\\) mod p", function (this: GazelleWorld) {
  const { garbled, expected } = this.state.get(RUN) as { garbled: bigint[]; expected: bigint[] };
  assert.equal(garbled.length, expected.length);
  assert.deepEqual(garbled, expected);
});

When('the garbler garbles {string} while the evaluator expects {string}', async function (this: GazelleWorld, garbled: string, expected: string) {
  const program = (file: string): GcProgram => circuitProgram(loadBristolFile(BRISTOL + file), 1, file);
  // The evaluator's failure comes first (the garbler fails only once the pair is closed), so it is the run's.
  const failure = await withHalfGates((wiring) => {
    const options = { scheme: wiring.get('garbling'), ot: wiring.get('ot-extension') };
    return runTwoParties(wiring.get('transport'), {
      server: async (channel) => (await GarblerSession.open(channel, options)).run(program(garbled), [[1n]]),
      client: async (channel) => (await EvaluatorSession.open(channel, options)).run(program(expected), [[2n]]),
    }).then(() => undefined, (error: unknown) => error);
  });
  this.state.set(FAILURE, failure);
});

Then('the evaluator fails with a ProtocolError saying {string}', function (this: GazelleWorld, text: string) {
  const error = this.state.get(FAILURE) as Error | undefined;
  assert.equal(error?.name, 'ProtocolError', `got ${String(error)}`);
  assert.ok(error.message.includes(text), error.message);
});
