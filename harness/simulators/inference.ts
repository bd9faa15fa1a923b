/**
 * Simulators of whole-inference views (design §7, issue 13), one per party: a view produced from the
 * party's own input, randomness and output alone, message by message along the real view's schedule
 * (labels, kinds and sizes follow from the public plan; the shape check compares them):
 *
 * - `control` messages (the public announcement, salts, run and OT call headers, session control
 *   bytes) are public protocol state and copied;
 * - setup (`base-ot` and IKNP's key confirmations) is independent of both parties' secrets: it is
 *   replayed by opening a garbling session between the observer, with its own seeded randomness,
 *   and a fresh peer;
 * - OT extension traffic (IKNP columns, derandomisation bits d = b ⊕ c, label-transfer pads y) is
 *   pseudorandom to its receiver: uniform bytes (padding bits of d stay zero);
 * - client's view: each returned ciphertext becomes a fresh encryption of a uniform slot vector
 *   under a fresh key, finished for return like the server's (flooded, mod-switched), and the
 *   derived share and noise are its decryption; each garbled layer becomes a fake circuit — uniform
 *   garbler labels and tables, evaluated from uniform evaluator labels — whose decode bits make it
 *   decode to a fresh uniform share (to the known class, for the argmax); the revealed server share
 *   is the known result minus the simulated last share;
 * - server's view: the client's keys are fresh keys for the plan's Galois steps, its uploads fresh
 *   encryptions of zero under them (semantic security of BFV).
 */
import type { MessageKind, Party } from '../../core/channel.ts';
import { RecordingChannel } from '../../core/channel/recording.ts';
import { packBits } from '../../core/bytes.ts';
import { withScope, withScopeAsync, type DisposalScope } from '../../core/dispose.ts';
import type { GarblingScheme } from '../../core/garbling.ts';
import { evaluateChunk, RunTally } from '../../core/gc/chunks.ts';
import type { GcProgram } from '../../core/gc/program.ts';
import { chunksOf, planRun, readRunHeader, RUN_HEADER_BYTES } from '../../core/gc/run-plan.ts';
import { EvaluatorSession, GarblerSession } from '../../core/gc/session.ts';
import { TableReader } from '../../core/gc/table-stream.ts';
import { valueBits } from '../../core/gc/value-bits.ts';
import type { HeBackend, HeClientKeys, HeServerKeys } from '../../core/he.ts';
import type { HeWireSizes } from '../../core/inference/he-protocol.ts';
import { garbledProgram } from '../../core/inference/programs.ts';
import { encodeValues } from '../../core/inference/messages.ts';
import type { InferencePlan } from '../../core/inference/plan.ts';
import type { LinearKernels } from '../../core/linear.ts';
import { subMod } from '../../core/modp.ts';
import { otherParty } from '../../core/channel/recording.ts';
import { CALL_HEADER_BYTES, OT_OPERATIONS } from '../../core/ot/ot-calls.ts';
import type { OtExtension } from '../../core/ot.ts';
import { randomBytesFrom, seededRandom, uniformModP, type RandomSource } from '../../core/random.ts';
import type { Transport } from '../../core/transport.ts';
import { partyRandom, PERMUTE_BITS_KEY, RESULT_KEYS, SLOT_KEYS } from '../experiments/inference-views.ts';
import { PermuteBitRecorder } from '../observed-scheme.ts';
import type { NamedValues, View, ViewMessage } from '../view.ts';

/** What the simulators need: the public plan and this thread's instances of the configured plugins. */
export interface InferenceSimulation {
  readonly plan: InferencePlan;
  readonly he: HeBackend;
  readonly kernels: LinearKernels;
  /** The configured garbling scheme, unsalted. */
  readonly garbling: GarblingScheme;
  readonly ot: OtExtension;
  readonly transport: Transport;
  readonly wireSizes: HeWireSizes;
}

const SETUP_OT = 'setup/ot';

/**
 * The observer's non-control messages of the setup's garbling session (salt, base OTs, IKNP key
 * confirmation), replayed between the observer — its randomness from its own seed, as in the real
 * run — and a fresh peer.
 */
async function replaySetup(sim: InferenceSimulation, real: View, seed: string): Promise<Iterator<ViewMessage>> {
  if (real.seed === undefined) throw new RangeError('inference simulator: the view has no seed (the observer\'s randomness)');
  const pair = await sim.transport.pair();
  try {
    const observer = new RecordingChannel(real.party === 'client' ? pair.client : pair.server, real.party);
    const other = real.party === 'client' ? pair.server : pair.client;
    observer.setLabel(SETUP_OT);
    other.setLabel(SETUP_OT);
    const randomOf = (party: Party) => (party === real.party ? partyRandom(real.seed!, party) : partyRandom(seed, party));
    const channelOf = (party: Party) => (party === real.party ? observer : other);
    await Promise.all([
      GarblerSession.open(channelOf('server'), { ot: sim.ot, scheme: sim.garbling, random: randomOf('server') }),
      EvaluatorSession.open(channelOf('client'), { ot: sim.ot, scheme: sim.garbling, random: randomOf('client') }),
    ]);
    const received = observer.transcript().messages.filter((m) => m.direction === 'received' && m.kind !== 'control');
    return received.map((m, seq) => ({ seq, sender: otherParty(real.party), label: SETUP_OT, phase: 'setup', layer: 'ot', kind: m.kind, bytes: m.bytes }))[Symbol.iterator]();
  } finally {
    await pair.close();
  }
}

function replace(m: ViewMessage, bytes: Uint8Array, kind: MessageKind = m.kind): ViewMessage {
  return { ...m, kind, bytes };
}

/** The next replayed setup message in place of `m` (its bytes and kind; a missing one is an empty message the shape check reports). */
function fromSetup(m: ViewMessage, replay: Iterator<ViewMessage>): ViewMessage {
  const next = replay.next();
  return next.done ? replace(m, new Uint8Array(0)) : replace(m, next.value.bytes, next.value.kind);
}

/** Uniform bytes for OT extension traffic; after a precomputed call's header, d's padding bits stay zero. */
function otMessage(m: ViewMessage, previous: ViewMessage | undefined, random: RandomSource): ViewMessage {
  const bytes = randomBytesFrom(random, m.bytes.length);
  if (previous?.kind === 'control' && previous.bytes.length === CALL_HEADER_BYTES) {
    const header = new DataView(previous.bytes.buffer, previous.bytes.byteOffset, CALL_HEADER_BYTES);
    const op = header.getUint32(0, true);
    const count = header.getUint32(4, true);
    const precomputed = op === OT_OPERATIONS['labels-precomputed'] || op === OT_OPERATIONS['correlated-precomputed'] || op === OT_OPERATIONS['chosen-precomputed'];
    if (precomputed && bytes.length === (count + 7) >>> 3 && count % 8 !== 0) bytes[bytes.length - 1]! &= (1 << (count % 8)) - 1;
  }
  return replace(m, bytes);
}

/** A fresh key pair for the simulated ciphertexts, released with `scope`. */
function freshKeys(sim: InferenceSimulation, scope: DisposalScope, galoisSteps: readonly number[]): { client: HeClientKeys; server: HeServerKeys; exported: Uint8Array } {
  const client = scope.track(sim.he.generateKeys(galoisSteps));
  const exported = sim.he.exportServerKeys(client);
  return { client, server: scope.track(sim.he.importServerKeys(exported)), exported };
}

/** A garbled layer's fake circuit: its offline messages (after the run header) and what evaluating it derives. */
async function fakeCircuit(sim: InferenceSimulation, header: Uint8Array, program: GcProgram, outputs: readonly (readonly bigint[])[], random: RandomSource, permuteBits: number[]): Promise<{ kind: MessageKind; bytes: Uint8Array }[]> {
  const fields = readRunHeader(header);
  const scheme = new PermuteBitRecorder(sim.garbling.withSalt(fields.salt), permuteBits);
  const instances = Number(fields.instances);
  const plan = planRun(program, { scheme, instances, firstGateId: Number(fields.firstGateId) }, 'offline');
  const tally = new RunTally(plan.firstGateId);
  const messages: { kind: MessageKind; bytes: Uint8Array }[] = [];
  for (const [from, count] of chunksOf(instances, Number(fields.chunkInstances))) {
    const garblerLabels = randomBytesFrom(random, plan.garblerBits * count * 16);
    const tables = randomBytesFrom(random, program.andsPerInstance * count * scheme.tableBytesPerAnd);
    const evaluated = await evaluateChunk(program, scheme, count, garblerLabels, randomBytesFrom(random, plan.evaluatorBits * count * 16), new TableReader(tables), tally);
    const wanted = valueBits(outputs.map((column) => column.slice(from, from + count)), program.outputWidths, count, 'simulated outputs');
    for (let i = 0; i < wanted.length; i++) wanted[i]! ^= evaluated.permute[i]!;
    messages.push({ kind: 'input-labels', bytes: garblerLabels }, { kind: 'gc-table', bytes: tables }, { kind: 'decode-bits', bytes: packBits(wanted) });
  }
  return messages.filter((m) => m.bytes.length > 0);
}

/**
 * The simulated messages of `real`, in its order: the setup's from the replay, every other one from
 * `simulate` (given the simulated messages so far), renumbered.
 */
async function simulateMessages(real: View, setup: Iterator<ViewMessage>, simulate: (m: ViewMessage, previous: ViewMessage | undefined) => ViewMessage | Promise<ViewMessage>): Promise<ViewMessage[]> {
  const messages: ViewMessage[] = [];
  for (const m of real.messages) {
    messages.push(m.label === SETUP_OT && m.kind !== 'control' ? fromSetup(m, setup) : await simulate(m, messages[messages.length - 1]));
  }
  return messages.map((m, seq) => ({ ...m, seq }));
}

/** The simulated view of the client, from its input, seed and output (`i<k>/result`, the argmax classes) in `real`. */
export async function simulateClientInferenceView(sim: InferenceSimulation, real: View, seed: string): Promise<View> {
  if (real.party !== 'client') throw new RangeError('simulateClientInferenceView: the view is not the client\'s');
  const { plan } = sim;
  const random = seededRandom(seed, 'client-view-simulator');
  const setup = await replaySetup(sim, real, seed);
  const keyOrder = Object.keys(real.derived);
  const slotKeys = keyOrder.filter((k) => SLOT_KEYS.test(k))[Symbol.iterator]();
  const garbledKeys = keyOrder.filter((k) => /^i\d+\/(share|output)\//.test(k))[Symbol.iterator]();
  const values = new Map<string, Uint32Array | Float64Array | Uint8Array>();
  const permuteBits: number[] = [];
  const lastStage = plan.stages[plan.stages.length - 1]!;
  return withScopeAsync(async (scope) => {
    const keys = freshKeys(sim, scope, []);
    const fakeMessages: { kind: MessageKind; bytes: Uint8Array }[] = [];
    let reveals = 0;
    const messages = await simulateMessages(real, setup, async (m, previous) => {
      switch (m.kind) {
        case 'control':
          if (m.phase === 'offline' && m.bytes.length === RUN_HEADER_BYTES) fakeMessages.push(...(await garbledLayer(m)));
          return m;
        case 'input-labels':
        case 'gc-table':
        case 'decode-bits': {
          const fake = fakeMessages.shift();
          return fake?.kind === m.kind ? replace(m, fake.bytes) : replace(m, new Uint8Array(0));
        }
        case 'ot-extension':
          return otMessage(m, previous, random);
        case 'ciphertext':
          return replace(m, returnedCiphertexts(m.bytes.length));
        case 'share':
          return replace(m, revealedShare(reveals++));
        default:
          throw new RangeError(`simulateClientInferenceView: no simulation of a "${m.kind}" message (${m.label})`);
      }
    });
    return { ...real, messages, derived: derivedInOrder(real, values, permuteBits) };

    /** The fake circuit of the garbled layer announced by run header `m`, decoding to a fresh share (or the known class). */
    async function garbledLayer(m: ViewMessage): Promise<{ kind: MessageKind; bytes: Uint8Array }[]> {
      const stage = plan.stages.find((s) => s.name === m.layer);
      const key = garbledKeys.next();
      if (!stage || key.done || (stage.kind !== 'nonlinear' && stage.kind !== 'argmax')) throw new RangeError(`simulateClientInferenceView: no garbled layer "${m.layer}" with a derived output`);
      if (stage.kind === 'nonlinear') {
        const share = uniformModP(random, stage.instances, plan.p);
        values.set(key.value, share);
        return fakeCircuit(sim, m.bytes, garbledProgram(stage, plan.p), [Array.from(share, BigInt)], random, permuteBits);
      }
      const known = real.derived[key.value]!;
      values.set(key.value, Uint32Array.from(known));
      return fakeCircuit(sim, m.bytes, garbledProgram(stage, plan.p), [[BigInt(known[0]!)]], random, permuteBits);
    }

    /** Fresh encryptions of uniform slot vectors, finished for return; their decryptions become the derived shares and noise. */
    function returnedCiphertexts(length: number): Uint8Array {
      const size = sim.wireSizes.returned;
      const out = new Uint8Array(length);
      for (let at = 0; at + size <= length; at += size) {
        const key = slotKeys.next();
        if (key.done) throw new RangeError('simulateClientInferenceView: more returned ciphertexts than derived shares');
        const slots = uniformModP(random, plan.slotCount, plan.p);
        withScope((inner) => {
          const bytes = sim.he.finish(inner.track(sim.he.encryptPublic(slots, keys.server)), keys.server).bytes;
          out.set(bytes.subarray(0, size), at);
          const returned = inner.track(sim.he.deserialize(bytes));
          values.set(key.value, sim.he.decrypt(returned, keys.client));
          const noiseKey = key.value.replace('/slots/', '/noise/');
          if (noiseKey in real.derived) values.set(noiseKey, sim.he.decryptionNoise!(returned, keys.client));
        });
      }
      return out;
    }

    /** The server's share revealed at the end of inference `k`: the known logits minus the simulated last share. */
    function revealedShare(k: number): Uint8Array {
      const result = real.derived[`i${k}/result`];
      if (!result || lastStage.kind !== 'linear') throw new RangeError(`simulateClientInferenceView: inference ${k} reveals a share but has no logits after a linear layer`);
      const last = new Uint32Array(lastStage.outputLength);
      lastStage.parts.forEach((part, index) => {
        const slots = Array.from({ length: part.outputCiphertexts }, (_, c) => values.get(`i${k}/slots/${lastStage.name}/${index}/${c}`) as Uint32Array);
        last.set(sim.kernels.layouts(part.spec, sim.he).outputLayout.unpack(slots), part.outputStart);
      });
      return encodeValues(Uint32Array.from(last, (c, i) => subMod(result[i]!, c, plan.p)));
    }
  });
}

/** The simulated derived values in the real view's order; results (outputs) are the real ones. */
function derivedInOrder(real: View, values: ReadonlyMap<string, Uint32Array | Float64Array | Uint8Array>, permuteBits: readonly number[]): NamedValues {
  const derived: Record<string, Uint32Array | Float64Array | Uint8Array | Int32Array> = {};
  for (const key of Object.keys(real.derived)) {
    if (key === PERMUTE_BITS_KEY) derived[key] = Uint8Array.from(permuteBits);
    else if (RESULT_KEYS.test(key) && !values.has(key)) derived[key] = real.derived[key]!;
    else {
      const value = values.get(key);
      if (!value) throw new RangeError(`inference simulator: nothing simulated for the derived "${key}"`);
      derived[key] = value;
    }
  }
  return derived;
}

/** The simulated view of the server, from its input (the model) and seed; it has no output. */
export async function simulateServerInferenceView(sim: InferenceSimulation, real: View, seed: string): Promise<View> {
  if (real.party !== 'server') throw new RangeError('simulateServerInferenceView: the view is not the server\'s');
  const random = seededRandom(seed, 'server-view-simulator');
  const setup = await replaySetup(sim, real, seed);
  return withScopeAsync(async (scope) => {
    const keys = freshKeys(sim, scope, sim.plan.galoisSteps);
    const messages = await simulateMessages(real, setup, (m, previous) => {
      switch (m.kind) {
        case 'control':
          return m;
        case 'he-keys':
          return replace(m, m.bytes.length === 4 ? encodeValues(Uint32Array.of(keys.exported.length)) : keys.exported);
        case 'ot-extension':
          return otMessage(m, previous, random);
        case 'ciphertext': {
          const size = sim.wireSizes.upload;
          const uploads = new Uint8Array(m.bytes.length);
          const zero = new Uint32Array(sim.plan.slotCount);
          for (let at = 0; at + size <= m.bytes.length; at += size) uploads.set(sim.he.encryptSymmetric(zero, keys.client).subarray(0, size), at);
          return replace(m, uploads);
        }
        default:
          throw new RangeError(`simulateServerInferenceView: no simulation of a "${m.kind}" message (${m.label})`);
      }
    });
    return { ...real, messages, derived: {} };
  });
}
