import { After, Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { randomBytes } from '../../core/bytes.ts';
import { parseConfig } from '../../core/config.ts';
import { wire, type Wiring } from '../../core/container.ts';
import type { HeBackend, HeCiphertext } from '../../core/he.ts';
import type { PluginOptions } from '../../core/plugin.ts';
import { onesVersusUniform, type NoiseComparison } from '../../harness/he-noise.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import { nativeExceptions } from '../../plugins/seal-bfv/native-fault.ts';
import type { SealBfvBackend } from '../../plugins/seal-bfv/seal-bfv.ts';
import { randomSlots, reference } from '../../plugins/seal-bfv/test-support.ts';
import type { GazelleWorld } from '../support/world.ts';

const WIRING = 'he.wiring';
const ERROR = 'he.error';
const SLOTS = 'he.slots';
const CIPHERTEXTS = 'he.ciphertexts';
const RESULT = 'he.result';
const COMPARISON = 'he.comparison';

/** The backend through the plugin registry and the wiring, as the engine gets it (test profile). */
async function createBackend(world: GazelleWorld, name: string, options: PluginOptions, profile: 'test' | 'production' = 'test'): Promise<void> {
  try {
    const wiring = await wire(parseConfig({ profile, plugins: { he: { name, options } } }), builtinRegistry(), ['he']);
    world.state.set(WIRING, wiring);
  } catch (error) {
    world.state.set(ERROR, error);
  }
}

function backend(world: GazelleWorld): SealBfvBackend {
  const error = world.state.get(ERROR);
  assert.equal(error, undefined, `backend creation failed: ${String(error)}`);
  return (world.state.get(WIRING) as Wiring).get('he') as SealBfvBackend;
}

function attempt(world: GazelleWorld, action: () => void): void {
  try {
    action();
  } catch (error) {
    world.state.set(ERROR, error);
  }
}

After(async function (this: GazelleWorld) {
  for (const c of (this.state.get(CIPHERTEXTS) as HeCiphertext[] | undefined) ?? []) c.dispose();
  await (this.state.get(WIRING) as Wiring | undefined)?.dispose();
});

/** Fresh keys for `steps`, disposed with the scenario's other handles. */
function keysFor(world: GazelleWorld, he: HeBackend, steps: number[]) {
  const client = he.generateKeys(steps);
  const server = he.importServerKeys(he.exportServerKeys(client));
  track(world, client, server);
  return { client, server };
}

function track(world: GazelleWorld, ...handles: { dispose(): void }[]): void {
  const list = (world.state.get(CIPHERTEXTS) as { dispose(): void }[] | undefined) ?? [];
  list.push(...handles);
  world.state.set(CIPHERTEXTS, list);
}

Given('the BFV backend {string} with preset {string} accepting a lower margin', async function (this: GazelleWorld, name: string, preset: string) {
  await createBackend(this, name, { preset, acceptLowerMargin: true });
});

Given('the BFV backend {string} with preset {string} requiring a margin of {int} bits', async function (this: GazelleWorld, name: string, preset: string, bits: number) {
  await createBackend(this, name, { preset, minMarginBits: bits });
});

When('the BFV backend {string} is created with preset {string}', async function (this: GazelleWorld, name: string, preset: string) {
  await createBackend(this, name, { preset });
});

When('a production configuration selects the BFV backend {string}', async function (this: GazelleWorld, name: string) {
  await createBackend(this, name, { preset: 'fast' }, 'production');
});

Then('the BFV backend fails with a {word} saying {string}', function (this: GazelleWorld, type: string, text: string) {
  const error = this.state.get(ERROR) as Error | undefined;
  assert.ok(error, 'expected an error');
  assert.equal(error.name, type, error.message);
  assert.ok(error.message.includes(text), error.message);
  this.state.delete(ERROR);
});

Then('the BFV ring dimension is {int}', function (this: GazelleWorld, n: number) {
  assert.equal(backend(this).params.polyModulusDegree, n);
});

Then("the BFV coefficient modulus fits SEAL's 128-bit security limit for that ring dimension", function (this: GazelleWorld) {
  const { polyModulusDegree: n, coeffModulusBits } = backend(this).params;
  // SEAL's tc128 limits (HomomorphicEncryption.org standard, ternary secrets).
  const limit: Record<number, number> = { 1024: 27, 2048: 54, 4096: 109, 8192: 218, 16384: 438, 32768: 881 };
  assert.ok(coeffModulusBits.reduce((a, b) => a + b, 0) <= limit[n]!);
});

Then('the BFV plaintext modulus is a prime congruent to 1 modulo 2n', function (this: GazelleWorld) {
  const { plainModulus: p, polyModulusDegree: n } = backend(this).params;
  assert.equal(p % (2 * n), 1);
  for (let d = 2; d * d <= p; d++) assert.notEqual(p % d, 0, `${p} is divisible by ${d}`);
});

Then('the BFV reference-layer flooding margin is at least {int} bits', function (this: GazelleWorld, bits: number) {
  assert.ok(backend(this).referenceMarginBits >= bits, `margin ${backend(this).referenceMarginBits}`);
});

Then('the BFV reference-layer flooding margin is below {int} bits', function (this: GazelleWorld, bits: number) {
  assert.ok(backend(this).referenceMarginBits < bits, `margin ${backend(this).referenceMarginBits}`);
});

When(
  'the client encrypts a random slot vector symmetrically and the server encrypts it with the public key',
  function (this: GazelleWorld) {
    const he = backend(this);
    const { client, server } = keysFor(this, he, []);
    const x = randomSlots(he.params.slotCount, he.params.plainModulus);
    const symmetric = he.encryptSymmetric(x, client);
    const publicKey = he.encryptPublic(x, server);
    const fromUpload = he.deserialize(symmetric);
    track(this, publicKey, fromUpload);
    const decrypted = [he.decrypt(fromUpload, client), he.decrypt(publicKey, client)];
    this.state.set(SLOTS, x);
    this.state.set(RESULT, { sizes: [symmetric.length, he.serialize(publicKey).length], decrypted });
  },
);

Then('the symmetric ciphertext is between {int}% and {int}% of the size of the public-key one', function (this: GazelleWorld, lo: number, hi: number) {
  const { sizes } = this.state.get(RESULT) as { sizes: [number, number] };
  const percent = (100 * sizes[0]) / sizes[1];
  assert.ok(percent >= lo && percent <= hi, `${sizes[0]} / ${sizes[1]} bytes = ${percent.toFixed(1)}%`);
});

Then('both BFV ciphertexts decrypt to that slot vector', function (this: GazelleWorld) {
  const { decrypted } = this.state.get(RESULT) as { decrypted: Uint32Array[] };
  for (const d of decrypted) assert.deepEqual(d, this.state.get(SLOTS));
});

When('the server deserialises {}', function (this: GazelleWorld, garbage: string) {
  const he = backend(this);
  const { client } = keysFor(this, he, [1]);
  const valid = he.encryptSymmetric(randomSlots(he.params.slotCount, he.params.plainModulus), client);
  const bytes = Uint8Array.from(valid);
  const view = new DataView(bytes.buffer);
  switch (garbage) {
    case 'random bytes':
      return attempt(this, () => he.deserialize(randomBytes(200)));
    case 'a ciphertext cut short by 8 bytes':
      return attempt(this, () => he.deserialize(bytes.subarray(0, bytes.length - 8)));
    case 'a ciphertext with a corrupted parms_id':
      bytes[20]! ^= 1;
      return attempt(this, () => he.deserialize(bytes));
    case 'a ciphertext with a coefficient above q':
      view.setBigUint64(bytes.length - 81 - 8, (1n << 64n) - 1n, true); // last coefficient of c0, before the seed record
      return attempt(this, () => he.deserialize(bytes));
    case 'a ciphertext with an unknown PRNG type':
      bytes[bytes.length - 65] = 3; // the seed record: header, PRNG type, 64-byte seed
      return attempt(this, () => he.deserialize(bytes));
    case 'server keys cut short by 1 byte': {
      const keys = he.exportServerKeys(client);
      return attempt(this, () => he.importServerKeys(keys.subarray(0, keys.length - 1)));
    }
    default:
      assert.fail(`unknown garbage "${garbage}"`);
  }
});

When('the server multiplies an upload by all-zero weights {int} times and adds up the products', function (this: GazelleWorld, times: number) {
  const he = backend(this);
  const { client } = keysFor(this, he, []);
  const exceptions = nativeExceptions();
  const x = he.deserialize(he.encryptSymmetric(randomSlots(he.params.slotCount, he.params.plainModulus), client));
  const zero = he.encodeForMultiply(new Uint32Array(he.params.slotCount));
  const sum = he.mulPlain(x, zero);
  track(this, x, zero, sum);
  for (let i = 1; i < times; i++) {
    const product = he.mulPlain(x, zero);
    he.addInPlace(sum, product);
    product.dispose();
  }
  this.state.set(RESULT, { decrypted: he.decrypt(sum, client), exceptions: nativeExceptions() - exceptions });
});

Then('their sum decrypts to zero and node-seal raised no exception', function (this: GazelleWorld) {
  const { decrypted, exceptions } = this.state.get(RESULT) as { decrypted: Uint32Array; exceptions: number };
  assert.ok(decrypted.every((v) => v === 0), 'the sum of products with zero weights decrypts to zero');
  assert.equal(exceptions, 0);
});

Then('the BFV backend still decrypts a fresh upload correctly', function (this: GazelleWorld) {
  const he = backend(this);
  const { client } = keysFor(this, he, []);
  const x = randomSlots(he.params.slotCount, he.params.plainModulus);
  const c = he.deserialize(he.encryptSymmetric(x, client));
  track(this, c);
  assert.deepEqual(he.decrypt(c, client), x);
});

function returnProduct(world: GazelleWorld, times: number): void {
  const he = backend(world);
  const { slotCount: n, plainModulus: p } = he.params;
  const { client, server } = keysFor(world, he, []);
  const x = randomSlots(n, p);
  const w = randomSlots(n, p);
  const weights = he.encodeForMultiply(w);
  let c = he.deserialize(he.encryptSymmetric(x, client));
  track(world, weights, c);
  let expected = x;
  for (let i = 0; i < times; i++) {
    c = he.mulPlain(c, weights);
    track(world, c);
    expected = reference.mul(expected, w, p);
  }
  const product = c;
  attempt(world, () => {
    const finished = he.finish(product, server);
    const returned = he.deserialize(finished.bytes);
    track(world, returned);
    world.state.set(RESULT, { expected, decrypted: he.decrypt(returned, client), marginBits: finished.marginBits });
  });
}

When('the server returns the product of an upload with random weights', function (this: GazelleWorld) {
  returnProduct(this, 1);
});

When('the server returns the product of an upload with random weights applied twice', function (this: GazelleWorld) {
  returnProduct(this, 2);
});

Then('the returned BFV ciphertext decrypts to the slot-wise product mod p', function (this: GazelleWorld) {
  const { expected, decrypted } = this.state.get(RESULT) as { expected: Uint32Array; decrypted: Uint32Array };
  assert.deepEqual(decrypted, expected);
});

Then('the reported flooding margin is at least {int} bits', function (this: GazelleWorld, bits: number) {
  const { marginBits } = this.state.get(RESULT) as { marginBits: number };
  assert.ok(marginBits >= bits, `margin ${marginBits}`);
});

When('the decryption noise of returned ciphertexts is compared between all-ones and uniform weights', function (this: GazelleWorld) {
  this.state.set(COMPARISON, onesVersusUniform(backend(this)));
});

Then('the two-sample KS test tells them apart with p < {float}', function (this: GazelleWorld, alpha: number) {
  const r = this.state.get(COMPARISON) as NoiseComparison;
  assert.ok(r.pValue < alpha, `KS D = ${r.statistic}, p = ${r.pValue}`);
});

Then('the two-sample KS test finds no difference, p > {float}', function (this: GazelleWorld, alpha: number) {
  const r = this.state.get(COMPARISON) as NoiseComparison;
  assert.ok(r.pValue > alpha, `KS D = ${r.statistic}, p = ${r.pValue}`);
});
