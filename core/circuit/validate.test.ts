import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CircuitFormatError } from '../errors.ts';
import { type Circuit, GateOp } from './circuit.ts';
import { validateCircuit } from './validate.ts';

const base: Circuit = { wireCount: 3, inputWidths: [2], outputWidths: [1], gates: Int32Array.of(GateOp.AND, 0, 1, 2) };

describe('validateCircuit on hand-built circuits', () => {
  it('accepts a well-formed circuit', () => {
    validateCircuit(base);
  });

  const bad: [string, Partial<Circuit>, RegExp][] = [
    ['negative wire count', { wireCount: -1 }, /wire count -1 is outside/],
    ['fractional width', { inputWidths: [1.5] }, /input width 1.5 is not a non-negative integer/],
    ['outputs wider than the circuit', { outputWidths: [4] }, /output widths add up to more than 3 wires/],
    ['gates not an Int32Array', { gates: [GateOp.AND, 0, 1, 2] as unknown as Int32Array }, /4 ints per gate/],
    ['gate list not a multiple of 4', { gates: Int32Array.of(GateOp.AND, 0, 1) }, /4 ints per gate/],
    ['unknown opcode', { gates: Int32Array.of(9, 0, 1, 2) }, /unknown opcode 9/],
    ['unary gate with a second input', { gates: Int32Array.of(GateOp.INV, 0, 1, 2) }, /second input 1/],
    ['EQ gate with a second input', { gates: Int32Array.of(GateOp.EQ, 1, 0, 2) }, /second input 0/],
    ['output wire out of range', { gates: Int32Array.of(GateOp.AND, 0, 1, 3) }, /output wire 3 is out of range/],
    ['negative input wire', { gates: Int32Array.of(GateOp.XOR, -1, 1, 2) }, /wire -1 is out of range/],
  ];
  for (const [name, change, message] of bad) {
    it(`rejects: ${name}`, () => {
      assert.throws(() => validateCircuit({ ...base, ...change }), (e: unknown) => e instanceof CircuitFormatError && message.test(e.message));
    });
  }

  it('honours a wire limit', () => {
    assert.throws(() => validateCircuit(base, undefined, 2), /outside \[0, 2\]/);
  });
});
