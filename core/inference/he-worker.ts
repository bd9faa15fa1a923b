/**
 * An HE worker thread (see he-protocol.ts for why HE runs in workers): the configured `he` and
 * `linear` plugins, the prepared layer slices of the model, and per session the keys and the
 * per-inference layers. Every native object is owned by a handle and released on every path; a
 * failed request leaves the worker's state as it was.
 */
import { parentPort } from 'node:worker_threads';
import { wire, type Wiring } from '../container.ts';
import { withScope } from '../dispose.ts';
import type { HeBackend, HeCiphertext, HeClientKeys, HeServerKeys } from '../he.ts';
import type { LinearKernels, PreparedLinear } from '../linear.ts';
import { PluginRegistry } from '../registry.ts';
import type { HeOp, HeRequestMessage, HeRequests, HeResponseMessage } from './he-protocol.ts';

interface Session {
  serverKeys?: HeServerKeys;
  clientKeys?: HeClientKeys;
  readonly layers: Map<string, PreparedLinear>;
}

let wiring: Wiring | undefined;
let he: HeBackend | undefined;
let kernels: LinearKernels | undefined;
const prepared = new Map<string, PreparedLinear>();
const sessions = new Map<string, Session>();

function backend(): HeBackend {
  if (!he) throw new Error('HE worker: not initialised');
  return he;
}

function session(id: string): Session {
  let s = sessions.get(id);
  if (!s) sessions.set(id, (s = { layers: new Map() }));
  return s;
}

function layer(map: Map<string, PreparedLinear>, name: string, what: string): PreparedLinear {
  const found = map.get(name);
  if (!found) throw new Error(`HE worker: no ${what} layer "${name}" prepared`);
  return found;
}

function replace(map: Map<string, PreparedLinear>, name: string, next: PreparedLinear): void {
  map.get(name)?.dispose();
  map.set(name, next);
}

function endSession(id: string): void {
  const s = sessions.get(id);
  if (!s) return;
  sessions.delete(id);
  for (const l of s.layers.values()) l.dispose();
  s.serverKeys?.dispose();
  s.clientKeys?.dispose();
}

function clientKeys(id: string): HeClientKeys {
  const keys = session(id).clientKeys;
  if (!keys) throw new Error(`HE worker: session ${id} has no client keys`);
  return keys;
}

type Handlers = { [K in HeOp]: (args: HeRequests[K]['args']) => HeRequests[K]['result'] | Promise<HeRequests[K]['result']> };

const handlers: Handlers = {
  async init({ config, registry }) {
    if (wiring) throw new Error('HE worker: already initialised');
    wiring = await wire(config, await PluginRegistry.fromSource(registry), ['he', 'linear']);
    he = wiring.get('he');
    kernels = wiring.get('linear');
    return { params: he.params, wireSizes: measureWireSizes(he), measuresNoise: typeof he.decryptionNoise === 'function' };
  },

  prepare({ layer: name, spec, piece, weights, bias }) {
    replace(prepared, name, kernels!.prepare(spec, { weights, bias }, backend(), { piece }));
  },

  release({ prefix }) {
    for (const [name, prepared_] of [...prepared]) {
      if (!name.startsWith(prefix)) continue;
      prepared_.dispose();
      prepared.delete(name);
    }
  },

  'import-keys'({ session: id, keys }) {
    const s = session(id);
    const imported = backend().importServerKeys(keys);
    s.serverKeys?.dispose();
    s.serverKeys = imported;
  },

  'prepare-session-layer'({ session: id, layer: name, spec, piece, weights, bias }) {
    replace(session(id).layers, name, kernels!.prepare(spec, { weights, bias }, backend(), { piece }));
  },

  linear({ session: id, layer: name, inputs, share, mask, squared, minMarginBits }) {
    const be = backend();
    const s = session(id);
    const keys = s.serverKeys;
    if (!keys) throw new Error(`HE worker: session ${id} has no keys`);
    const main = layer(prepared, name, 'model');
    return withScope((scope) => {
      const load = (bytes: readonly Uint8Array[]) => bytes.map((b) => scope.track(be.deserialize(b)));
      let x = load(inputs);
      if (share) {
        if (share.length !== x.length) throw new RangeError(`HE worker: ${share.length} share vectors for ${x.length} ciphertexts`);
        x = x.map((ct, i) => scope.track(be.addPlain(ct, scope.track(be.encode(share[i]!)))));
      }
      let y: HeCiphertext[];
      if (squared?.cross.kind === 'session-layer') {
        // W·[c²] (+ b), plus W·diag(2s)·[c] (+ W·s²) from the session layer.
        y = main.apply(load(squared.inputs), keys).map((ct) => scope.track(ct));
        const cross = layer(s.layers, name, 'session').apply(x, keys).map((ct) => scope.track(ct));
        y.forEach((ct, i) => be.addInPlace(ct, cross[i]!));
      } else if (squared?.cross.kind === 'product') {
        // [x²] = [c²] + [c]·2s + s², then the layer.
        const { twiceShare, shareSquared } = squared.cross;
        const xx = load(squared.inputs).map((cc, i) => {
          const sum = scope.track(be.add(cc, scope.track(be.mulPlain(x[i]!, scope.track(be.encodeForMultiply(twiceShare[i]!))))));
          return scope.track(be.addPlain(sum, scope.track(be.encode(shareSquared[i]!))));
        });
        y = main.apply(xx, keys).map((ct) => scope.track(ct));
      } else {
        y = main.apply(x, keys).map((ct) => scope.track(ct));
      }
      if (mask.length !== y.length) throw new RangeError(`HE worker: ${mask.length} mask vectors for ${y.length} output ciphertexts`);
      const finished = y.map((ct, i) => be.finish(scope.track(be.subPlain(ct, scope.track(be.encode(mask[i]!)))), keys, minMarginBits));
      return { ciphertexts: finished.map((f) => f.bytes), marginBits: finished.map((f) => f.marginBits) };
    });
  },

  'end-session'({ session: id }) {
    endSession(id);
  },

  'generate-keys'({ session: id, steps }) {
    const s = session(id);
    const be = backend();
    const keys = be.generateKeys(steps);
    s.clientKeys?.dispose();
    s.clientKeys = keys;
    return be.exportServerKeys(keys);
  },

  encrypt({ session: id, slots }) {
    const keys = clientKeys(id);
    return slots.map((v) => backend().encryptSymmetric(v, keys));
  },

  decrypt({ session: id, ciphertexts }) {
    const keys = clientKeys(id);
    const be = backend();
    return withScope((scope) => ciphertexts.map((bytes) => be.decrypt(scope.track(be.deserialize(bytes)), keys)));
  },

  'decryption-noise'({ session: id, ciphertexts }) {
    const keys = clientKeys(id);
    const be = backend();
    if (!be.decryptionNoise) throw new TypeError(`HE worker: the ${be.name} backend cannot report decryption noise`);
    return withScope((scope) => ciphertexts.map((bytes) => be.decryptionNoise!(scope.track(be.deserialize(bytes)), keys)));
  },

  'live-objects'() {
    return backend().liveObjects?.() ?? 0;
  },

  'wasm-heap'() {
    const { external, arrayBuffers } = process.memoryUsage();
    return external - arrayBuffers;
  },
};

/** Sizes of an upload and a returned ciphertext, measured once on throw-away keys. */
function measureWireSizes(be: HeBackend): { upload: number; returned: number } {
  return withScope((scope) => {
    const client = scope.track(be.generateKeys([]));
    const server = scope.track(be.importServerKeys(be.exportServerKeys(client)));
    const upload = be.encryptSymmetric(new Uint32Array(be.params.slotCount), client);
    return { upload: upload.length, returned: be.finish(scope.track(be.deserialize(upload)), server).bytes.length };
  });
}

const port = parentPort;
if (!port) throw new Error('he-worker.ts runs as a worker thread');

port.on('message', (message: HeRequestMessage) => {
  void (async () => {
    let response: HeResponseMessage;
    const transfer: ArrayBuffer[] = [];
    try {
      const result = await (handlers[message.op] as (args: unknown) => unknown)(message.args);
      collectBuffers(result, transfer);
      response = { id: message.id, ok: true, result };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      response = { id: message.id, ok: false, error: { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) } };
    }
    // Results are transferred (detaching here costs nothing: node-seal already did), never copied.
    port.postMessage(response, transfer);
  })();
});

port.on('close', () => {
  for (const id of [...sessions.keys()]) endSession(id);
  for (const l of prepared.values()) l.dispose();
  prepared.clear();
  void wiring?.dispose();
});

/** The ArrayBuffers of typed arrays in `value` (one level of arrays or objects deep), for transfer. */
function collectBuffers(value: unknown, out: ArrayBuffer[]): void {
  const add = (v: unknown) => {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && !out.includes(v.buffer)) out.push(v.buffer);
  };
  add(value);
  if (Array.isArray(value)) value.forEach(add);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) Array.isArray(v) ? v.forEach(add) : add(v);
}
