import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Circuit } from '../circuit/circuit.ts';
import { runPlaintext } from '../circuit/values.ts';
import { RecordingChannel, type RecordedMessage } from '../channel/recording.ts';
import { ProtocolError, SecurityError, TransportError } from '../errors.ts';
import type { GarblingScheme } from '../garbling.ts';
import { MemoryTransport } from '../../plugins/transport-memory/memory-transport.ts';
import { InsecureIdealOt } from '../../plugins/insecure-ideal-ot/insecure-ideal-ot.ts';
import { HalfGates } from '../../plugins/half-gates/half-gates.ts';
import { ClassicGarbling } from '../../plugins/classic-gc/classic.ts';
import { arbitraryCircuit } from '../../test/support/circuits.ts';
import { garbleCircuit } from '../../test/gc/garble-circuit.ts';
import { randomDelta } from './labels.ts';
import { evaluateStored, garbleOffline, receiveEvaluatorLabels, receiveGarbled, sendEvaluatorLabels } from './offline.ts';
import { circuitProgram } from './program.ts';
import { offlineGarblingBytes, planRun, sendRunHeader } from './run-plan.ts';
import { inputOtCount } from './runner.ts';

const transport = new MemoryTransport();
const ot = new InsecureIdealOt();
const salted = (scheme: GarblingScheme) => scheme.withSalt(0x0123_4567_89ab_cdefn);
const schemes: GarblingScheme[] = [salted(new HalfGates()), salted(new ClassicGarbling())];

const circuitRun = arbitraryCircuit(60).chain((circuit) =>
  fc.record({
    circuit: fc.constant(circuit),
    garblerValues: fc.integer({ min: 0, max: circuit.inputWidths.length }),
    inputs: fc.integer({ min: 1, max: 6 }).chain((instances) =>
      fc.tuple(...circuit.inputWidths.map((w) => fc.array(fc.bigInt({ min: 0n, max: (1n << BigInt(w)) - 1n }), { minLength: instances, maxLength: instances }))),
    ),
    chunkMemoryBytes: fc.option(fc.integer({ min: 100, max: 2000 }), { nil: undefined }),
    frameBytes: fc.option(fc.integer({ min: 16, max: 300 }), { nil: undefined }),
  }),
);

/** Both phases between two parties over one recorded pair; the transcripts split at the phase boundary. */
async function offlineThenOnline(circuit: Circuit, garblerValues: number, inputs: bigint[][], scheme: GarblingScheme, extra: { chunkMemoryBytes?: number; frameBytes?: number } = {}) {
  const pair = await transport.pair();
  const server = new RecordingChannel(pair.server, 'server');
  const client = new RecordingChannel(pair.client, 'client');
  const [sender, receiver] = await Promise.all([ot.sender(server, randomDelta()), ot.receiver(client)]);
  const program = circuitProgram(circuit, garblerValues);
  const instances = inputs[0]!.length;
  const options = { scheme, instances, ...extra };
  const n = inputOtCount(program, instances);
  await Promise.all([sender.precompute(n), receiver.precompute(n)]);
  const start = client.transcript().messages.length;
  const [garbled, stored] = await Promise.all([garbleOffline(server, program, inputs.slice(0, garblerValues), sender, options), receiveGarbled(client, program, options)]);
  const middle = client.transcript().messages.length;
  const [, labels] = await Promise.all([sendEvaluatorLabels(sender, garbled), receiveEvaluatorLabels(receiver, stored, inputs.slice(garblerValues))]);
  const online = client.transcript().messages.slice(middle);
  const evaluated = await evaluateStored(stored, labels);
  await pair.close();
  return { ...evaluated, garbled, stored, offline: client.transcript().messages.slice(start, middle), online, sender, receiver };
}

const bytes = (messages: readonly RecordedMessage[], direction: 'sent' | 'received') => messages.filter((m) => m.direction === direction).reduce((s, m) => s + m.bytes.length, 0);

describe('garbled circuits offline, evaluated online', () => {
  for (const scheme of schemes) {
    it(`${scheme.name}: random circuits, chunked anyhow: offline + online equals the plaintext result and the online runner's outputs`, async () => {
      await fc.assert(
        fc.asyncProperty(circuitRun, async ({ circuit, garblerValues, inputs, chunkMemoryBytes, frameBytes }) => {
          const extra = { ...(chunkMemoryBytes !== undefined ? { chunkMemoryBytes } : {}), ...(frameBytes !== undefined ? { frameBytes } : {}) };
          const split = await offlineThenOnline(circuit, garblerValues, inputs, scheme, extra);
          const expected = runPlaintext(circuit, inputs, inputs[0]!.length);
          assert.deepEqual(split.outputs, expected);
          const online = await garbleCircuit(circuit, garblerValues, inputs, ot, { scheme, ...extra });
          assert.deepEqual(split.outputs, online.outputs);
          assert.deepEqual(split.stats, online.evaluator, 'same gate counts, chunks, table bytes and gate ids');
          assert.deepEqual(split.garbled.stats, online.garbler);
          assert.equal(split.sender.precomputed, 0);
          assert.equal(split.receiver.precomputed, 0);
        }),
        { numRuns: 40 },
      );
    });
  }

  it('offline the evaluator only receives the header, labels, tables and decode bits; online only the label transfer: 1 bit up, 16 bytes down per input bit', async () => {
    await fc.assert(
      fc.asyncProperty(circuitRun, async ({ circuit, garblerValues, inputs }) => {
        const split = await offlineThenOnline(circuit, garblerValues, inputs, schemes[0]!, { chunkMemoryBytes: 300 });
        assert.deepEqual(new Set(split.offline.map((m) => m.direction)), new Set(['received']), 'the evaluator sends nothing offline');
        for (const m of split.offline) assert.ok(['control', 'input-labels', 'gc-table', 'decode-bits'].includes(m.kind), `offline message of kind ${m.kind}`);
        const n = split.stored.inputOts;
        assert.equal(n, inputs.slice(garblerValues).length === 0 ? 0 : circuit.inputWidths.slice(garblerValues).reduce((s, w) => s + w, 0) * inputs[0]!.length);
        assert.equal(bytes(split.online, 'sent'), n === 0 ? 0 : 16 + Math.ceil(n / 8));
        assert.equal(bytes(split.online, 'received'), n === 0 ? 0 : 16 + 16 * n);
        for (const m of split.online) assert.ok(['control', 'ot-extension'].includes(m.kind), `online message of kind ${m.kind}`);
        assert.equal(bytes(split.offline, 'received'), 8 * 11 + split.stored.tableBytes + split.stored.chunks.reduce((s, c) => s + c.garblerLabels.length + c.decode.length, 0));
        // The prediction plans and budgets use, from the program and options alone.
        const program = circuitProgram(circuit, garblerValues);
        assert.equal(bytes(split.offline, 'received'), offlineGarblingBytes(program, { scheme: schemes[0]!, instances: inputs[0]!.length, chunkMemoryBytes: 300 }));
      }),
      { numRuns: 20 },
    );
  });

  const and: Circuit = { wireCount: 3, inputWidths: [1, 1], outputWidths: [1], gates: Int32Array.of(1, 0, 1, 2) };

  it("the evaluator's labels are transferred once: a second transfer (which would reveal Δ) is a SecurityError", async () => {
    const { client, server } = await transport.pair();
    const [sender, receiver] = await Promise.all([ot.sender(server, randomDelta()), ot.receiver(client)]);
    await Promise.all([sender.precompute(2), receiver.precompute(2)]);
    const program = circuitProgram(and, 1);
    const options = { scheme: schemes[0]! };
    const [garbled, stored] = await Promise.all([garbleOffline(server, program, [[1]], sender, options), receiveGarbled(client, program, options)]);
    assert.equal(garbled.inputOts, 1);
    const [, labels] = await Promise.all([sendEvaluatorLabels(sender, garbled), receiveEvaluatorLabels(receiver, stored, [[1]])]);
    assert.deepEqual((await evaluateStored(stored, labels)).outputs, [[1n]]);
    assert.equal(garbled.inputOts, 0);
    await assert.rejects(sendEvaluatorLabels(sender, garbled), SecurityError);
    await assert.rejects(evaluateStored(stored, labels.subarray(1)), RangeError);
    await client.close();
  });

  it('an evaluator expecting another program is a ProtocolError; a garbler that disconnects mid-layer a TransportError', async () => {
    const xor: Circuit = { wireCount: 3, inputWidths: [1, 1], outputWidths: [1], gates: Int32Array.of(0, 0, 1, 2) };
    const first = await transport.pair();
    const sender = await Promise.all([ot.sender(first.server, randomDelta()), ot.receiver(first.client)]).then(([s]) => s);
    const garbling = garbleOffline(first.server, circuitProgram(and, 1), [[1]], sender, { scheme: schemes[0]! });
    await assert.rejects(receiveGarbled(first.client, circuitProgram(xor, 1), { scheme: schemes[0]! }), (e: unknown) => e instanceof ProtocolError && /andsPerInstance is 1, ours is 0/.test(e.message));
    await garbling;
    await first.close();

    const second = await transport.pair();
    const program = circuitProgram(and, 1);
    const options = { scheme: schemes[0]!, instances: 3 };
    const receiving = receiveGarbled(second.client, program, options);
    // A garbler that announces the layer, sends its input labels and stops.
    await sendRunHeader(second.server, program, options.scheme, planRun(program, options, 'offline'));
    await second.server.send(new Uint8Array(3 * 16), 'input-labels');
    await second.server.close();
    await assert.rejects(receiving, TransportError);
    await second.close();
  });
});
