import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { GazelleWorld } from '../support/world.ts';

const cli = resolve('cli/main.ts');
/** `<name>` as a whole word of a command line stands for the value a Given step stored under this prefix + name. */
export const PLACEHOLDER = 'cli.placeholder.';
const MODULE_KEY = `${PLACEHOLDER}module`;
/** A command that hangs fails its scenario instead of stalling the suite. */
const COMMAND_TIMEOUT_MS = 120_000;

/**
 * A self-contained plugin module in a fresh temporary directory (outside the project), written the
 * way a user or auditor would: a plain object with kind, name, security model and create().
 */
function writeExternalPlugin(kind: string, name: string, security: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gazelle-plugin-'));
  const path = join(dir, `${name}.mjs`);
  writeFileSync(
    path,
    `export default {
  kind: ${JSON.stringify(kind)},
  name: ${JSON.stringify(name)},
  security: ${JSON.stringify(security)},
  description: 'external test plugin',
  create: () => ({ name: ${JSON.stringify(name)} }),
};\n`,
  );
  return path;
}

Given(
  'a plugin module outside the project that declares the {string} plugin {string}',
  function (this: GazelleWorld, kind: string, name: string) {
    this.state.set(MODULE_KEY, writeExternalPlugin(kind, name, 'semi-honest'));
  },
);

Given(
  'a plugin module outside the project that declares the insecure {string} plugin {string}',
  function (this: GazelleWorld, kind: string, name: string) {
    this.state.set(MODULE_KEY, writeExternalPlugin(kind, name, 'insecure-test-only'));
  },
);

When('I run {string}', function (this: GazelleWorld, commandLine: string) {
  const [program, ...args] = commandLine.split(/\s+/);
  assert.equal(program, 'gazelle', 'steps run the gazelle CLI only');
  const expanded = args.map((a) => {
    const name = /^<([\w-]+)>$/.exec(a)?.[1];
    return name !== undefined && this.state.has(PLACEHOLDER + name) ? (this.state.get(PLACEHOLDER + name) as string) : a;
  });
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...expanded], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    timeout: COMMAND_TIMEOUT_MS,
  });
  assert.equal(result.signal, null, `"${commandLine}" did not finish within ${COMMAND_TIMEOUT_MS / 1000} s`);
  this.lastCommand = { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
});

Then('the exit code is {int}', function (this: GazelleWorld, code: number) {
  assert.equal(this.lastCommand?.status, code, `stderr: ${this.lastCommand?.stderr}`);
});

Then('stderr says {string}', function (this: GazelleWorld, text: string) {
  assert.ok(this.lastCommand?.stderr.includes(text), `stderr was: ${this.lastCommand?.stderr}`);
});

Then('stderr is empty', function (this: GazelleWorld) {
  assert.equal(this.lastCommand?.stderr, '');
});

Then('stdout says {string}', function (this: GazelleWorld, text: string) {
  assert.ok(this.lastCommand?.stdout.includes(text), `stdout was: ${this.lastCommand?.stdout}`);
});

Then('stdout does not say {string}', function (this: GazelleWorld, text: string) {
  assert.ok(!this.lastCommand?.stdout.includes(text), `stdout was: ${this.lastCommand?.stdout}`);
});

Then('stderr does not say {string}', function (this: GazelleWorld, text: string) {
  assert.ok(!this.lastCommand?.stderr.includes(text), `stderr was: ${this.lastCommand?.stderr}`);
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
  'the JSON output lists the {string} plugin {string} as loaded from that module',
  function (this: GazelleWorld, kind: string, name: string) {
    const rows = pluginRows(this).filter((r) => r.kind === kind && r.name === name);
    assert.equal(rows.length, 1, 'the external plugin replaces the built-in, it does not sit beside it');
    assert.equal(rows[0]!.origin, this.state.get(MODULE_KEY));
  },
);
