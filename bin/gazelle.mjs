#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so that `npx gazelle` works without a build step.
//
// --single-threaded-gc: a party's protocol work is single-threaded, and the performance targets
// are per core. V8's helper GC threads (concurrent marking, parallel scavenges) would otherwise
// add CPU time on other cores, charged to the party by process.cpuUsage, for pauses that are
// short either way; with the flag all of a party's work, GC included, runs on its one thread.
//
// glibc.malloc.trim_threshold: node:crypto returns a fresh buffer from every AES call, and glibc by
// default hands freed memory at the top of the heap back to the kernel, so the next buffers fault
// their pages in again: bulk fixed-key AES measured 2-4 times slower, most of it system time. A
// 256 MiB threshold keeps that memory for reuse. Added to the user's own tunables, not replacing them.
//
// No CommonJS package may be loaded through tsx's CommonJS hooks before the protocol runs: doing so
// leaves V8's process-wide "ArrayBuffer detaching" protector invalidated (as any detached
// ArrayBuffer does), and from then on every typed-array access in optimised code checks its buffer:
// measured 2x slower on a bare loop, garbling 20% slower. (The DI container's reflect-metadata and
// tsyringe did, and were preloaded here with Node's own loader until the container became a plain
// typed registry; the ONNX libraries do, so `import` and `verify-import` load them when they run.)
// test/launcher.test.ts checks that the protector survives a garbled run.
//
// Signals: the CLI runs in a child process, so SIGTERM, SIGINT and SIGHUP sent to this launcher (a
// container runtime stopping `gazelle serve`, a supervisor) are passed on to it, and the launcher
// exits with the child's status once the child has finished (a server drains first). A terminal's
// Ctrl-C reaches both processes; the CLI treats a repeated signal like the first.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const own = process.env.GLIBC_TUNABLES;
const tunables = own?.includes('glibc.malloc.trim_threshold') ? own : [own, 'glibc.malloc.trim_threshold=268435456'].filter(Boolean).join(':');
const child = spawn(process.execPath, ['--single-threaded-gc', '--import', import.meta.resolve('tsx'), join(root, 'cli', 'main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, GLIBC_TUNABLES: tunables },
});
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  process.stderr.write(`gazelle: cannot start node: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
