// bin/gazelle.mjs, the `npx gazelle` launcher: works from any directory, and starts the CLI with
// the flags its comments explain (the figures those flags are for live in `npm run bench`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const launcher = fileURLToPath(new URL('../bin/gazelle.mjs', import.meta.url));
const reporter = new URL('./fixtures/report-exec-argv.mjs', import.meta.url).href;

function gazelle(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [launcher, ...args], { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('gazelle launcher', () => {
  it('runs the CLI from a directory outside the project', () => {
    const run = gazelle(['plugins', '--json']);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(Array.isArray((JSON.parse(run.stdout) as { plugins: unknown }).plugins));
  });

  it("loads the container's CommonJS packages before tsx, and runs with one GC thread", () => {
    const run = gazelle(['plugins', '--json'], { NODE_OPTIONS: `--import ${reporter}` });
    assert.equal(run.status, 0, run.stderr);
    const line = run.stderr.split('\n').find((l) => l.startsWith('EXEC_ARGV '));
    assert.ok(line, `the CLI did not report its flags: ${run.stderr}`);
    const argv = JSON.parse(line.slice('EXEC_ARGV '.length)) as string[];
    const at = (pattern: RegExp) => argv.findIndex((a) => pattern.test(a));
    const tsx = at(/tsx/);
    assert.ok(tsx > 0 && argv[tsx - 1] === '--import', `tsx is not imported: ${argv.join(' ')}`);
    for (const pkg of [/reflect-metadata/, /tsyringe/]) {
      const i = at(pkg);
      assert.ok(i > 0 && argv[i - 1] === '--require' && i < tsx, `${pkg} is not required before tsx: ${argv.join(' ')}`);
    }
    assert.ok(argv.includes('--single-threaded-gc'));
  });
});
