/**
 * Serving under load (issue 12): `gazelle serve` as its own process (through the launcher, as an
 * operator runs it) and every client a process of its own (bench/serve-client.ts), over loopback
 * TCP, with the configured plugins (default: seal-bfv, half-gates, IKNP). Three parts:
 *
 * - load: `clients` concurrent clients, each one session of `inferences` MNIST test digits; every
 *   result must equal the plaintext reference. Throughput (inferences per minute, from the first
 *   session set up to the last result) and the latency of one inference (p50, p95), seen by clients.
 * - faults: `killed` clients, each SIGKILLed after a random delay from its connection (uniform
 *   over a good client's session, so the kills land at every point of the protocol), in
 *   rounds interleaved with a good client each; every good client must be correct and the server
 *   alive at the end. The server's log says after which phase each killed session ended.
 * - soak: `soak` sequential inferences in sessions of 50; the server's RSS, wasm heap and live
 *   node-seal objects, logged at each session's end (so every 50 inferences), and their slopes by
 *   least squares per 1,000 inferences (target: flat; live objects constant).
 *
 * The full counts (8 × 25, 100, 1,000) take long on a shared 2-core machine: `--scale f` runs a
 * fraction of them (the figures state the counts they ran); `--quick` runs network A with a few.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { configToJson, mergeConfig } from '../core/config.ts';
import { quantiseInput } from '../core/model/input.ts';
import type { Model } from '../core/model/model.ts';
import { loadModel } from '../core/model/model-store.ts';
import { referenceInference } from '../core/model/reference.ts';
import { seededRandom } from '../core/random.ts';
import { imagesFor } from '../harness/measurement.ts';
import { median, percentile } from './measure.ts';
import type { ServeClientEvent, ServeClientJob } from './serve-client.ts';
import { ServeProcess, type LoggedEvent } from './serve-process.ts';
import type { BenchSuite } from './suite.ts';
import { benchConfig, wiringArgument } from './wiring.ts';

const CLIENT_SCRIPT = fileURLToPath(new URL('./serve-client.ts', import.meta.url));
const FULL = { clients: 8, inferences: 25, killed: 100, soak: 1000 } as const;
/** Inferences per soak session: the server logs its resources at each session's end. */
const SOAK_SESSION = 50;
/** Killed clients per round, beside one good client (the server's default cap is 16 sessions). */
const KILLED_PER_ROUND = 4;
/** A client waits this long for a busy server's next message (8 clients share 2 cores with it). */
const CLIENT_IDLE_MS = 600_000;

interface ClientRun {
  readonly events: ServeClientEvent[];
  /** Wall seconds from spawning the process to its exit. */
  readonly seconds: number;
  /** performance.now() of each event's arrival. */
  readonly times: number[];
  readonly code: number | null;
  readonly stderr: string;
}

/**
 * Run one client process on `job`. `killAfterMs`: SIGKILL it that long after its connection opens
 * (if it is still running then), so that the kill lands in the protocol, not in the process's start.
 */
function runClient(job: ServeClientJob, killAfterMs?: number): Promise<ClientRun> {
  const start = performance.now();
  const child = spawn(process.execPath, [...process.execArgv, CLIENT_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  const events: ServeClientEvent[] = [];
  const times: number[] = [];
  let stderr = '';
  let timer: NodeJS.Timeout | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as ServeClientEvent;
    events.push(event);
    times.push(performance.now());
    if ('connected' in event && killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin!.on('error', () => {}); // a client that failed before it read its job
  child.stdin!.end(JSON.stringify(job));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ events, times, seconds: (performance.now() - start) / 1000, code, stderr });
    });
  });
}

/** Seconds from the client's connection to its last event (its whole session). */
function sessionSeconds(run: ClientRun): number {
  const connected = run.events.findIndex((e) => 'connected' in e);
  return (run.times.at(-1)! - run.times[connected]!) / 1000;
}

function inferencesOf(run: ClientRun): { label: number; logits: number[] | null; seconds: number; time: number }[] {
  return run.events.flatMap((e, i) => ('label' in e ? [{ ...e, time: run.times[i]! }] : []));
}

/** The inputs of the benchmark: MNIST test digits for a 28×28 grey model, else seeded random images. */
function benchInputs(model: Model, count: number): Int32Array[] {
  return imagesFor(model, count).images.map((image) => quantiseInput(model.architecture, image));
}

/** Checks every result of `run` against the reference of its inputs; returns the inference records. */
function checked(run: ClientRun, model: Model, inputs: readonly Int32Array[], what: string) {
  if (run.code !== 0) throw new Error(`${what} failed (exit ${run.code}): ${run.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  const results = inferencesOf(run);
  if (results.length !== inputs.length) throw new Error(`${what}: ${results.length} results for ${inputs.length} inputs`);
  for (const [i, result] of results.entries()) {
    const expected = referenceInference(model, inputs[i]!);
    if (result.label !== expected.label || JSON.stringify(result.logits) !== JSON.stringify([...expected.logits])) {
      throw new Error(`${what}: inference ${i + 1} differs from the plaintext reference (label ${result.label}, expected ${expected.label})`);
    }
  }
  return results;
}

/** Least-squares slope of `ys` over `xs`, times `per`. */
function slope(xs: readonly number[], ys: readonly number[], per: number): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
  return sxx === 0 ? 0 : (sxy / sxx) * per;
}

type SessionEnd = Extract<LoggedEvent, { event: 'session-end' }>;
const sessionEnds = (server: ServeProcess) => server.events.filter((e): e is SessionEnd => e.event === 'session-end');

class ServeBench {
  readonly #job: (sessions: Int32Array[][]) => ServeClientJob;

  constructor(
    private readonly server: ServeProcess,
    private readonly model: Model,
    /** The clients' configuration and registry (`wiringArgument`). */
    wiring: string,
    private readonly log: (line: string) => void,
  ) {
    this.#job = (sessions) => ({ port: server.port, wiring, sessions: sessions.map((inputs) => inputs.map((x) => [...x])) });
  }

  async load(clients: number, inferences: number) {
    const inputs = benchInputs(this.model, clients * inferences);
    const perClient = Array.from({ length: clients }, (_, c) => inputs.slice(c * inferences, (c + 1) * inferences));
    this.log(`load: ${clients} clients × ${inferences} inferences at once`);
    const start = performance.now();
    const runs = await Promise.all(perClient.map((own) => runClient(this.#job([own]))));
    const wallSeconds = (performance.now() - start) / 1000;
    const results = runs.map((run, c) => checked(run, this.model, perClient[c]!, `load client ${c + 1}`));
    const firstSetUp = Math.min(...runs.map((run) => run.times[run.events.findIndex((e) => 'setupSeconds' in e)]!));
    const lastResult = Math.max(...results.flat().map((r) => r.time));
    const latencies = results.flat().map((r) => r.seconds);
    const setups = runs.flatMap((run) => run.events.flatMap((e) => ('setupSeconds' in e ? [e.setupSeconds] : [])));
    const figures = {
      clients,
      inferencesEach: inferences,
      correct: latencies.length,
      wallSeconds,
      inferencesPerMinute: (latencies.length / ((lastResult - firstSetUp) / 1000)) * 60,
      latencyMedianSeconds: percentile(latencies, 50),
      latency95thPercentileSeconds: percentile(latencies, 95),
      setupMedianSeconds: median(setups),
    };
    this.log(`load: ${figures.inferencesPerMinute.toFixed(1)} inferences/min, p50 ${figures.latencyMedianSeconds.toFixed(2)} s, p95 ${figures.latency95thPercentileSeconds.toFixed(2)} s`);
    return figures;
  }

  async faults(killed: number) {
    const inputs = benchInputs(this.model, 1);
    // How long a session takes with as many clients at once as a round has: the range the kill
    // points are drawn from (measured alone, a session is shorter, and the kills would all land in
    // the setup of the slower sessions of a round).
    const calibration = await Promise.all(Array.from({ length: Math.min(KILLED_PER_ROUND, killed) + 1 }, () => runClient(this.#job([inputs]))));
    calibration.forEach((run, i) => checked(run, this.model, inputs, `good client ${i + 1}`));
    const span = median(calibration.map(sessionSeconds));
    const random = seededRandom('bench-serve/kill-points');
    const uniform = () => new DataView(random.fill(new Uint8Array(4)).buffer).getUint32(0) / 2 ** 32;
    const delays: number[] = [];
    let good = calibration.length;
    let killedMidRun = 0;
    const failedBefore = this.server.events.filter((e) => e.event === 'session-error').length;
    while (delays.length < killed) {
      const count = Math.min(KILLED_PER_ROUND, killed - delays.length);
      const roundDelays = Array.from({ length: count }, () => uniform() * span * 1000);
      delays.push(...roundDelays);
      const [goodRun, ...victims] = await Promise.all([runClient(this.#job([inputs])), ...roundDelays.map((ms) => runClient(this.#job([inputs]), ms))]);
      checked(goodRun!, this.model, inputs, `good client ${++good}`);
      for (const victim of victims) {
        // A client whose delay outlasted its run finished: its result must be right too.
        if (victim.code === null) killedMidRun++;
        else checked(victim, this.model, inputs, 'a client that finished before its kill');
      }
      this.log(`faults: ${killedMidRun} of ${delays.length} clients killed mid-run, ${good} good clients correct`);
    }
    const last = await runClient(this.#job([inputs]));
    checked(last, this.model, inputs, 'the good client after the faults');
    good++;
    if (this.server.child.exitCode !== null) throw new Error('the server exited during the faults');
    await this.#settled();
    const errors = this.server.events.filter((e): e is Extract<LoggedEvent, { event: 'session-error' }> => e.event === 'session-error').slice(failedBefore);
    // After which phase each killed session ended, from the server's log.
    const byLastPhase: Record<string, number> = {};
    for (const error of errors) {
      const phases = this.server.events.filter((e) => e.event === 'phase' && e.session === error.session);
      const lastPhase = phases.at(-1) as Extract<LoggedEvent, { event: 'phase' }> | undefined;
      const key = lastPhase ? `${lastPhase.phase}${lastPhase.inference ?? ''}` : 'connected';
      byLastPhase[key] = (byLastPhase[key] ?? 0) + 1;
    }
    return {
      clientsToKill: killed,
      killedMidRun,
      goodClients: good,
      goodCorrect: good,
      /** Kills land uniformly in this many seconds after a client's connection opens (a good session's length). */
      killWindowSeconds: span,
      sessionsEndedByError: errors.length,
      sessionErrorsAfterPhase: byLastPhase,
      serverAlive: this.server.child.exitCode === null,
    };
  }

  /** Wait until every session the server started has ended, one way or the other. */
  #settled(): Promise<unknown> {
    const count = (event: string) => this.server.events.filter((e) => e.event === event).length;
    return this.server.waitFor(() => count('session-start') === count('session-end') + count('session-error'), 'every session to end');
  }

  async soak(inferences: number, perSession: number) {
    const inputs = benchInputs(this.model, inferences);
    const sessions = Array.from({ length: Math.ceil(inferences / perSession) }, (_, s) => inputs.slice(s * perSession, (s + 1) * perSession));
    const baseline = sessionEnds(this.server).at(-1)!.resources;
    const endsBefore = sessionEnds(this.server).length;
    this.log(`soak: ${inferences} inferences in ${sessions.length} sessions, one client`);
    const run = await runClient(this.#job(sessions));
    checked(run, this.model, inputs, 'the soak client');
    await this.server.waitFor(() => sessionEnds(this.server).length >= endsBefore + sessions.length, 'the soak sessions to end');
    const samples = [{ inferences: 0, ...baseline }, ...sessionEnds(this.server).slice(endsBefore).map((e, i) => ({ inferences: Math.min((i + 1) * perSession, inferences), ...e.resources }))];
    const xs = samples.map((s) => s.inferences);
    const live = samples.map((s) => s.liveObjects);
    return {
      inferences,
      sessions: sessions.length,
      samples: samples.length,
      rssBytesPerThousandInferences: slope(xs, samples.map((s) => s.rssBytes), 1000),
      wasmHeapBytesPerThousandInferences: slope(xs, samples.map((s) => s.wasmHeapBytes), 1000),
      liveObjectsPerThousandInferences: slope(xs, live, 1000),
      liveObjectsConstant: live.every((v) => v === live[0]),
      first: samples[0]!,
      last: samples.at(-1)!,
      series: { inferences: xs, rssBytes: samples.map((s) => s.rssBytes), wasmHeapBytes: samples.map((s) => s.wasmHeapBytes), liveObjects: live },
    };
  }
}

export const suite: BenchSuite = {
  name: 'serve',
  summary: 'gazelle serve under load: concurrent client processes, clients killed at random points, a soak',
  async run(options) {
    const { quick, scale, log, networks } = options;
    const name = networks?.[0] ?? (quick ? 'A' : 'D');
    const f = quick ? 0 : (scale ?? 1);
    const counts = {
      clients: quick ? 2 : Math.max(2, Math.round(FULL.clients * Math.sqrt(f))),
      inferences: quick ? 1 : Math.max(2, Math.round(FULL.inferences * Math.sqrt(f))),
      killed: quick ? 1 : Math.max(4, Math.round(FULL.killed * f)),
      soak: quick ? 2 : Math.max(SOAK_SESSION * 2, Math.round((FULL.soak * f) / SOAK_SESSION) * SOAK_SESSION),
    };
    const base = benchConfig(options);
    const dir = mkdtempSync(join(tmpdir(), 'gazelle-bench-serve-'));
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify(configToJson(base)));
    const model = loadModel(name);
    const server = await ServeProcess.start(['--model', name, '--port', '0', '--config', configFile]);
    try {
      log(`server: network ${name}, pid ${server.pid}, port ${server.port}`);
      const clients = mergeConfig(base, { plugins: { transport: { name: 'tcp', options: { idleTimeoutMs: CLIENT_IDLE_MS } } } });
      const bench = new ServeBench(server, model, wiringArgument(options, clients), log);
      const load = await bench.load(counts.clients, counts.inferences);
      const faults = await bench.faults(counts.killed);
      const soak = await bench.soak(counts.soak, quick ? 1 : SOAK_SESSION);
      const exitCode = await server.stop('SIGTERM');
      if (exitCode !== 0) throw new Error(`gazelle serve exited with ${exitCode} after SIGTERM`);
      return { network: name, scale: quick ? 'quick' : f, load, faults, soak, drainedExitCode: exitCode };
    } finally {
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
