#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so that `npx gazelle` works without a build step.
//
// --single-threaded-gc: a party's protocol work is single-threaded, and the performance targets
// are per core. V8's helper GC threads (concurrent marking, parallel scavenges) would otherwise
// add CPU time on other cores, charged to the party by process.cpuUsage, for pauses that are
// short either way; with the flag all of a party's work, GC included, runs on its one thread.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = spawnSync(process.execPath, ['--single-threaded-gc', '--import', 'tsx', join(root, 'cli', 'main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
