/**
 * `gazelle serve`: the model owner's server. Prepares the model in a pool of HE workers (one per
 * core by default, shared by every session), listens on TCP, and runs each client in its own
 * isolated session (core/inference/service.ts), with safe limits by default: an idle timeout, a
 * session cap, and caps on the bytes buffered per session and in total (the TCP transport's
 * options). Logs one JSON line per event on stderr, or in a file. SIGTERM or SIGINT drains:
 * running sessions finish, new ones are refused, then the process exits 0. Repeated signals change
 * nothing (a terminal's Ctrl-C may arrive through several processes); SIGKILL stops at once.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { jsonLinesLog } from '../../core/inference/service-log.ts';
import { InferenceService } from '../../core/inference/service.ts';
import { loadModel } from '../../core/model/model-store.ts';
import { numberOption } from '../args.ts';
import { UsageError, type Command } from '../command.ts';
import { tcpConfig } from '../tcp-options.ts';

export const DEFAULT_PORT = 7470;
const DEFAULTS = { host: '127.0.0.1', maxSessions: 16, idleTimeoutSeconds: 60 } as const;
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * Resolves with the first of `signals` the process receives. The handlers stay until `dispose`,
 * so that a repeated signal is ignored instead of ending the process in the middle of the drain.
 */
function firstSignal(signals: readonly NodeJS.Signals[]): { received: Promise<NodeJS.Signals>; dispose: () => void } {
  let handler!: (signal: NodeJS.Signals) => void;
  const received = new Promise<NodeJS.Signals>((resolve) => (handler = resolve));
  for (const s of signals) process.on(s, handler);
  return { received, dispose: () => signals.forEach((s) => process.off(s, handler)) };
}

async function closeStream(stream: WriteStream | undefined): Promise<void> {
  if (stream) await new Promise<void>((resolve) => stream.end(resolve));
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve private inference of a model over TCP: each client in its own session, structured logs, drains on SIGTERM',
  usage: '--model <name|dir> [--host <addr>] [--port <n>] [--max-sessions <n>] [--idle-timeout <s>] [--workers <n>] [--log <file>]',
  description:
    'The model owner\'s side of private inference. Loads the model, prepares its weights in a pool of HE worker threads ' +
    '(shared by all sessions), and listens on TCP. Each connection is one client session, isolated from the others: ' +
    'a client that disconnects, stalls or sends garbage ends only its own session, whose keys and buffers are released. ' +
    'The server announces the protocol version, the public architecture and the model fingerprint; the weights never ' +
    'leave the process. Limits: sessions beyond --max-sessions are refused with a reason the client reports; a client ' +
    'silent (or not reading) for --idle-timeout is dropped; the bytes a session holds unread, and all sessions together, ' +
    'are capped (the tcp transport options maxBufferedBytes, 64 MiB, and maxTotalBufferedBytes, 256 MiB, in --config). ' +
    'Logs one JSON object per line on stderr (or --log): listening, session-start, phase (handshake, he-keys, base-ot, ' +
    'then offline and online per inference, with seconds and bytes), session-end (with the process\'s memory and live ' +
    'native objects), session-error (with the cause), session-refused, draining, stopped. Never a share, key, label or ' +
    'weight. SIGTERM or SIGINT drains (running sessions finish, new ones are refused), then exits 0.',
  options: {
    model: { type: 'string', value: '<name|dir>', description: 'the model: a directory, a name under models/, or a built-in network (A, B, C, D, CIFAR, CIFAR-small)' },
    host: { type: 'string', value: '<addr>', description: `address to listen on (default ${DEFAULTS.host}; 0.0.0.0 or :: for every interface)` },
    port: { type: 'string', value: '<n>', description: `TCP port (default ${DEFAULT_PORT}; 0: any free port, logged in the listening event)` },
    'max-sessions': { type: 'string', value: '<n>', description: `sessions at once; a client beyond is refused, told to try again later (default ${DEFAULTS.maxSessions})` },
    'idle-timeout': {
      type: 'string',
      value: '<seconds>',
      description: `a client that sends nothing, or reads nothing, for this long loses its session (default ${DEFAULTS.idleTimeoutSeconds})`,
    },
    workers: { type: 'string', value: '<n>', description: 'HE worker threads, shared by all sessions (default: one per core)' },
    log: { type: 'string', value: '<file>', description: 'append the JSON-lines log to this file instead of stderr' },
  },
  examples: [
    { command: 'gazelle serve --model D', explanation: 'serve network D on 127.0.0.1:7470; clients run gazelle infer --connect 127.0.0.1:7470 --image ...' },
    { command: 'gazelle serve --model models/D --host 0.0.0.0 --port 9000 --max-sessions 32 --log serve.log', explanation: 'on every interface, up to 32 clients at once, logging to serve.log' },
  ],
  async run({ values, positionals, json, stdout, config, registry }) {
    if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    if (typeof values.model !== 'string' || values.model === '') throw new UsageError('missing --model');
    const port = numberOption(values.port, '--port', { min: 0, max: 65535, integer: true }) ?? DEFAULT_PORT;
    const maxSessions = numberOption(values['max-sessions'], '--max-sessions', { min: 1, max: 100_000, integer: true });
    const idle = numberOption(values['idle-timeout'], '--idle-timeout', { min: 0.1, max: 86_400 });
    const workers = numberOption(values.workers, '--workers', { min: 1, max: 256, integer: true }) ?? availableParallelism();
    const host = typeof values.host === 'string' ? values.host : DEFAULTS.host;
    const serving = tcpConfig(
      config,
      'gazelle serve',
      { maxSessions: DEFAULTS.maxSessions, idleTimeoutMs: DEFAULTS.idleTimeoutSeconds * 1000 },
      { maxSessions, idleTimeoutMs: idle === undefined ? undefined : Math.round(idle * 1000) },
    );
    const model = loadModel(values.model);
    const file = typeof values.log === 'string' ? createWriteStream(values.log, { flags: 'a' }) : undefined;
    // Signals that arrive while the model is being prepared stop the server as soon as it listens.
    const stop = firstSignal(STOP_SIGNALS);
    try {
      const service = await InferenceService.start({ config: serving, registry, model, address: { host, port }, heWorkers: workers, log: jsonLinesLog(file ?? process.stderr) });
      await stop.received;
      await service.drain();
      if (json) stdout(JSON.stringify({ sessions: service.sessions }, null, 2));
      return 0;
    } finally {
      stop.dispose();
      await closeStream(file);
    }
  },
};
