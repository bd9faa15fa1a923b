/**
 * Issue 11: "a session run twice never repeats a hash tweak (instrumented test)". The garbling
 * plugin is replaced, through the registry as an auditor would, by a recording decorator of
 * half-gates: every AND batch either party hashes is logged with its salt and gate-id range (gate g
 * hashes with tweaks 2g and 2g + 1 under the salt, core/garbling.ts). A session classifies twice;
 * the garbler's ranges must be disjoint under its salt, the evaluator's must mirror them, and
 * another session must use another salt.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../config.ts';
import { quantiseInput } from '../model/input.ts';
import { randomImages, randomModel } from '../model/networks.ts';
import { definePlugin } from '../plugin.ts';
import { HalfGates } from '../../plugins/half-gates/half-gates.ts';
import { builtinRegistry } from '../../plugins/index.ts';
import { runLocalInference } from './local-run.ts';
import { repeatedTweaks, TweakRecorder, type GateBatch } from '../../test/support/tweak-log.ts';

test('a session classifying twice never repeats a hash tweak; the evaluator mirrors the garbler; sessions differ in salt', async () => {
  const log: GateBatch[] = [];
  const registry = builtinRegistry();
  registry.register(
    definePlugin({ kind: 'garbling', name: 'half-gates', security: 'semi-honest', description: 'half-gates, logging its hash tweaks (test)', create: () => new TweakRecorder(new HalfGates(), log) }),
    'tweaks.test.ts',
  );
  const config = parseConfig({ profile: 'test', plugins: { he: 'insecure-plain-he' } });
  const { model } = randomModel('C', 'tweaks');
  const inputs = randomImages(model.architecture.input.shape, 2, 'tweaks').map((i) => quantiseInput(model.architecture, i));
  await runLocalInference({ config, registry, model, inputs, heWorkers: 1 });
  const first = [...log];
  log.length = 0;
  await runLocalInference({ config, registry, model, inputs: inputs.slice(0, 1), heWorkers: 1 });

  const garbled = first.filter((b) => b.role === 'garbler');
  const evaluated = first.filter((b) => b.role === 'evaluator');
  assert.ok(garbled.length > 0, 'the instrumented scheme saw the garbling');
  assert.equal(new Set(garbled.map((b) => b.salt)).size, 1, 'one salt per session');
  assert.deepEqual(repeatedTweaks(garbled), [], 'no gate id repeats under the salt, across both inferences');
  const total = (batches: GateBatch[]) => batches.reduce((s, b) => s + b.gates, 0);
  assert.equal(total(garbled), 2 * total(garbled.slice(0, garbled.length / 2)), 'two inferences garbled the same number of gates');
  assert.deepEqual(new Set(evaluated.map((b) => `${b.salt}:${b.firstGateId}+${b.gates}`)), new Set(garbled.map((b) => `${b.salt}:${b.firstGateId}+${b.gates}`)), 'the evaluator hashed exactly the garbler\'s tweaks');
  assert.notEqual(log.find((b) => b.role === 'garbler')!.salt, garbled[0]!.salt, 'the next session has its own salt');
  // The check has power: the same batches replayed under one salt (an allocator reset between
  // inferences, or a reused salt) are reported.
  assert.ok(repeatedTweaks([...garbled, ...garbled.map((b) => ({ ...b }))]).length > 0);
});
