import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Circuit } from '../circuit/circuit.ts';
import { runPlaintext } from '../circuit/values.ts';
import { ProtocolError } from '../errors.ts';
import type { GarblingScheme } from '../garbling.ts';
import { MemoryTransport } from '../../plugins/transport-memory/memory-transport.ts';
import { TcpTransport } from '../../plugins/transport-tcp/tcp-transport.ts';
import { InsecureIdealOt } from '../../plugins/insecure-ideal-ot/insecure-ideal-ot.ts';
import { HalfGates } from '../../plugins/half-gates/half-gates.ts';
import { ClassicGarbling } from '../../plugins/classic-gc/classic.ts';
import { arbitraryCircuit } from '../../test/support/circuits.ts';
import { garbleCircuit } from '../../test/gc/garble-circuit.ts';
import { randomDelta } from './labels.ts';
import { circuitProgram } from './program.ts';
import { garbleAndSend, receiveAndEvaluate } from './runner.ts';

const schemes: GarblingScheme[] = [new HalfGates(), new ClassicGarbling()];
const transport = new MemoryTransport();
const ot = new InsecureIdealOt();

/** A circuit with random inputs for `instances` instances and a random garbler/evaluator split. */
const circuitRun = arbitraryCircuit(60).chain((circuit) =>
  fc.record({
    circuit: fc.constant(circuit),
    garblerValues: fc.integer({ min: 0, max: circuit.inputWidths.length }),
    inputs: fc.integer({ min: 1, max: 5 }).chain((instances) =>
      fc.tuple(...circuit.inputWidths.map((w) => fc.array(fc.bigInt({ min: 0n, max: (1n << BigInt(w)) - 1n }), { minLength: instances, maxLength: instances }))),
    ),
  }),
);

function garbled(circuit: Circuit, garblerValues: number, inputs: bigint[][], scheme: GarblingScheme, extra: { chunkMemoryBytes?: number; frameBytes?: number } = {}) {
  return garbleCircuit(circuit, garblerValues, inputs, ot, { scheme, ...extra });
}

describe('garbled two-party runner', () => {
  for (const scheme of schemes) {
    it(`${scheme.name}: random circuits, inputs split anyhow between the parties, equal the plaintext backend`, async () => {
      await fc.assert(
        fc.asyncProperty(circuitRun, async ({ circuit, garblerValues, inputs }) => {
          const result = await garbled(circuit, garblerValues, inputs, scheme);
          assert.deepEqual(result.outputs, runPlaintext(circuit, inputs, inputs[0]!.length));
          assert.equal(result.garbler.tableBytes, result.garbler.and * scheme.tableBytesPerAnd);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('splits many instances into chunks and streams tables in small frames, with the same outputs', async () => {
    await fc.assert(
      fc.asyncProperty(circuitRun, fc.integer({ min: 17, max: 40 }), async ({ circuit, garblerValues }, instances) => {
        const inputs = circuit.inputWidths.map((w) => Array.from({ length: instances }, (_, i) => BigInt(i * 2654435761) & ((1n << BigInt(w)) - 1n)));
        const result = await garbled(circuit, garblerValues, inputs, schemes[0]!, { chunkMemoryBytes: 200, frameBytes: 64 });
        assert.deepEqual(result.outputs, runPlaintext(circuit, inputs, instances));
        if (result.garbler.and > 0) assert.ok(result.garbler.chunks > 1, 'more than one chunk');
        assert.equal(result.garbler.nextGateId, result.garbler.and);
      }),
      { numRuns: 20 },
    );
  });

  for (const scheme of schemes) {
    it(`${scheme.name}: from 1024 instances on (AND levels run gate by gate on the label store), the outputs are the same`, async () => {
      const instances = 1100;
      await fc.assert(
        fc.asyncProperty(circuitRun, async ({ circuit, garblerValues }) => {
          const inputs = circuit.inputWidths.map((w) => Array.from({ length: instances }, (_, i) => BigInt(i * 2654435761 + w) & ((1n << BigInt(w)) - 1n)));
          const result = await garbled(circuit, garblerValues, inputs, scheme);
          assert.deepEqual(result.outputs, runPlaintext(circuit, inputs, instances));
          assert.equal(result.garbler.tableBytes, result.garbler.and * scheme.tableBytesPerAnd);
        }),
        { numRuns: 6 },
      );
      // Negated operands (the garbler's flipped handles) in every position: ¬a∧b, a∧¬b, ¬a∧¬b.
      const negated: Circuit = {
        wireCount: 7,
        inputWidths: [1, 1],
        outputWidths: [3],
        gates: Int32Array.of(2, 0, -1, 2, 2, 1, -1, 3, 1, 2, 1, 4, 1, 0, 3, 5, 1, 2, 3, 6),
      };
      const inputs = [0, 1].map((k) => Array.from({ length: instances }, (_, i) => BigInt((i >> k) & 1)));
      const result = await garbled(negated, 1, inputs, scheme);
      assert.deepEqual(result.outputs, runPlaintext(negated, inputs, instances));
    });
  }

  it('over TCP (loopback) the outputs are the same', async () => {
    const tcp = new TcpTransport();
    await fc.assert(
      fc.asyncProperty(circuitRun, async ({ circuit, garblerValues, inputs }) => {
        const result = await garbleCircuit(circuit, garblerValues, inputs, ot, { scheme: schemes[0]!, frameBytes: 256 }, tcp);
        assert.deepEqual(result.outputs, runPlaintext(circuit, inputs, inputs[0]!.length));
      }),
      { numRuns: 8 },
    );
  });

  it("with inputOts 'precomputed' the evaluator's input labels come from OTs precomputed offline, with the same outputs", async () => {
    await fc.assert(
      fc.asyncProperty(circuitRun, async ({ circuit, garblerValues, inputs }) => {
        const instances = inputs[0]!.length;
        const otCount = circuit.inputWidths.slice(garblerValues).reduce((s, w) => s + w, 0) * instances;
        const { client, server } = await transport.pair();
        const [sender, receiver] = await Promise.all([ot.sender(server, randomDelta()), ot.receiver(client)]);
        await Promise.all([sender.precompute(otCount + 5), receiver.precompute(otCount + 5)]);
        const program = circuitProgram(circuit, garblerValues);
        const options = { scheme: schemes[0]!, instances, inputOts: 'precomputed' as const };
        const [, evaluated] = await Promise.all([
          garbleAndSend(server, program, inputs.slice(0, garblerValues), sender, options),
          receiveAndEvaluate(client, program, inputs.slice(garblerValues), receiver, options),
        ]);
        assert.deepEqual(evaluated.outputs, runPlaintext(circuit, inputs, instances));
        assert.equal(sender.precomputed, 5);
        assert.equal(receiver.precomputed, 5);
        await client.close();
      }),
      { numRuns: 20 },
    );
  });

  it('too few precomputed OTs is a RangeError that says to precompute; a mismatched source of input OTs a ProtocolError', async () => {
    const and: Circuit = { wireCount: 3, inputWidths: [1, 1], outputWidths: [1], gates: Int32Array.of(1, 0, 1, 2) };
    const program = circuitProgram(and, 1);
    const short = await transport.pair();
    const sender = await ot.sender(short.server, randomDelta());
    await assert.rejects(garbleAndSend(short.server, program, [[1]], sender, { scheme: schemes[0]!, inputOts: 'precomputed' }), (e: unknown) => e instanceof RangeError && /precompute\(\)/.test(e.message));
    await short.client.close();

    const { client, server } = await transport.pair();
    const garbler = (async () => garbleAndSend(server, program, [[1]], await ot.sender(server, randomDelta()), { scheme: schemes[0]!, inputOts: 'precomputed' }))();
    const evaluator = (async () => receiveAndEvaluate(client, program, [[1]], await ot.receiver(client), { scheme: schemes[0]! }))();
    await assert.rejects(evaluator, (e: unknown) => e instanceof ProtocolError && /evaluatorInputs is 1, ours is 0/.test(e.message));
    await client.close();
    await assert.rejects(garbler);
    await assert.rejects(garbleAndSend(server, program, [[1]], sender, { scheme: schemes[0]!, inputOts: 'later' as never }), /inputOts must be/);
  });

  it('the evaluator refuses a garbler running another program, with a ProtocolError', async () => {
    const { client, server } = await transport.pair();
    const and: Circuit = { wireCount: 3, inputWidths: [1, 1], outputWidths: [1], gates: Int32Array.of(1, 0, 1, 2) };
    const xor: Circuit = { wireCount: 3, inputWidths: [1, 1], outputWidths: [1], gates: Int32Array.of(0, 0, 1, 2) };
    const options = { scheme: schemes[0]! };
    const garbler = (async () => garbleAndSend(server, circuitProgram(and, 1), [[1]], await ot.sender(server, randomDelta()), options))();
    const evaluator = (async () => receiveAndEvaluate(client, circuitProgram(xor, 1), [[1]], await ot.receiver(client), options))();
    await assert.rejects(evaluator, (e: unknown) => e instanceof ProtocolError && /andsPerInstance is 1, ours is 0/.test(e.message));
    await client.close();
    await assert.rejects(garbler);
  });

  it('rejects input values that do not fit their width before sending anything', async () => {
    const and: Circuit = { wireCount: 3, inputWidths: [1, 1], outputWidths: [1], gates: Int32Array.of(1, 0, 1, 2) };
    await assert.rejects(garbled(and, 1, [[2n], [1n]], schemes[0]!), /does not fit in 1 bits/);
    await assert.rejects(garbled(and, 1, [[1n, 0n], [1n]], schemes[0]!), /one entry per instance/);
  });
});
