/**
 * Bristol readers and writer: validation errors (typed, with line numbers), read→write→read
 * round trips, and fuzzing with mutated and random text (typed errors only, never a crash or hang).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CircuitFormatError, ConfigError } from '../errors.ts';
import { DEFAULT_MAX_CIRCUIT_BYTES, loadBristolFile, parseBristol } from './bristol.ts';
import { parseBristolFashion, writeBristolFashion } from './bristol-fashion.ts';
import { parseOldBristol } from './bristol-old.ts';
import { type Circuit, GateOp } from './circuit.ts';
import { validateCircuit } from './validate.ts';
import { arbitraryCircuit } from '../../test/support/circuits.ts';

const DIR = new URL('../../test/vectors/bristol/', import.meta.url).pathname;
const SMALL = ['adder64.txt', 'neg64.txt', 'zero_equal.txt', 'sub64.txt'].map((f) => readFileSync(DIR + f, 'utf8'));
const OLD_ADDER = readFileSync(`${DIR}old-format/adder_32bit.txt`, 'utf8');

/** A 2-input XOR/AND circuit: wires 0,1 inputs; 2 = 0 xor 1; 3 = 2 and 0 (output). */
const TINY = '2 4\n2 1 1\n1 1\n\n2 1 0 1 2 XOR\n2 1 2 0 3 AND\n';

function rejects(text: string, line: number | undefined, message: RegExp, read = parseBristolFashion): void {
  assert.throws(
    () => read(text),
    (e: unknown) => {
      assert.ok(e instanceof CircuitFormatError, `expected CircuitFormatError, got ${String(e)}`);
      assert.ok(e instanceof ConfigError);
      assert.equal(e.line, line, `line of: ${e.message}`);
      assert.match(e.message, message);
      return true;
    },
  );
}

describe('Bristol Fashion reader', () => {
  it('reads the header, widths and gates of a small file', () => {
    const c = parseBristolFashion(TINY);
    assert.equal(c.wireCount, 4);
    assert.deepEqual(c.inputWidths, [1, 1]);
    assert.deepEqual(c.outputWidths, [1]);
    assert.deepEqual([...c.gates], [GateOp.XOR, 0, 1, 2, GateOp.AND, 2, 0, 3]);
  });

  it('accepts CRLF line ends, extra blank lines and spacing', () => {
    assert.deepEqual(parseBristolFashion(TINY.replaceAll('\n', '\r\n\n').replaceAll(' ', '  \t')), parseBristolFashion(TINY));
  });

  it('expands MAND into AND gates and reads EQ / EQW', () => {
    const c = parseBristolFashion('4 7\n1 2\n1 3\n\n4 2 0 1 1 0 2 3 MAND\n1 1 1 4 EQ\n1 1 3 5 EQW\n2 1 2 3 6 XOR\n');
    assert.equal(c.wireCount, 7);
    assert.deepEqual(
      [...c.gates],
      [GateOp.AND, 0, 1, 2, GateOp.AND, 1, 0, 3, GateOp.EQ, 1, -1, 4, GateOp.EQW, 3, -1, 5, GateOp.XOR, 2, 3, 6],
    );
  });

  const cases: [string, string, number | undefined, RegExp][] = [
    ['empty file', '', 1, /truncated: expected the header/],
    ['header with one number', '2\n', 1, /expected 2 numbers, found 1/],
    ['negative count', '-2 4\n', 1, /non-negative integer/],
    ['exponent notation', '2 4e3\n', 1, /non-negative integer/],
    ['absurd wire count', '2 999999999\n2 1 1\n1 1\n', 1, /more than the limit/],
    ['more gates than wires', '9 4\n2 1 1\n1 1\n', 1, /only 2 non-input wires/],
    ['input count disagrees with widths', '2 4\n3 1 1\n1 1\n', 2, /expected 3 numbers, found 2/],
    ['inputs wider than the circuit', '2 4\n2 3 3\n1 1\n', 2, /more than 4 wires/],
    ['truncated after the header', '2 4\n2 1 1\n', 2, /truncated: expected the output line/],
    ['truncated gate list', '2 4\n2 1 1\n1 1\n\n2 1 0 1 2 XOR\n', 5, /truncated: expected gate 2 of 2/],
    ['unknown gate', TINY.replace('AND', 'NAND'), 6, /unknown gate "NAND"/],
    ['prototype name as gate', TINY.replace('AND', 'constructor'), 6, /unknown gate "constructor"/],
    ['wrong arity', TINY.replace('2 1 2 0 3 AND', '1 1 2 3 AND'), 6, /AND gate needs 2 inputs and 1 output/],
    ['field count mismatch', TINY.replace('2 1 2 0 3 AND', '2 1 2 3 AND'), 6, /has 2 wire fields/],
    ['wire out of range', TINY.replace('2 1 2 0 3 AND', '2 1 2 9 3 AND'), 6, /wire 9 is out of range \[0, 4\)/],
    ['wire used before set', TINY.replace('2 1 0 1 2 XOR', '2 1 0 3 2 XOR'), 5, /wire 3 is used before it is set/],
    ['wire set twice', TINY.replace('2 1 2 0 3 AND', '2 1 2 0 2 AND'), 6, /wire 2 is set twice/],
    ['input overwritten', TINY.replace('2 1 0 1 2 XOR', '2 1 0 1 1 XOR'), 5, /wire 1 is set twice \(it is a circuit input\)/],
    ['output never set', '1 4\n2 1 1\n1 1\n\n2 1 0 1 2 XOR\n', 5, /output wire 3 is never set/],
    ['EQ constant not a bit', '1 3\n1 1\n1 1\n\n1 1 2 2 EQ\n', 5, /EQ gate constant must be 0 or 1/],
    ['trailing gates', `${TINY}2 1 0 1 3 XOR\n`, 7, /unexpected content after the 2 declared gates/],
  ];
  for (const [name, text, line, message] of cases) {
    it(`rejects: ${name}`, () => rejects(text, line, message));
  }

  it('honours a custom wire limit', () => {
    assert.throws(() => parseBristolFashion(TINY, { maxWires: 3 }), /declares 4 wires, more than the limit 3/);
    assert.throws(() => parseBristolFashion(TINY, { maxWires: -1 }), RangeError);
  });
});

describe('old Bristol reader', () => {
  it('reverses bit order inside each value by default (msb-first) and keeps it with lsb-first', () => {
    // 2 gates, 6 wires; inputs 2 + 2 bits, output 2 bits: out wire 4 = in 0 xor in 2, out 5 = in 1 and in 3.
    const text = '2 6\n2 2 2\n\n2 1 0 2 4 XOR\n2 1 1 3 5 AND\n';
    assert.deepEqual([...parseOldBristol(text, { bitOrder: 'lsb-first' }).gates], [GateOp.XOR, 0, 2, 4, GateOp.AND, 1, 3, 5]);
    // msb-first: file wire 0 is bit 1 of input 0 (IR wire 1), file wire 2 is IR wire 3, file output 4 is IR wire 5.
    assert.deepEqual([...parseOldBristol(text).gates], [GateOp.XOR, 1, 3, 5, GateOp.AND, 0, 2, 4]);
  });

  it('rejects malformed headers with line numbers', () => {
    rejects('2 6\n2 2\n', 2, /expected 3 numbers, found 2/, parseOldBristol);
    rejects('2 6\n4 2 2\n', 2, /need more than the 6 declared wires/, parseOldBristol);
    rejects('2 6\n2 2 2\n\n2 1 0 2 4 XOR\n', 4, /truncated: expected gate 2 of 2/, parseOldBristol);
    assert.throws(() => parseOldBristol('0 0\n0 0 0\n', { bitOrder: 'middle' as 'lsb-first' }), RangeError);
  });

  it('parseBristol dispatches on the detected format', () => {
    assert.deepEqual(parseBristol(OLD_ADDER, { bitOrder: 'lsb-first' }), parseOldBristol(OLD_ADDER, { bitOrder: 'lsb-first' }));
    assert.deepEqual(parseBristol(SMALL[0]!), parseBristolFashion(SMALL[0]!));
  });
});

function sameCircuit(a: Circuit, b: Circuit): void {
  assert.deepEqual(
    { ...a, gates: [...a.gates], inputWidths: [...a.inputWidths], outputWidths: [...a.outputWidths] },
    { ...b, gates: [...b.gates], inputWidths: [...b.inputWidths], outputWidths: [...b.outputWidths] },
  );
}

describe('Bristol Fashion writer', () => {
  it('read → write → read is the identity on random valid circuits', () => {
    fc.assert(
      fc.property(arbitraryCircuit(), (c) => {
        const once = parseBristolFashion(writeBristolFashion(c));
        sameCircuit(once, c);
        assert.equal(writeBristolFashion(once), writeBristolFashion(c));
      }),
      { numRuns: 300 },
    );
  });

  it('read → write → read is the identity on the Bristol vectors (both formats)', () => {
    for (const text of SMALL) sameCircuit(parseBristolFashion(writeBristolFashion(parseBristolFashion(text))), parseBristolFashion(text));
    const old = parseOldBristol(readFileSync(`${DIR}old-format/AES-non-expanded.txt`, 'utf8'));
    sameCircuit(parseBristolFashion(writeBristolFashion(old)), old);
  });

  it('refuses to write an invalid circuit', () => {
    const bad: Circuit = { wireCount: 2, inputWidths: [1], outputWidths: [1], gates: Int32Array.of(GateOp.AND, 0, 1, 1) };
    assert.throws(() => writeBristolFashion(bad), /wire 1 is used before it is set/);
  });
});

/** Either a valid circuit or a CircuitFormatError; anything else fails the property. */
function readsOrRejects(text: string): void {
  for (const read of [parseBristolFashion, parseOldBristol]) {
    let c: Circuit;
    try {
      c = read(text, { maxWires: 1 << 16 });
    } catch (e) {
      if (e instanceof CircuitFormatError) continue;
      throw e;
    }
    validateCircuit(c);
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), len: fc.nat({ max: 12 }), text: fc.string({ maxLength: 12 }) }),
  fc.record({ kind: fc.constant('token' as const), at: fc.nat(), text: fc.constantFrom('0', '1', '-1', '999999999', '4294967296', 'AND', 'MAND', 'EQ', 'x', '1.5', '\n', ' ', '') }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, m: Mutation): string {
  const at = m.at % (text.length + 1);
  switch (m.kind) {
    case 'replace':
      return text.slice(0, at) + m.text + text.slice(at + m.len);
    case 'token': {
      const tokens = text.split(/( |\n)/);
      const i = (m.at % Math.max(1, Math.ceil(tokens.length / 2))) * 2;
      tokens[i] = m.text;
      return tokens.join('');
    }
    case 'truncate':
      return text.slice(0, at);
    case 'duplicate-line': {
      const lines = text.split('\n');
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
  }
}

describe('reader fuzzing', () => {
  it('mutated valid files: a valid circuit or a CircuitFormatError, never another error', () => {
    const bases = fc.oneof(fc.constantFrom(...SMALL, OLD_ADDER, TINY), arbitraryCircuit(12).map(writeBristolFashion));
    fc.assert(
      fc.property(bases, fc.array(mutation, { minLength: 1, maxLength: 4 }), (base, ms) => readsOrRejects(ms.reduce(mutate, base))),
      { numRuns: 600 },
    );
  });

  it('random garbage: a CircuitFormatError, never another error', () => {
    const garbage = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(fc.oneof(fc.nat({ max: 20 }).map(String), fc.constantFrom('XOR', 'AND', 'INV', 'EQ', 'EQW', 'MAND', '\n', '\n\n')), { maxLength: 60 }).map((t) => t.join(' ')),
    );
    fc.assert(fc.property(garbage, readsOrRejects), { numRuns: 1000 });
  });

  it('huge declared sizes are refused before any allocation of that size', () => {
    rejects('16777216 4294967295\n1 1\n1 1\n', 1, /more than the limit/);
    rejects('4294967295 16777216\n1 16777215\n1 1\n', 1, /only 1 non-input wires/);
    rejects('99999999999 4\n', 1, /non-negative integer/);
  });
});

describe('loadBristolFile reads a bounded number of bytes', () => {
  const adder = `${DIR}adder64.txt`;
  const size = readFileSync(adder).length;
  const tooLarge = (limit: string) => (e: unknown) => e instanceof CircuitFormatError && e.message.includes(`is larger than the limit of ${limit} (maxBytes)`);

  it('reads a file of exactly the limit, and refuses a larger one before reading it', () => {
    assert.equal(loadBristolFile(adder, { maxBytes: size }).inputWidths.length, 2);
    assert.throws(() => loadBristolFile(adder, { maxBytes: size - 1 }), tooLarge(`${size - 1} bytes`));
  });

  it('stops reading an endless device at the limit, with an error naming it', () => {
    assert.throws(() => loadBristolFile('/dev/zero', { maxBytes: 3 * 2 ** 20 }), tooLarge('3 MiB'));
    assert.equal(DEFAULT_MAX_CIRCUIT_BYTES, 64 * 2 ** 20);
  });

  it('lets file-system errors through unchanged', () => {
    assert.throws(() => loadBristolFile(`${DIR}no-such-circuit.txt`), (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT');
  });
});
