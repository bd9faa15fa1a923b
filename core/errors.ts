/**
 * Typed errors. Every failure a user can cause or observe is one of these, with a message that
 * says what happened and what to do about it.
 */
export class GazelleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration, plugin selection, parameter set or CLI flag is invalid. */
export class ConfigError extends GazelleError {}

/** The peer sent something the protocol does not allow (bad encoding, wrong size, desynchronised step). */
export class ProtocolError extends GazelleError {}

/** The byte stream itself failed: closed, truncated, oversized frame, timeout. */
export class TransportError extends GazelleError {}

/** A cryptographic parameter or security margin requirement is not met. */
export class SecurityError extends GazelleError {}

/**
 * A circuit description (Bristol Fashion or old Bristol file, or a hand-built IR circuit) is
 * malformed: bad counts, unknown gate, wire out of range or used before it is set, truncated text.
 * `line` is the 1-based line of the offending text when the circuit came from a file.
 */
export class CircuitFormatError extends ConfigError {
  readonly line: number | undefined;

  constructor(message: string, line?: number, options?: { cause?: unknown }) {
    super(line === undefined ? message : `line ${line}: ${message}`, options);
    this.line = line;
  }
}

/** One reason a model cannot be imported: the node (and its operator), what is wrong, what to do. */
export interface ImportProblem {
  readonly node: string;
  readonly op: string;
  readonly problem: string;
  readonly fix: string;
}

/**
 * A model to import (ONNX) is unreadable, or uses operators, attributes or shapes the model format
 * cannot represent. `problems` lists every offending node at once, so one round of changes fixes them all.
 */
export class ModelImportError extends ConfigError {
  readonly problems: readonly ImportProblem[];

  constructor(source: string, problems: readonly ImportProblem[], options?: { cause?: unknown }) {
    const lines = problems.map((p) => `  - ${p.node === '' ? '' : `node "${p.node}" (${p.op}): `}${p.problem}; ${p.fix}`);
    super(`${source}: cannot import (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`, options);
    this.problems = problems;
  }
}
