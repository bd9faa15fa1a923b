/**
 * The inference service's structured log: one JSON object per line, one line per event of the
 * service (listening, draining, stopped) and of each session (start, a phase done, end, error with
 * its cause, refusal). Records carry public figures only: ids, peer addresses, phase names,
 * seconds, byte counts, counts of sessions and native objects, and the messages of typed errors;
 * never a share, a label, a key, a weight or an input (a test scans a session's log for them).
 */
import type { PhaseRecord } from './server.ts';

/** How an error is logged: its type and message, then the chain of causes. */
export interface LoggedError {
  readonly type: string;
  readonly message: string;
  readonly cause?: LoggedError;
}

/** The server process's resources after a session (sampled to show that nothing grows). */
export interface ResourceRecord {
  readonly rssBytes: number;
  /** node-seal's wasm memory, summed over the HE workers. */
  readonly wasmHeapBytes: number;
  /** node-seal objects alive, summed over the HE workers (constant between sessions: the prepared model). */
  readonly liveObjects: number;
}

export type ServiceEvent =
  | {
      readonly event: 'listening';
      /** The serving process (for supervisors and tests). */
      readonly pid: number;
      readonly host: string;
      readonly port: number;
      readonly model: string;
      readonly architectureFingerprint: string;
      readonly modelFingerprint: string;
      readonly protocol: string;
      readonly workers: number;
    }
  | { readonly event: 'session-start'; readonly session: string; readonly peer: string }
  | ({ readonly event: 'phase'; readonly session: string } & PhaseRecord)
  | {
      readonly event: 'session-end';
      readonly session: string;
      readonly inferences: number;
      readonly seconds: number;
      /** The smallest flooding margin of the session's returned ciphertexts; null if none was returned. */
      readonly minMarginBits: number | null;
      readonly resources: ResourceRecord;
    }
  | { readonly event: 'session-error'; readonly session: string; readonly seconds: number; readonly error: LoggedError; readonly resources?: ResourceRecord }
  | { readonly event: 'session-refused'; readonly peer: string; readonly reason: string }
  | { readonly event: 'draining'; readonly activeSessions: number }
  | { readonly event: 'stopped'; readonly completed: number; readonly failed: number; readonly refused: number };

/** Where events go. */
export interface ServiceLog {
  write(event: ServiceEvent): void;
}

/** Events as JSON lines on `out` (stderr, a file), each with its time. */
export function jsonLinesLog(out: { write(text: string): unknown }): ServiceLog {
  return {
    write(event) {
      out.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
    },
  };
}

/** An error and its causes, as logged (depth-limited: a cycle of causes must not hang the log). */
export function loggedError(error: unknown, depth = 0): LoggedError {
  const e = error instanceof Error ? error : new Error(String(error));
  const cause = depth < 4 && e.cause !== undefined ? loggedError(e.cause, depth + 1) : undefined;
  return { type: e.name, message: e.message, ...(cause ? { cause } : {}) };
}
