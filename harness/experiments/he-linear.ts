/**
 * Fixed-vs-random experiment on an HE linear layer, observed by the client (design §2 step 3): the
 * client uploads [x], the server returns [Σ_j rot(x, j)·w_j − r] (one output of GAZELLE's hybrid
 * matvec, `terms` weight vectors) finished for return (flooded, mod-switched), and the client
 * decrypts its share c' = W·x − r. The server's secret is its weights (fixed: all ones, whose noise
 * barely grows; random: uniform mod p) and its mask r (fresh each run). The client derives its share
 * and the decryption noise of every coefficient.
 *
 * `sampleMask` is the server's mask sampler (uniform by rejection; until the engine's `masks` plugin
 * kind, a leaky sampler is passed here to show that the share checks catch it).
 */
import { withScope } from '../../core/dispose.ts';
import type { HeBackend } from '../../core/he.ts';
import { seededRandom, uniformModP, type RandomSource } from '../../core/random.ts';
import type { Transport } from '../../core/transport.ts';
import { positiveInteger } from '../arguments.ts';
import type { Experiment } from '../evidence.ts';
import { RecordedPair } from '../recorded-session.ts';
import { simulateHeClientView } from '../simulators/he-linear.ts';

export interface HeExperimentOptions {
  readonly transport: Transport;
  readonly backend: HeBackend;
  readonly terms?: number;
  readonly sampleMask?: (source: RandomSource, count: number, p: number) => Uint32Array;
}

const LENGTH_BYTES = 4;

function lengthPrefix(n: number): Uint8Array {
  const out = new Uint8Array(LENGTH_BYTES);
  new DataView(out.buffer).setUint32(0, n, true);
  return out;
}

export function heClientExperiment(options: HeExperimentOptions): Experiment<readonly Uint32Array[]> {
  const { backend } = options;
  const terms = positiveInteger(options.terms ?? 4, 'HE experiment: terms');
  const { slotCount: n, plainModulus: p } = backend.params;
  const sampleMask = options.sampleMask ?? uniformModP;
  return {
    name: `he-client-view/${backend.name}`,
    observer: 'client',
    fixedSecret: Array.from({ length: terms }, () => new Uint32Array(n).fill(1)),
    randomSecret: (source) => Array.from({ length: terms }, () => uniformModP(source, n, p)),
    async open(observerSeed) {
      const pair = await RecordedPair.open(options.transport, 'client');
      const input = uniformModP(seededRandom(observerSeed, 'client-input'), n, 256);
      const client = backend.generateKeys(Array.from({ length: terms - 1 }, (_, j) => j + 1));
      const server = backend.importServerKeys(backend.exportServerKeys(client));
      pair.setLabel('online/fc1');
      const serverSide = async (weights: readonly Uint32Array[], mask: Uint32Array) => {
        const [length] = new Uint32Array((await pair.other.recv(LENGTH_BYTES, 'control')).slice().buffer);
        const upload = await pair.other.recv(length!, 'ciphertext');
        const finished = withScope((scope) => {
          const x = scope.track(backend.deserialize(upload));
          const acc = scope.track(backend.mulPlain(x, scope.track(backend.encodeForMultiply(weights[0]!))));
          for (let j = 1; j < terms; j++) {
            const rotated = scope.track(backend.rotateRows(x, j, server));
            backend.addInPlace(acc, scope.track(backend.mulPlain(rotated, scope.track(backend.encodeForMultiply(weights[j]!)))));
          }
          return backend.finish(scope.track(backend.subPlain(acc, scope.track(backend.encode(mask)))), server);
        });
        await pair.other.send(lengthPrefix(finished.bytes.length), 'control');
        await pair.other.send(finished.bytes, 'ciphertext');
      };
      const clientSide = async () => {
        const upload = backend.encryptSymmetric(input, client);
        await pair.observer.send(lengthPrefix(upload.length), 'control');
        await pair.observer.send(upload, 'ciphertext');
        const [length] = new Uint32Array((await pair.observer.recv(LENGTH_BYTES, 'control')).slice().buffer);
        return pair.observer.recv(length!, 'ciphertext');
      };
      const decryptReturned = (bytes: Uint8Array) =>
        withScope((scope) => {
          const c = scope.track(backend.deserialize(bytes));
          return { share: backend.decrypt(c, client), noise: backend.decryptionNoise!(c, client) };
        });
      return {
        async run(weights, otherSeed) {
          const mask = sampleMask(seededRandom(otherSeed, 'mask'), n, p);
          const { view } = await pair.record(
            async () => (await Promise.all([clientSide(), serverSide(weights, mask)]))[0],
            (returned) => ({ input: { x: input }, seed: observerSeed, derived: decryptReturned(returned) }),
          );
          const canaries = weights.map((w, j) => ({ name: `weights ${j}`, bytes: new Uint8Array(w.buffer.slice(0)) }));
          return { view, canaries: [...canaries, { name: 'mask', bytes: new Uint8Array(mask.buffer.slice(0)) }] };
        },
        simulate: async (view, seed) => simulateHeClientView(backend, { client, server }, view, seed),
        async close() {
          client.dispose();
          server.dispose();
          await pair.close();
        },
      };
    },
  };
}
