import { Given, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GazelleWorld } from '../support/world.ts';
import { PLACEHOLDER } from './cli.steps.ts';

function placeholder(world: GazelleWorld, name: string): string {
  const value = world.state.get(PLACEHOLDER + name);
  assert.equal(typeof value, 'string', `no <${name}> was set up`);
  return value as string;
}

Given('a new directory {string}', function (this: GazelleWorld, name: string) {
  this.state.set(PLACEHOLDER + name, join(mkdtempSync(join(tmpdir(), 'gazelle-feature-import-')), name));
});

Given('the first {int} bytes of {string} as {string}', function (this: GazelleWorld, bytes: number, file: string, name: string) {
  const path = join(mkdtempSync(join(tmpdir(), 'gazelle-feature-import-')), `truncated-${bytes}.onnx`);
  writeFileSync(path, readFileSync(file).subarray(0, bytes));
  this.state.set(PLACEHOLDER + name, path);
});

Then('no model was written to {string}', function (this: GazelleWorld, name: string) {
  assert.ok(!existsSync(join(placeholder(this, name), 'architecture.json')));
});

Then('the model directory {string} holds architecture.json and weights.bin', function (this: GazelleWorld, name: string) {
  const dir = placeholder(this, name);
  for (const file of ['architecture.json', 'weights.bin']) assert.ok(existsSync(join(dir, file)), `${file} in ${dir}`);
});

/** `a.b.c` of the last command's JSON output. */
function jsonField(world: GazelleWorld, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], JSON.parse(world.lastCommand!.stdout));
}

Then('the JSON output field {string} is at least {float}', function (this: GazelleWorld, path: string, minimum: number) {
  const value = jsonField(this, path);
  assert.equal(typeof value, 'number', `${path} in ${this.lastCommand!.stdout}`);
  assert.ok((value as number) >= minimum, `${path} = ${value}, expected at least ${minimum}`);
});

Then('the JSON output field {string} is at most {float}', function (this: GazelleWorld, path: string, maximum: number) {
  const value = jsonField(this, path);
  assert.equal(typeof value, 'number', `${path} in ${this.lastCommand!.stdout}`);
  assert.ok((value as number) <= maximum, `${path} = ${value}, expected at most ${maximum}`);
});

Then('stderr names the nodes {string}', function (this: GazelleWorld, list: string) {
  for (const node of list.split(/,\s*/)) assert.ok(this.lastCommand!.stderr.includes(`node "${node}"`), `node "${node}" in ${this.lastCommand!.stderr}`);
});
