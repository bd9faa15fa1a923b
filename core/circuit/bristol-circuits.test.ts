/**
 * Every Bristol circuit of test/vectors/bristol, run on the bit-sliced plaintext backend (many
 * instances at once, across word boundaries), against references computed independently: BigInt
 * arithmetic, node:crypto AES and SHA-1, @noble/hashes SHA-256, and the FIPS-197 appendix C vectors.
 */
import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { type BristolParseOptions, detectBristolFormat, loadBristolFile } from './bristol.ts';
import type { Circuit } from './circuit.ts';
import { bigintFromBytes, bytesFromBigint, runPlaintext } from './values.ts';
import { fromHex, toHex } from '../bytes.ts';

const DIR = new URL('../../test/vectors/bristol/', import.meta.url).pathname;
const cache = new Map<string, Circuit>();
function circuit(name: string, options?: BristolParseOptions): Circuit {
  const key = `${name} ${options?.bitOrder ?? ''}`;
  let c = cache.get(key);
  if (c === undefined) cache.set(key, (c = loadBristolFile(DIR + name, options)));
  return c;
}

const U64 = (1n << 64n) - 1n;
const u64 = fc.oneof(fc.bigInt({ min: 0n, max: U64 }), fc.constantFrom(0n, 1n, U64, 1n << 63n, (1n << 63n) - 1n));
const pairs = fc.array(fc.tuple(u64, u64), { minLength: 1, maxLength: 70 });
const signed = (x: bigint): bigint => BigInt.asIntN(64, x);

/** Check a two-input, 64-bit arithmetic circuit against `reference` on random batches. */
function checkBinary64(name: string, reference: (a: bigint, b: bigint) => bigint[], skip: (a: bigint, b: bigint) => boolean = () => false): void {
  const c = circuit(name);
  fc.assert(
    fc.property(pairs, (ps) => {
      const kept = ps.filter(([a, b]) => !skip(a, b));
      if (kept.length === 0) return;
      const out = runPlaintext(c, [kept.map((p) => p[0]), kept.map((p) => p[1])]);
      kept.forEach(([a, b], i) => {
        assert.deepEqual(out.map((o) => o[i]), reference(a, b), `${name}(${a}, ${b})`);
      });
    }),
    { numRuns: 8 },
  );
}

describe('Bristol Fashion arithmetic circuits (wire j = bit j, LSB first)', () => {
  it('adder64: a + b mod 2^64', () => checkBinary64('adder64.txt', (a, b) => [(a + b) & U64]));
  it('sub64: a - b mod 2^64', () => checkBinary64('sub64.txt', (a, b) => [(a - b) & U64]));
  it('mult64: a * b mod 2^64', () => checkBinary64('mult64.txt', (a, b) => [(a * b) & U64]));
  it('mult2_64: the full 128-bit product, high half first', () =>
    checkBinary64('mult2_64.txt', (a, b) => [(a * b) >> 64n, (a * b) & U64]));
  it('udivide64: unsigned quotient (divisor 0 excluded)', () => checkBinary64('udivide64.txt', (a, b) => [a / b], (_a, b) => b === 0n));
  it('divide64: signed quotient truncated toward zero, two’s complement (divisor 0 excluded)', () =>
    checkBinary64('divide64.txt', (a, b) => [BigInt.asUintN(64, signed(a) / signed(b))], (_a, b) => b === 0n));
  it('neg64 and zero_equal: -a mod 2^64 and [a = 0]', () => {
    fc.assert(
      fc.property(fc.array(u64, { minLength: 1, maxLength: 70 }), (as) => {
        assert.deepEqual(runPlaintext(circuit('neg64.txt'), [as])[0], as.map((a) => (-a) & U64));
        assert.deepEqual(runPlaintext(circuit('zero_equal.txt'), [as])[0], as.map((a) => (a === 0n ? 1n : 0n)));
      }),
      { numRuns: 8 },
    );
  });
});

function aesEcb(key: Uint8Array, block: Uint8Array): Uint8Array {
  const cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
  cipher.setAutoPadding(false);
  return new Uint8Array(cipher.update(block));
}

/** Run an AES circuit on `n` random (key, plaintext) pairs; `keyFirst` says the input order. */
function checkAesRandom(c: Circuit, keyBytes: number, keyFirst: boolean, n: number): void {
  const keys = Array.from({ length: n }, () => new Uint8Array(randomBytes(keyBytes)));
  const pts = Array.from({ length: n }, () => new Uint8Array(randomBytes(16)));
  const k = keys.map(bigintFromBytes);
  const p = pts.map(bigintFromBytes);
  const [out] = runPlaintext(c, keyFirst ? [k, p] : [p, k]);
  out!.forEach((ct, i) => assert.equal(toHex(bytesFromBigint(ct, 16)), toHex(aesEcb(keys[i]!, pts[i]!)), `instance ${i}`));
}

const FIPS_PT = '00112233445566778899aabbccddeeff';
// FIPS-197 appendix C: keys 00 01 02 ... of the given length, plaintext FIPS_PT.
const FIPS: [string, string, string][] = [
  ['aes_128.txt', '000102030405060708090a0b0c0d0e0f', '69c4e0d86a7b0430d8cdb78070b4c55a'],
  ['aes_192.txt', '000102030405060708090a0b0c0d0e0f1011121314151617', 'dda97ca4864cdfe06eaf70a0ec0d7191'],
  ['aes_256.txt', '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', '8ea2b7ca516745bfeafc49904b496089'],
];

describe('Bristol Fashion AES (input 0 key, input 1 plaintext, big-endian values)', () => {
  for (const [name, key, ct] of FIPS) {
    it(`${name}: FIPS-197 appendix C and node:crypto on random keys`, () => {
      const c = circuit(name);
      const [out] = runPlaintext(c, [[bigintFromBytes(fromHex(key))], [bigintFromBytes(fromHex(FIPS_PT))]]);
      assert.equal(toHex(bytesFromBigint(out![0]!, 16)), ct);
      checkAesRandom(c, key.length / 2, true, 37);
    });
  }
});

/** SHA-256 / SHA-1 message padding (FIPS 180-4 §5.1.1): 0x80, zeros, 64-bit big-endian bit length. */
function mdPad(message: Uint8Array): Uint8Array {
  const blocks = Math.ceil((message.length + 9) / 64);
  const out = new Uint8Array(blocks * 64);
  out.set(message);
  out[message.length] = 0x80;
  new DataView(out.buffer).setBigUint64(out.length - 8, BigInt(message.length) * 8n);
  return out;
}

// FIPS 180-4 §5.3.3: the SHA-256 initial hash value H(0), as one big-endian 256-bit integer.
const SHA256_IV = 0x6a09e667bb67ae853c6ef372a54ff53a510e527f9b05688c1f83d9ab5be0cd19n;

describe('Bristol Fashion sha256 compression (input 0 block, input 1 chaining state)', () => {
  it('one block from the IV gives SHA-256 of messages up to 55 bytes', () => {
    const messages = [0, 3, 17, 55].map((n) => new Uint8Array(randomBytes(n)));
    const blocks = messages.map((m) => bigintFromBytes(mdPad(m)));
    const [out] = runPlaintext(circuit('sha256.txt'), [blocks, blocks.map(() => SHA256_IV)]);
    messages.forEach((m, i) => assert.equal(toHex(bytesFromBigint(out![i]!, 32)), toHex(sha256(m))));
  });

  it('chaining two compressions gives SHA-256 of messages of 56 to 119 bytes', () => {
    const messages = [56, 64, 119].map((n) => new Uint8Array(randomBytes(n)));
    const padded = messages.map(mdPad);
    const first = padded.map((p) => bigintFromBytes(p.subarray(0, 64)));
    const second = padded.map((p) => bigintFromBytes(p.subarray(64)));
    const c = circuit('sha256.txt');
    const [mid] = runPlaintext(c, [first, first.map(() => SHA256_IV)]);
    const [out] = runPlaintext(c, [second, mid!]);
    messages.forEach((m, i) => assert.equal(toHex(bytesFromBigint(out![i]!, 32)), toHex(sha256(m))));
  });
});

describe('old Bristol format (converted to LSB-first values)', () => {
  it('AES-non-expanded: input 0 plaintext, input 1 key; FIPS-197 C.1 and node:crypto', () => {
    const c = circuit('old-format/AES-non-expanded.txt');
    assert.deepEqual([c.inputWidths, c.outputWidths], [[128, 128], [128]]);
    const [out] = runPlaintext(c, [[bigintFromBytes(fromHex(FIPS_PT))], [bigintFromBytes(fromHex(FIPS[0]![1]))]]);
    assert.equal(toHex(bytesFromBigint(out![0]!, 16)), FIPS[0]![2]);
    checkAesRandom(c, 16, false, 33);
  });

  for (const [name, hash, bytes] of [['sha-256', 'sha256', 32], ['sha-1', 'sha1', 20]] as const) {
    it(`${name}: one padded block (second input empty) gives ${hash} of messages up to 55 bytes`, () => {
      const c = circuit(`old-format/${name}.txt`);
      assert.deepEqual(c.inputWidths, [512, 0]);
      const messages = [0, 3, 30, 55].map((n) => new Uint8Array(randomBytes(n)));
      const [out] = runPlaintext(c, [messages.map((m) => bigintFromBytes(mdPad(m))), messages.map(() => 0n)]);
      messages.forEach((m, i) => assert.equal(toHex(bytesFromBigint(out![i]!, bytes)), createHash(hash).update(m).digest('hex')));
    });
  }

  it('adder_32bit is least significant bit first: read with bitOrder lsb-first it adds with a 33rd carry bit', () => {
    const c = circuit('old-format/adder_32bit.txt', { bitOrder: 'lsb-first' });
    const u32 = fc.oneof(fc.bigInt({ min: 0n, max: 0xffffffffn }), fc.constantFrom(0n, 0xffffffffn));
    fc.assert(
      fc.property(fc.array(fc.tuple(u32, u32), { minLength: 1, maxLength: 70 }), (ps) => {
        const [out] = runPlaintext(c, [ps.map((p) => p[0]), ps.map((p) => p[1])]);
        assert.deepEqual(out, ps.map(([a, b]) => a + b));
      }),
      { numRuns: 10 },
    );
  });
});

describe('format detection', () => {
  it('tells Bristol Fashion from the old format for every vector', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    for (const name of readdirSync(DIR).filter((f) => f.endsWith('.txt') && !f.startsWith('LICENSE'))) {
      assert.equal(detectBristolFormat(readFileSync(DIR + name, 'utf8')), 'fashion', name);
    }
    for (const name of readdirSync(`${DIR}old-format`).filter((f) => f.endsWith('.txt'))) {
      assert.equal(detectBristolFormat(readFileSync(`${DIR}old-format/${name}`, 'utf8')), 'old', name);
    }
  });
});
