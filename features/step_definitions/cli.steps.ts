import { Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { GazelleWorld } from '../support/world.ts';

const cli = resolve('cli/main.ts');

When('I run {string}', function (this: GazelleWorld, commandLine: string) {
  const [program, ...args] = commandLine.split(/\s+/);
  assert.equal(program, 'gazelle', 'steps run the gazelle CLI only');
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  this.lastCommand = { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
});

Then('the exit code is {int}', function (this: GazelleWorld, code: number) {
  assert.equal(this.lastCommand?.status, code, `stderr: ${this.lastCommand?.stderr}`);
});

Then('stderr says {string}', function (this: GazelleWorld, text: string) {
  assert.ok(this.lastCommand?.stderr.includes(text), `stderr was: ${this.lastCommand?.stderr}`);
});

interface PluginRow {
  kind: string;
  name: string;
  security: string;
  origin: string;
}

function pluginRows(world: GazelleWorld): PluginRow[] {
  return (JSON.parse(world.lastCommand!.stdout) as { plugins: PluginRow[] }).plugins;
}

Then(
  'the JSON output lists a {string} plugin named {string} with security model {string}',
  function (this: GazelleWorld, kind: string, name: string, security: string) {
    const row = pluginRows(this).find((r) => r.kind === kind && r.name === name);
    assert.equal(row?.security, security);
  },
);

Then(
  'the JSON output lists the {string} plugin {string} as loaded from {string}',
  function (this: GazelleWorld, kind: string, name: string, path: string) {
    const row = pluginRows(this).find((r) => r.kind === kind && r.name === name);
    assert.equal(row?.origin, resolve(path));
  },
);
