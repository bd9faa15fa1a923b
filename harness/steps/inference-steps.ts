/**
 * The step library (`gazelle-ts/harness-steps`): Cucumber steps in a user's words for private
 * inference with budgets. A scenario names a network and a configuration, classifies images
 * privately (both parties in this process, over the configured transport), then states what must
 * hold: results equal to the plaintext reference, traffic, rounds and time per phase within
 * budgets, the flooding margin, and writes a report. State lives per scenario, keyed by the
 * scenario's World object, so any World (a user's own) works.
 *
 * ```gherkin
 * Given network "D" with configuration "secure"
 * When the client classifies 5 test digits
 * Then the private results equal the plaintext reference bit for bit
 * And the online traffic from client to server is at most 2 MB
 * And the offline phase takes at most 3 rounds
 * And the online phase takes at most 2 s
 * ```
 */
import { Given, Then, When } from '@cucumber/cucumber';
import { resolve } from 'node:path';
import { formatBytes, formatDuration } from '../../cli/format.ts';
import { resolveNetworkProfile } from '../../core/channel/network-profile.ts';
import { mergeConfig } from '../../core/config.ts';
import type { Party } from '../../core/channel.ts';
import { GazelleError } from '../../core/errors.ts';
import type { RevealPolicy } from '../../core/inference/plan.ts';
import type { Model } from '../../core/model/model.ts';
import { loadModel } from '../../core/model/model-store.ts';
import { formatResult } from '../audit.ts';
import { auditInference } from '../inference-audit.ts';
import { checkLayerTraffic, checkLinkTime, checkRounds, checkTime, checkTraffic, checkTrafficAsPredicted, type Direction, type Phase } from '../budgets.ts';
import { registryFor, resolveConfiguration, type NamedConfiguration } from '../configurations.ts';
import { measureInference, randomImageSet, testDigits, type ImageSet, type Measurement } from '../measurement.ts';
import { describeMargin, marginHolds, totalFigures, writeMeasurementReport } from '../report/measurement-report.ts';

/** A step of the library used out of order (no network chosen, nothing classified yet). */
export class StepOrderError extends GazelleError {}

/** A party's view failed a check of the privacy audit. */
export class PrivacyCheckError extends GazelleError {}

interface Scene {
  serverHeWorkers?: number;
  networkName?: string;
  model?: Model;
  configuration?: NamedConfiguration;
  measurement?: Measurement;
}

const scenes = new WeakMap<object, Scene>();

function scene(world: object): Scene {
  let s = scenes.get(world);
  if (!s) scenes.set(world, (s = {}));
  return s;
}

function measured(world: object): Measurement {
  const m = scene(world).measurement;
  if (!m) throw new StepOrderError('nothing has been classified in this scenario yet: start with "When the client classifies 2 test digits"');
  return m;
}

/** Starting HE workers, setting up a session and classifying take seconds to minutes, not Cucumber's default 5 s. */
const SLOW = { timeout: 30 * 60_000 };

/** A line in Cucumber's output (when the World is Cucumber's, with `log`). */
function log(world: object, text: string): void {
  const logger = (world as { log?: unknown }).log;
  if (typeof logger === 'function') (logger as (t: string) => void).call(world, text);
}

Given('network {string} with configuration {string}', function (this: object, network: string, configuration: string) {
  const s = scene(this);
  s.model = loadModel(network);
  s.networkName = network;
  s.configuration = resolveConfiguration(configuration);
  delete s.measurement;
});

Given('the parties talk over a {string} link', function (this: object, profile: string) {
  const s = scene(this);
  if (!s.configuration) throw new StepOrderError('choose the network and configuration first: "Given network "D" with configuration "secure""');
  s.configuration = { ...s.configuration, config: mergeConfig(s.configuration.config, { network: resolveNetworkProfile({ profile }, `link "${profile}"`) }) };
});

Given('the server has {int} HE worker(s)', function (this: object, workers: number) {
  scene(this).serverHeWorkers = workers;
});

async function classify(world: object, images: (model: Model) => ImageSet, reveal: RevealPolicy): Promise<void> {
  const s = scene(world);
  if (!s.model || !s.configuration || s.networkName === undefined) {
    throw new StepOrderError('choose the network and configuration first: "Given network "D" with configuration "secure""');
  }
  const registry = await registryFor(s.configuration);
  const m = await measureInference({
    configuration: s.configuration,
    registry,
    networkName: s.networkName,
    model: s.model,
    images: images(s.model),
    reveal,
    ...(s.serverHeWorkers !== undefined ? { serverHeWorkers: s.serverHeWorkers } : {}),
  });
  s.measurement = m;
  const total = totalFigures(m.median.offline, m.median.online);
  log(
    world,
    `${m.network.name} under ${m.configuration.name}, median of ${m.inferences.length}: offline ${formatDuration(m.median.offline.seconds)}, online ${formatDuration(m.median.online.seconds)}, ` +
      `${formatBytes(total.clientToServer)} client→server, ${formatBytes(total.serverToClient)} server→client, rounds ${m.median.offline.rounds} offline / ${m.median.online.rounds} online; ` +
      `setup ${formatDuration(m.setup.seconds)}; load average ${m.environment.loadAverage}`,
  );
}

function requireDigitModel(model: Model): void {
  const { shape } = model.architecture.input;
  if (shape.channels !== 1 || shape.height !== 28 || shape.width !== 28) {
    throw new StepOrderError(`network ${model.architecture.name} takes ${shape.channels}×${shape.height}×${shape.width} images, not 28×28 grey digits: classify random images instead`);
  }
}

When('the client classifies {int} test digit(s)', SLOW, async function (this: object, count: number) {
  await classify(this, (model) => (requireDigitModel(model), testDigits(count)), 'logits');
});

When('the client classifies {int} test digit(s), revealing only the label', SLOW, async function (this: object, count: number) {
  await classify(this, (model) => (requireDigitModel(model), testDigits(count)), 'label');
});

When('the client classifies {int} random image(s)', SLOW, async function (this: object, count: number) {
  await classify(this, (model) => randomImageSet(model.architecture.input.shape, count, 'gazelle-ts/harness-steps'), 'logits');
});

Then('the private results equal the plaintext reference bit for bit', function (this: object) {
  const wrong = measured(this).inferences.flatMap((r, i) => (r.equalsReference ? [] : [i]));
  if (wrong.length > 0) throw new GazelleError(`the private result differs from the plaintext reference for image${wrong.length > 1 ? 's' : ''} ${wrong.join(', ')}`);
});

Then('at least {int} of them are classified correctly', function (this: object, count: number) {
  const m = measured(this);
  const labelled = m.inferences.filter((r) => r.truth !== undefined);
  if (labelled.length === 0) throw new StepOrderError(`the images (${m.images}) have no true labels: classify test digits`);
  const correct = labelled.filter((r) => r.label === r.truth).length;
  if (correct < count) throw new GazelleError(`${correct} of ${labelled.length} classified correctly (${labelled.map((r) => `${r.label} for ${r.truth}`).join(', ')}), fewer than ${count}`);
});

Then('the {inferencePhase} traffic from {trafficDirection} is at most {byteSize}', function (this: object, phase: Phase, direction: Direction, limit: number) {
  checkTraffic(measured(this), phase, direction, limit);
});

Then('the {inferencePhase} traffic is at most {byteSize}', function (this: object, phase: Phase, limit: number) {
  checkTraffic(measured(this), phase, 'both ways', limit);
});

Then('the {inferencePhase} traffic of layer {string} is at most {byteSize}', function (this: object, phase: Phase, layer: string, limit: number) {
  if (phase === 'setup') throw new StepOrderError('layers have offline and online traffic; the setup belongs to the session');
  checkLayerTraffic(measured(this), layer, phase, limit);
});

Then('the {inferencePhase} phase takes at most {int} round(s)', function (this: object, phase: Phase, limit: number) {
  checkRounds(measured(this), phase, limit);
});

Then('the {inferencePhase} phase takes at most {timeLimit}', function (this: object, phase: Phase, limit: number) {
  checkTime(measured(this), phase, limit);
});

Then('the whole inference takes at most {timeLimit}', function (this: object, limit: number) {
  checkTime(measured(this), 'inference', limit);
});

Then('on a {string} link the {inferencePhase} traffic takes at most {timeLimit}', function (this: object, profile: string, phase: Phase, limit: number) {
  checkLinkTime(measured(this), phase, resolveNetworkProfile({ profile }, `link "${profile}"`), limit);
});

Then('the traffic is exactly what the plan predicts', function (this: object) {
  checkTrafficAsPredicted(measured(this));
});

Then('every returned ciphertext keeps the flooding margin the protocol requires', function (this: object) {
  const m = measured(this);
  if (!marginHolds(m)) throw new GazelleError(`flooding margin ${describeMargin(m)}`);
});

/** Sessions per class (fixed and random secret) of the step's audit: `gazelle audit`'s default. */
const AUDIT_RUNS = 3;

Then("the {auditObserver}'s view passes every privacy check", SLOW, async function (this: object, observer: Party) {
  const s = scene(this);
  if (!s.model || !s.configuration || s.networkName === undefined) {
    throw new StepOrderError('choose the network and configuration first: "Given network "D" with configuration "secure""');
  }
  // The privacy audit (harness/inference-audit.ts, as `gazelle audit --observer <party>` runs it):
  // fixed-vs-random views of real sessions, simulated views, canaries, the flooding margin.
  const audit = await auditInference({
    config: s.configuration.config,
    registry: await registryFor(s.configuration),
    model: s.model,
    observers: [observer],
    runs: AUDIT_RUNS,
    seed: `gazelle-ts/harness-steps/${s.networkName}/${s.configuration.name}`,
  });
  const results = audit.audits[0]!.report.results;
  for (const r of results) log(this, formatResult(r));
  const failed = results.filter((r) => r.verdict === 'fail');
  if (failed.length > 0) throw new PrivacyCheckError(`the ${observer}'s view fails ${failed.length} of ${results.length} privacy checks: ${failed.map(formatResult).join('; ')}`);
});

Then('a report of the figures is written to {string}', function (this: object, dir: string) {
  const paths = writeMeasurementReport(resolve(dir), measured(this));
  log(this, `report: ${paths.html}`);
});
