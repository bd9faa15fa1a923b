// bin/gazelle.mjs, the `npx gazelle` launcher: works from any directory, and starts the CLI with
// the flags its comments explain (the figures those flags are for live in `npm run bench`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const launcher = fileURLToPath(new URL('../bin/gazelle.mjs', import.meta.url));
const cli = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).href;
const adder = fileURLToPath(new URL('./vectors/bristol/old-format/adder_32bit.txt', import.meta.url));
const ADD = ['gc', 'run', adder, '--bit-order', 'lsb-first', '--garbler', 'ffffffff', '--evaluator', '1'];

function gazelle(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [launcher, ...args], { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, ...env } });
}

/** The Node flags the launcher starts the CLI with (reported by a fixture loaded into the CLI process). */
function launcherFlags(): string[] {
  const run = gazelle(['plugins', '--json'], { NODE_OPTIONS: `--import ${fixture('report-exec-argv.mjs')}` });
  assert.equal(run.status, 0, run.stderr);
  const line = run.stderr.split('\n').find((l) => l.startsWith('EXEC_ARGV '));
  assert.ok(line, `the CLI did not report its flags: ${run.stderr}`);
  return JSON.parse(line.slice('EXEC_ARGV '.length)) as string[];
}

/**
 * Runs `args` in the CLI started with the launcher's flags and says whether V8's ArrayBuffer
 * detaching protector was still intact in the CLI's isolate when it exited (see protector-probe.mjs).
 */
function protectorIntactAtExit(flags: string[], args: string[], env: NodeJS.ProcessEnv = {}): boolean {
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--trace-protector-invalidation', ...flags, cli, ...args], {
    cwd: tmpdir(),
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: `--import ${fixture('protector-probe.mjs')}`, ...env },
  });
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.split('\n');
  const [start, end] = [lines.findIndex((l) => l.includes('(271828)')), lines.findIndex((l) => l.includes('(314159)'))];
  assert.ok(start >= 0 && end > start, `the probe did not print its markers: ${run.stdout}`);
  return lines.slice(start, end).some((l) => l === 'Invalidating protector cell ArrayBufferDetaching');
}

describe('gazelle launcher', () => {
  it('runs the CLI from a directory outside the project', () => {
    const run = gazelle(['plugins', '--json']);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(Array.isArray((JSON.parse(run.stdout) as { plugins: unknown }).plugins));
  });

  it('runs the CLI through tsx with one GC thread', () => {
    const argv = launcherFlags();
    const tsx = argv.findIndex((a) => /tsx/.test(a));
    assert.ok(tsx > 0 && argv[tsx - 1] === '--import', `tsx is not imported: ${argv.join(' ')}`);
    assert.ok(argv.includes('--single-threaded-gc'));
  });

  it("keeps V8's ArrayBuffer detaching protector intact through a garbled run, and the check catches a detached buffer", () => {
    const flags = launcherFlags();
    assert.equal(protectorIntactAtExit(flags, ADD), true, 'something in the CLI detached an ArrayBuffer (a CommonJS package loaded through tsx?)');
    assert.equal(protectorIntactAtExit(flags, ADD, { PROBE_DETACH_AT_START: '1' }), false, 'the check missed a buffer detached at start');
  });
});
