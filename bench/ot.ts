/**
 * OT benchmark: the configured base OT (default Chou-Orlandi), then the configured OT extension's
 * (default IKNP) correlated, random and chosen-message OT and the online (derandomised) use of
 * precomputed OTs, over the in-memory transport with both parties in this process (the turn-taking
 * clock needs its synchronous delivery, so the transport is chosen in the configuration). Plugins
 * come from the wiring: `--use base-ot=...` / `ot-extension=...` choose what is measured, and the
 * figures name them (`plugins`; the `iknp` key holds the extension's figures whichever it is). Each party's CPU time is measured on its own (`two-party-clock.ts`); a rate is
 * count / (the slower party's CPU seconds), i.e. the throughput with one core per party. Traffic
 * is every byte either party sent, call headers included. Every run's outputs are checked against
 * the OT relation after the clock stops. Rates are the best of `repeats` runs; `aesBlocksPerSecond`
 * (bulk fixed-key AES in this run) is the yardstick for comparing machines.
 */
import { BLOCK_BYTES, randomBytes } from '../core/bytes.ts';
import { choosePlugin } from '../core/config.ts';
import type { BaseOt, OtExtension, OtReceiver, OtSender } from '../core/ot.ts';
import type { Transport } from '../core/transport.ts';
import type { BenchOptions, BenchSuite } from './suite.ts';
import { benchConfig, withBenchWiring } from './wiring.ts';
import { aesBlocksPerSecond } from './measure.ts';
import { TwoPartyClock, type TwoPartyRun } from './two-party-clock.ts';

const BASE_OTS = 128;

function randomChoices(n: number): Uint8Array {
  const c = randomBytes(n);
  for (let i = 0; i < n; i++) c[i]! &= 1;
  return c;
}

function fail(what: string, index: number): never {
  throw new Error(`ot bench: ${what} output ${index} is wrong; the figures of this run are void`);
}

function checkCorrelated(q: Uint8Array, t: Uint8Array, choices: Uint8Array, delta: Uint8Array): void {
  for (let i = 0; i < choices.length; i++) {
    for (let k = 0; k < BLOCK_BYTES; k++) {
      if (t[i * 16 + k] !== (q[i * 16 + k]! ^ (choices[i] ? delta[k]! : 0))) fail('correlated OT', i);
    }
  }
}

function checkChosen(out: Uint8Array, m0: Uint8Array, m1: Uint8Array, choices: Uint8Array): void {
  for (let i = 0; i < out.length; i++) if (out[i] !== (choices[i >>> 4] ? m1 : m0)[i]) fail('chosen OT', i >>> 4);
}

interface Measured {
  readonly senderSeconds: number;
  readonly receiverSeconds: number;
  readonly perSecond: number;
  readonly bytesPerOt: number;
}

function figures(count: number, run: TwoPartyRun<unknown, unknown>): Measured {
  const { sender, receiver } = run.parties;
  return {
    senderSeconds: sender.seconds,
    receiverSeconds: receiver.seconds,
    perSecond: count / Math.max(sender.seconds, receiver.seconds),
    bytesPerOt: (sender.bytesSent + receiver.bytesSent) / count,
  };
}

/** The best (fastest) of `repeats` measured runs; `check` validates every run's outputs. */
async function best<S, R>(
  repeats: number,
  count: number,
  once: () => Promise<TwoPartyRun<S, R>>,
  check: (run: TwoPartyRun<S, R>) => void,
): Promise<Measured> {
  let top: Measured | undefined;
  for (let rep = 0; rep < repeats; rep++) {
    const run = await once();
    check(run);
    const m = figures(count, run);
    if (!top || m.perSecond > top.perSecond) top = m;
  }
  return top!;
}

function run(options: BenchOptions): Promise<Record<string, unknown>> {
  const config = choosePlugin(benchConfig(options), 'transport', 'in-memory');
  return withBenchWiring(options, ['transport', 'base-ot', 'ot-extension'], config, async (wiring) => {
    const figures = await measure(options, wiring.get('transport'), wiring.get('base-ot'), wiring.get('ot-extension'));
    return { ...figures, plugins: { transport: wiring.get('transport').name, baseOt: wiring.get('base-ot').name, otExtension: wiring.get('ot-extension').name } };
  });
}

async function measure({ quick, log }: BenchOptions, transport: Transport, baseOt: BaseOt, extension: OtExtension): Promise<Record<string, unknown>> {
  const count = quick ? 1 << 12 : 1 << 20;
  const repeats = quick ? 1 : 5;
  const pair = await transport.pair();
  const clock = new TwoPartyClock(pair);
  const serve = <S, R>(s: (ot: OtSender) => Promise<S>, r: (ot: OtReceiver) => Promise<R>, sender: OtSender, receiver: OtReceiver) =>
    clock.run(() => s(sender), () => r(receiver), 'receiver');

  const aes = aesBlocksPerSecond(quick ? 0.005 : 0.1);
  log(`fixed-key AES: ${(aes / 1e6).toFixed(0)} M blocks/s`);

  const baseChoices = randomChoices(BASE_OTS);
  const base = await clock.run((ch) => baseOt.send(ch, BASE_OTS), (ch) => baseOt.receive(ch, baseChoices), 'sender');
  for (let i = 0; i < BASE_OTS; i++) {
    const want = (baseChoices[i] ? base.sender.m1 : base.sender.m0).subarray(16 * i, 16 * i + 16);
    if (!want.every((b, k) => b === base.receiver[16 * i + k])) fail('base OT', i);
  }
  log(`${baseOt.name}: ${BASE_OTS} base OTs, sender ${base.parties.sender.seconds.toFixed(3)} s, receiver ${base.parties.receiver.seconds.toFixed(3)} s`);

  const delta = randomBytes(BLOCK_BYTES);
  const setup = await clock.run((ch) => extension.sender(ch, delta), (ch) => extension.receiver(ch), 'receiver');
  const { sender, receiver } = setup;

  const choices = randomChoices(count);
  const cot = await best(
    repeats,
    count,
    () => serve((s) => s.sendCorrelated(count), (r) => r.receiveCorrelated(choices), sender, receiver),
    (r) => checkCorrelated(r.sender, r.receiver, choices, delta),
  );
  log(`correlated OT: ${(cot.perSecond / 1e6).toFixed(2)} M/s, ${cot.bytesPerOt.toFixed(4)} B/OT`);

  const rot = await best(
    repeats,
    count,
    () => serve((s) => s.sendRandom(count), (r) => r.receiveRandom(choices), sender, receiver),
    (r) => checkChosen(r.receiver, r.sender.m0, r.sender.m1, choices),
  );
  log(`random OT: ${(rot.perSecond / 1e6).toFixed(2)} M/s`);

  const m0 = randomBytes(count * BLOCK_BYTES);
  const m1 = randomBytes(count * BLOCK_BYTES);
  const chosen = await best(
    repeats,
    count,
    () => serve((s) => s.sendChosen(m0, m1), (r) => r.receiveChosen(choices), sender, receiver),
    (r) => checkChosen(r.receiver, m0, m1, choices),
  );
  log(`chosen OT: ${(chosen.perSecond / 1e6).toFixed(2)} M/s, ${chosen.bytesPerOt.toFixed(4)} B/OT`);

  const offline = await best(
    1,
    count,
    () => serve((s) => s.precompute(count), (r) => r.precompute(count), sender, receiver),
    () => undefined,
  );
  const online = await best(
    1,
    count,
    () => serve((s) => s.sendCorrelatedPrecomputed(count), (r) => r.receiveCorrelatedPrecomputed(choices), sender, receiver),
    (r) => checkCorrelated(r.sender, r.receiver, choices, delta),
  );
  log(`precomputed COT: offline ${(offline.perSecond / 1e6).toFixed(2)} M/s, online ${(online.perSecond / 1e6).toFixed(2)} M/s, ${online.bytesPerOt.toFixed(4)} B/OT online`);
  await pair.close();

  return {
    method:
      'in-memory transport, both parties in one process taking turns; rate = count / CPU seconds of the slower party ' +
      '(one core per party), best of repeats; bytes = all bytes both parties sent, 16-byte call headers included',
    count,
    repeats,
    aesBlocksPerSecond: aes,
    baseOt: {
      count: BASE_OTS,
      seconds: base.parties.sender.seconds + base.parties.receiver.seconds,
      senderSeconds: base.parties.sender.seconds,
      receiverSeconds: base.parties.receiver.seconds,
      bytes: base.parties.sender.bytesSent + base.parties.receiver.bytesSent,
    },
    iknp: {
      setupSeconds: Math.max(setup.parties.sender.seconds, setup.parties.receiver.seconds),
      setupBytes: setup.parties.sender.bytesSent + setup.parties.receiver.bytesSent,
      cotPerSecond: cot.perSecond,
      cotSenderSeconds: cot.senderSeconds,
      cotReceiverSeconds: cot.receiverSeconds,
      bytesPerCot: cot.bytesPerOt,
      rotPerSecond: rot.perSecond,
      otPerSecond: chosen.perSecond,
      bytesPerChosenOt: chosen.bytesPerOt,
      precomputedCotPerSecond: offline.perSecond,
      onlineCotPerSecond: online.perSecond,
      onlineBytesPerCot: online.bytesPerOt,
      cotPerAesBlock: cot.perSecond / aes,
    },
    targets: {
      cotPerSecond: { target: 5e6, met: cot.perSecond >= 5e6 },
      bytesPerCot: { target: 16, perOtPayload: 16, callHeaderBytes: 16, measured: cot.bytesPerOt },
      bytesPerChosenOt: { target: 48, measured: chosen.bytesPerOt },
    },
  };
}

export const suite: BenchSuite = {
  name: 'ot',
  summary: 'Chou-Orlandi base OT and IKNP correlated/random/chosen OT: rates per party and bytes per OT',
  run,
};
