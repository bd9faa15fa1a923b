/**
 * Every Bristol circuit of test/vectors/bristol, garbled between two parties (IKNP over
 * Chou-Orlandi base OTs, in-memory channels), equals the plaintext backend on random inputs; the
 * garbled AES-128 reproduces FIPS-197 appendix C.1.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { loadBristolFile, parseBristol } from '../circuit/bristol.ts';
import type { Circuit } from '../circuit/circuit.ts';
import { bigintFromBytes, bytesFromBigint, runPlaintext } from '../circuit/values.ts';
import { fromHex, toHex } from '../bytes.ts';
import type { GarblingScheme } from '../garbling.ts';
import { IknpExtension } from '../../plugins/iknp/iknp.ts';
import { ChouOrlandiBaseOt } from '../../plugins/chou-orlandi/chou-orlandi.ts';
import { HalfGates } from '../../plugins/half-gates/half-gates.ts';
import { ClassicGarbling } from '../../plugins/classic-gc/classic.ts';
import { garbleCircuit } from '../../test/gc/garble-circuit.ts';

const DIR = new URL('../../test/vectors/bristol/', import.meta.url).pathname;
const FILES = [
  ...readdirSync(DIR).filter((f) => f.endsWith('.txt') && !f.startsWith('LICENSE')),
  ...readdirSync(`${DIR}old-format`).filter((f) => f.endsWith('.txt')).map((f) => `old-format/${f}`),
];
const ot = new IknpExtension(new ChouOrlandiBaseOt());

function randomValue(width: number): bigint {
  return width === 0 ? 0n : bigintFromBytes(new Uint8Array(randomBytes(Math.ceil(width / 8)))) & ((1n << BigInt(width)) - 1n);
}

function garble(circuit: Circuit, garblerValues: number, inputs: bigint[][], scheme: GarblingScheme = new HalfGates()) {
  return garbleCircuit(circuit, garblerValues, inputs, ot, { scheme });
}

describe('Bristol circuits garbled between two parties', () => {
  for (const file of FILES) {
    it(`${file}: garbled (half-gates) = plaintext on 3 random instances`, async () => {
      const circuit = loadBristolFile(DIR + file, file.includes('adder_32bit') ? { bitOrder: 'lsb-first' } : undefined);
      const inputs = circuit.inputWidths.map((w) => Array.from({ length: 3 }, () => randomValue(w)));
      const result = await garble(circuit, 1, inputs);
      assert.deepEqual(result.outputs, runPlaintext(circuit, inputs, 3));
      assert.equal(result.garbler.tableBytes, 32 * result.garbler.and, 'half-gates: 32 bytes per AND gate');
    });
  }

  it('a circuit with gaps in its wire numbering (wires no gate sets and nothing reads) garbles like any other', async () => {
    // Wires 2 and 4 are never used: 5 = NOT(0 AND 1).
    const circuit = parseBristol('2 6\n2 1 1\n1 1\n\n2 1 0 1 3 AND\n1 1 3 5 INV\n');
    const inputs = [[0n, 0n, 1n, 1n], [0n, 1n, 0n, 1n]];
    const result = await garbleCircuit(circuit, 1, inputs, ot, { scheme: new HalfGates() });
    assert.deepEqual(result.outputs, [[1n, 1n, 1n, 0n]]);
    assert.deepEqual(result.outputs, runPlaintext(circuit, inputs, 4));
  });

  it('aes_128: the garbled circuit reproduces FIPS-197 C.1, with either scheme', async () => {
    const circuit = loadBristolFile(`${DIR}aes_128.txt`);
    const key = bigintFromBytes(fromHex('000102030405060708090a0b0c0d0e0f'));
    const pt = bigintFromBytes(fromHex('00112233445566778899aabbccddeeff'));
    for (const scheme of [new HalfGates(), new ClassicGarbling()]) {
      const result = await garble(circuit, 1, [[key], [pt]], scheme);
      assert.equal(toHex(bytesFromBigint(result.outputs[0]![0]!, 16)), '69c4e0d86a7b0430d8cdb78070b4c55a', scheme.name);
    }
  });
});
