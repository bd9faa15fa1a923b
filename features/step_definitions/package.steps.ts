/**
 * The package as a user's project gets it: `npm pack` (which builds dist/ on `prepare`), the
 * tarball unpacked into a project in a temporary directory outside the repository, next to the
 * package's declared runtime dependencies (linked from this repository's node_modules, as an
 * offline `npm install` would place them), then run with plain `node`: no TypeScript loader.
 */
import { After, AfterAll, Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { GazelleWorld } from '../support/world.ts';

const REPO = resolve('.');
const PROJECT_KEY = 'package.project';
const RUN_KEY = 'package.run';

/** Plain node: no NODE_OPTIONS (cucumber runs under tsx), so nothing can load TypeScript for the package. */
export function run(command: string, args: readonly string[], cwd: string, timeout = 180_000) {
  const options: SpawnSyncOptions = { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout };
  const result = spawnSync(command, args, options);
  assert.equal(result.signal, null, `${command} ${args.join(' ')} did not finish within ${timeout / 1000} s`);
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

const USER_PROGRAM = `
import { builtinRegistry, circuitProgram, loadBristolFile, parseConfig, runGcLocally, wire } from 'gazelle-ts';
import { definePlugin, PLUGIN_KINDS } from 'gazelle-ts/plugin';

const hex = (text) => BigInt('0x' + text);
const wiring = await wire(parseConfig({ network: 'lan' }), builtinRegistry(), ['transport', 'ot-extension', 'garbling']);
try {
  const result = await runGcLocally({
    transport: wiring.get('transport'),
    ot: wiring.get('ot-extension'),
    program: circuitProgram(loadBristolFile(process.argv[2]), 1),
    garblerInputs: [[hex('000102030405060708090a0b0c0d0e0f')]],
    evaluatorInputs: [[hex('00112233445566778899aabbccddeeff')]],
    options: { scheme: wiring.get('garbling') },
  });
  const plugin = definePlugin({ kind: 'garbling', name: 'mine', security: 'semi-honest', description: 'mine', create: () => ({}) });
  console.log(result.outputs[0][0].toString(16).padStart(32, '0'));
  console.log(wiring.get('transport').network.name, PLUGIN_KINDS.includes(plugin.kind));
} finally {
  await wiring.dispose();
}
`;

const USER_TYPES = `
import { builtinRegistry, parseConfig, wire, type GazelleConfig, type LocalGcResult, type Wiring } from 'gazelle-ts';
import { definePlugin, type GarblingScheme, type Transport } from 'gazelle-ts/plugin';

const config: GazelleConfig = parseConfig({ network: 'wan' });
export const wiring: Promise<Wiring> = wire(config, builtinRegistry(), ['transport']);
export const plugin = definePlugin({
  kind: 'transport',
  name: 'my-transport',
  security: 'semi-honest',
  description: 'mine',
  create: (): Transport => {
    throw new Error('not called here');
  },
});
export type Used = [LocalGcResult, GarblingScheme];
// @ts-expect-error: the declarations know the plugin kinds (an unused expect-error would fail)
definePlugin({ kind: 'teleporter', name: 'x', security: 'semi-honest', description: 'x', create: () => ({}) });
`;

/** The tarball, packed once per test run: packing builds dist/ (tens of seconds), and scenarios only read it. */
let packed: { dir: string; tarball: string } | undefined;

function tarball(): string {
  if (!packed) {
    const dir = mkdtempSync(join(tmpdir(), 'gazelle-pack-'));
    const result = run('npm', ['pack', '--json', '--pack-destination', dir], REPO);
    assert.equal(result.status, 0, result.stderr);
    const [{ filename }] = JSON.parse(result.stdout) as [{ filename: string }];
    packed = { dir, tarball: join(dir, filename) };
  }
  return packed.tarball;
}

/**
 * A fresh project directory outside the repository with the packed package in node_modules/gazelle-ts,
 * next to the package's declared dependencies and `userDependencies` (what the user's own project
 * installs: @types/node, @cucumber/cucumber), linked from this repository's node_modules.
 */
export function projectWithPackage(userDependencies: readonly string[]): string {
  const project = mkdtempSync(join(tmpdir(), 'gazelle-user-'));
  const modules = join(project, 'node_modules');
  mkdirSync(modules);
  const unpacked = run('tar', ['-xzf', tarball(), '-C', modules], project);
  assert.equal(unpacked.status, 0, unpacked.stderr);
  run('mv', [join(modules, 'package'), join(modules, 'gazelle-ts')], project);
  const manifest = JSON.parse(readFileSync(join(modules, 'gazelle-ts', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  // The package's declared dependencies only (and the user's own): an import of anything else,
  // a dev dependency say, fails as it would for a user.
  for (const name of [...Object.keys(manifest.dependencies), ...userDependencies]) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(join(REPO, 'node_modules', name), join(modules, name), 'dir');
  }
  return project;
}

Given('the package packed by npm and installed in a project outside the repository', function (this: GazelleWorld) {
  const project = projectWithPackage(['@types/node']);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-user-project', private: true, type: 'module' }));
  writeFileSync(join(project, 'main.js'), USER_PROGRAM);
  writeFileSync(join(project, 'check.ts'), USER_TYPES);
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'] }, files: ['check.ts'] }),
  );
  this.state.set(PROJECT_KEY, project);
});

When('that project runs its JavaScript with plain node, importing "gazelle-ts" and "gazelle-ts\\/plugin"', function (this: GazelleWorld) {
  const project = this.state.get(PROJECT_KEY) as string;
  this.state.set(RUN_KEY, run(process.execPath, ['main.js', join(REPO, 'test/vectors/bristol/aes_128.txt')], project));
});

Then('it prints the AES-128 ciphertext of FIPS-197 C.1, garbled over the LAN profile', function (this: GazelleWorld) {
  const result = this.state.get(RUN_KEY) as ReturnType<typeof run>;
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, '69c4e0d86a7b0430d8cdb78070b4c55a\nlan true\n');
});

Then("the project's TypeScript type-checks against the package's declarations", function (this: GazelleWorld) {
  const project = this.state.get(PROJECT_KEY) as string;
  const checked = run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', project], project);
  assert.equal(checked.status, 0, checked.stdout + checked.stderr);
});

Then("the installed package's gazelle command lists the plugins", function (this: GazelleWorld) {
  const project = this.state.get(PROJECT_KEY) as string;
  const listed = run(process.execPath, [join(project, 'node_modules/gazelle-ts/bin/gazelle.mjs'), 'plugins', '--json'], project);
  assert.equal(listed.status, 0, listed.stderr);
  const { plugins } = JSON.parse(listed.stdout) as { plugins: { kind: string; name: string }[] };
  assert.ok(plugins.some((p) => p.kind === 'transport' && p.name === 'tcp'));
});

After(function (this: GazelleWorld) {
  const project = this.state.get(PROJECT_KEY) as string | undefined;
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

AfterAll(function () {
  if (packed) rmSync(packed.dir, { recursive: true, force: true });
});
