/**
 * `gazelle serve` as a child process, started through the `npx gazelle` launcher exactly as an
 * operator would run it (bin/gazelle.mjs, which passes signals on): the benchmarks' server, and
 * the features'. Its JSON-lines log (stderr) is parsed as it arrives; `port` is the one it logged
 * as listening (start it with `--port 0`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ServiceEvent } from '../core/inference/service-log.ts';

const LAUNCHER = fileURLToPath(new URL('../bin/gazelle.mjs', import.meta.url));

export type LoggedEvent = ServiceEvent & { readonly time: string };

export class ServeProcess {
  /** Every event logged so far, in order, and the lines as logged. */
  readonly events: LoggedEvent[] = [];
  readonly logLines: string[] = [];
  /** Lines of stderr that are not log events (start-up errors). */
  readonly otherLines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #watchers = new Set<() => void>();
  port = 0;
  /** The server's own process (the launcher's child). */
  pid = 0;

  private constructor(readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => this.#notify());
    createInterface({ input: child.stderr! }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as LoggedEvent);
        this.logLines.push(line);
      } catch {
        this.otherLines.push(line);
      }
      this.#notify();
    });
  }

  /** Start `gazelle serve <args>` and wait until it listens. */
  static async start(args: readonly string[], timeoutMs = 120_000): Promise<ServeProcess> {
    const child = spawn(process.execPath, [LAUNCHER, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    const server = new ServeProcess(child);
    try {
      const listening = await server.waitFor((e) => e.event === 'listening', 'the server to listen', timeoutMs);
      ({ port: server.port, pid: server.pid } = listening as Extract<LoggedEvent, { event: 'listening' }>);
      return server;
    } catch (error) {
      await server.kill();
      throw error;
    }
  }

  /** The first event (from the start) that satisfies `predicate`; fails if the process exits or time runs out first. */
  waitFor(predicate: (event: LoggedEvent) => boolean, what: string, timeoutMs = 60_000): Promise<LoggedEvent> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.events.find(predicate);
        if (found) finish(() => resolve(found));
        else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          finish(() => reject(new Error(`gazelle serve exited (${this.child.exitCode ?? this.child.signalCode}) before ${what}; stderr: ${this.otherLines.join('\n')}`)));
        } else return false;
        return true;
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`waited ${timeoutMs} ms for ${what}; stderr: ${this.otherLines.join('\n')}`))), timeoutMs);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.#watchers.delete(watcher);
        settle();
      };
      const watcher = (): void => void check();
      if (!check()) this.#watchers.add(watcher);
    });
  }

  /** Send `signal` to the launcher (which passes it on) and wait for the process to exit; returns its exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return (await this.exited).code;
  }

  /** Stop at once: SIGKILL to the server itself (a signal the launcher cannot pass on), then to the launcher. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      if (this.pid > 0) process.kill(this.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    this.child.kill('SIGKILL');
    await this.exited;
  }

  #notify(): void {
    for (const watcher of [...this.#watchers]) watcher();
  }
}
