import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Figures, InferenceFigures } from '../core/inference/figures.ts';
import { NETWORK_PROFILES } from '../core/channel/network-profile.ts';
import { BudgetExceededError, checkLayerTraffic, checkLinkTime, checkRounds, checkTime, checkTraffic, checkTrafficAsPredicted, linkSeconds, parseByteSize, parseDuration } from './budgets.ts';
import { medianInference, type Measurement } from './measurement.ts';

function figures(seconds: number, clientToServer: number, serverToClient: number, rounds: number): Figures {
  return { seconds, clientToServer, serverToClient, rounds, messages: 2 * rounds };
}

function inference(seconds: number, up: number, down: number, rounds: number): InferenceFigures {
  const layer = { name: 'conv1', kind: 'linear', offline: figures(0, 0, 0, 0), online: figures(seconds / 2, up, down, rounds) };
  return { offline: figures(seconds / 2, 0, 1000, 1), online: figures(seconds / 2, up, down, rounds), layers: [layer] };
}

/** A session's figures as a measurement holds them (what the steps and reports read). */
function session(list: InferenceFigures[]): Measurement {
  const first = list[0]!;
  return {
    network: { name: 'X', architecture: 'X', source: 'test', architectureFingerprint: 'a', modelFingerprint: 'm' },
    configuration: {
      name: 'secure',
      file: 'configs/secure.json',
      config: {},
      plugins: { transport: 'in-memory', 'base-ot': 'chou-orlandi', 'ot-extension': 'iknp', garbling: 'half-gates', he: 'seal-bfv', linear: 'gazelle', masks: 'uniform' },
      he: { preset: 'secure', polyModulusDegree: 8192, plainModulus: 557057, coeffModulusBits: [54, 54, 55, 55] },
      network: { profile: 'local', latencyMs: 0, bandwidthMbps: null },
      serverHeWorkers: 2,
    },
    reveal: 'logits',
    images: 'test',
    setup: figures(5, 8_000_000, 5_000, 6),
    inferences: list.map((f) => ({ label: 1, equalsReference: true, figures: f })),
    median: medianInference(list),
    predicted: {
      offline: { clientToServer: first.offline.clientToServer, serverToClient: first.offline.serverToClient, rounds: first.offline.rounds },
      online: { clientToServer: first.online.clientToServer, serverToClient: first.online.serverToClient, rounds: first.online.rounds },
      layers: first.layers.map((l) => ({
        name: l.name,
        offline: { clientToServer: l.offline.clientToServer, serverToClient: l.offline.serverToClient, rounds: l.offline.rounds },
        online: { clientToServer: l.online.clientToServer, serverToClient: l.online.serverToClient, rounds: l.online.rounds },
      })),
    },
    margin: { minBits: 60, requiredBits: 42 },
    environment: { gazelle: '0', node: 'v20', nodeSeal: '6', platform: 'linux', cpus: 2, cpuModel: 'cpu', loadAverage: 1, date: '2026-01-01T00:00:00.000Z' },
  };
}

describe('budget sizes and durations as written in feature files', () => {
  it('reads decimal and binary sizes and durations', () => {
    assert.equal(parseByteSize('2 MB'), 2_000_000);
    assert.equal(parseByteSize('300 kB'), 300_000);
    assert.equal(parseByteSize('1.5 MiB'), 1_572_864);
    assert.equal(parseByteSize('512 B'), 512);
    assert.equal(parseByteSize('3GB'), 3_000_000_000);
    assert.equal(parseDuration('800 ms'), 0.8);
    assert.equal(parseDuration('2.5 s'), 2.5);
    assert.equal(parseDuration('2 min'), 120);
  });

  it('refuses a number without a known unit, naming the units', () => {
    for (const text of ['2', '2 mb', 'two MB', '2 MBs', '-1 MB', '']) assert.throws(() => parseByteSize(text), /units B, kB, KB, MB, GB, KiB, MiB, GiB/, text);
    for (const text of ['2', '2 h', '1e3 ms']) assert.throws(() => parseDuration(text), /units ms, s, min/, text);
  });
});

describe('budget checks', () => {
  const m = session([inference(2, 900_000, 600_000, 10), inference(3, 900_000, 600_000, 10), inference(10, 900_000, 600_000, 10)]);

  it('traffic: passes at the measured bytes, fails one byte below with the figure, the budget and the excess', () => {
    checkTraffic(m, 'online', 'client to server', 900_000);
    checkTraffic(m, 'online', 'both ways', 1_500_000);
    checkTraffic(m, 'setup', 'client to server', 8_000_000);
    assert.throws(() => checkTraffic(m, 'online', 'client to server', 899_999), (e: Error) => e instanceof BudgetExceededError && /the online traffic from client to server \(largest of 3 inferences\) is 900 kB \(900,000 B\), over its budget of 900 kB \(899,999 B\) by 0\.0%/.test(e.message));
    assert.throws(() => checkTraffic(m, 'offline', 'server to client', 999), /offline traffic from server to client .* is 1 kB \(1,000 B\), over its budget of 999 B \(999 B\) by 0\.1%/);
  });

  it('a single inference over budget fails even when the others are within it', () => {
    const uneven = session([inference(1, 100, 100, 10), inference(1, 200, 100, 10)]);
    assert.throws(() => checkTraffic(uneven, 'online', 'client to server', 150), BudgetExceededError);
  });

  it('rounds and layer traffic', () => {
    checkRounds(m, 'online', 10);
    assert.throws(() => checkRounds(m, 'online', 9), /the online phase's rounds .* is 10, over its budget of 9 by 11\.1%/);
    checkLayerTraffic(m, 'conv1', 'online', 1_500_000);
    assert.throws(() => checkLayerTraffic(m, 'conv1', 'online', 1_000_000), /online traffic of layer conv1/);
    assert.throws(() => checkLayerTraffic(m, 'conv9', 'online', 1), /no layer "conv9" in network X; its layers: conv1/);
  });

  it('time: the median of the inferences must be within the budget, so one slow inference does not fail it', () => {
    // online seconds 1, 1.5, 5: median 1.5
    checkTime(m, 'online', 1.5);
    assert.throws(() => checkTime(m, 'online', 1.4), /online phase's time \(median of 1 s, 1\.5 s, 5 s; load average 1\) is 1\.5 s, over its budget of 1\.4 s/);
    checkTime(m, 'inference', 3);
    assert.throws(() => checkTime(m, 'inference', 2.9), /whole inference/);
  });

  it('traffic as predicted: equal passes, a byte off is reported where it is', () => {
    checkTrafficAsPredicted(m);
    const off = { ...m, predicted: { ...m.predicted, online: { ...m.predicted.online, clientToServer: 900_001 } } };
    assert.throws(() => checkTrafficAsPredicted(off), /inference 0 online clientToServer: measured 900000, planned 900001/);
  });

  it('property: a traffic budget fails exactly when some inference exceeds it', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(10_000_000), { minLength: 1, maxLength: 6 }), fc.nat(10_000_000), (ups, limit) => {
        const s = session(ups.map((up) => inference(1, up, 0, 4)));
        const fails = ups.some((up) => up > limit);
        let threw = false;
        try {
          checkTraffic(s, 'online', 'client to server', limit);
        } catch (error) {
          assert.ok(error instanceof BudgetExceededError);
          threw = true;
        }
        assert.equal(threw, fails);
      }),
    );
  });
});

describe('medianInference', () => {
  it('takes the median of every figure of every phase and layer', () => {
    const m = medianInference([inference(2, 10, 1, 3), inference(8, 30, 1, 3), inference(4, 20, 1, 3), inference(6, 40, 1, 3)]);
    assert.equal(m.online.seconds, 2.5); // halves 1, 4, 2, 3: median (2 + 3) / 2
    assert.equal(m.online.clientToServer, 25);
    assert.equal(m.layers[0]!.online.seconds, 2.5);
    assert.equal(m.offline.serverToClient, 1000);
  });

  it('property: inferences that agree give back their figures', () => {
    fc.assert(
      fc.property(fc.nat(1e9), fc.nat(1e9), fc.nat(100), fc.integer({ min: 1, max: 7 }), (up, down, rounds, n) => {
        const one = inference(1.25, up, down, rounds);
        assert.deepEqual(medianInference(Array.from({ length: n }, () => one)), one);
      }),
    );
  });
});

describe('link budgets from the predicted traffic', () => {
  const m = session([inference(2, 900_000, 600_000, 10)]);

  it('link time: rounds × one-way latency + bytes / bandwidth of the predicted traffic, per link', () => {
    // online: 10 rounds, 1.5 MB. WAN (20 ms, 400 Mbit/s): 0.2 s + 0.03 s; LAN (0.15 ms, 3 Gbit/s): 1.5 ms + 4 ms; local: nothing.
    assert.ok(Math.abs(linkSeconds(m.predicted.online, NETWORK_PROFILES.wan) - 0.23) < 1e-12);
    assert.ok(Math.abs(linkSeconds(m.predicted.online, NETWORK_PROFILES.lan) - 0.0055) < 1e-12);
    assert.equal(linkSeconds(m.predicted.online, NETWORK_PROFILES.local), 0);
    checkLinkTime(m, 'online', NETWORK_PROFILES.wan, 0.23 + 1e-9);
    assert.throws(
      () => checkLinkTime(m, 'online', NETWORK_PROFILES.wan, 0.2),
      (e: Error) => e instanceof BudgetExceededError && /on a wan link the online traffic's time \(10 rounds × 20 ms \+ 1\.5 MB at 400 Mbit\/s\) is 230 ms, over its budget of 200 ms by 15\.0%/.test(e.message),
    );
    // the setup, which the plan does not predict, from its measured figures: 6 rounds, 8.005 MB
    assert.throws(() => checkLinkTime(m, 'setup', NETWORK_PROFILES.wan, 0.25), /setup traffic's time .* is 280 ms/);
  });
});
