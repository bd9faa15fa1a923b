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

/**
 * The server would not run a session for this connection and said why (its session cap is
 * reached, it is shutting down): nothing of the protocol ran, so trying again later, or another
 * replica, is safe.
 */
export class SessionRefusedError extends TransportError {
  constructor(
    message: string,
    /** The server's reason, as it sent it. */
    readonly reason: string,
  ) {
    super(message);
  }
}

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

/** Where in a model a problem lies: the file, the layer and the field, whichever are known. */
export interface ModelLocation {
  readonly file?: string;
  readonly layer?: string;
  readonly field?: string;
}

function located(where: ModelLocation, message: string): string {
  const prefix = [
    where.file,
    where.layer === undefined ? undefined : `layer "${where.layer}"`,
    where.field,
  ].filter((part) => part !== undefined);
  return prefix.length === 0 ? message : `${prefix.join(': ')}: ${message}`;
}

/** A problem with a model, located by file, layer and field (the message starts with them). */
export class ModelError extends ConfigError {
  readonly where: ModelLocation;
  /** The message without its location. */
  readonly detail: string;

  constructor(message: string, where: ModelLocation = {}, options?: { cause?: unknown }) {
    super(located(where, message), options);
    this.where = where;
    this.detail = message;
  }

  /** The same error, located in `file` (unless it already names a file). */
  inFile(file: string): ModelError {
    if (this.where.file !== undefined) return this;
    const Type = this.constructor as new (message: string, where: ModelLocation, options: { cause?: unknown }) => ModelError;
    return new Type(this.detail, { ...this.where, file }, { cause: this });
  }
}

/**
 * A model (architecture JSON, weights file, float model, or the two parts against each other) is
 * malformed or inconsistent.
 */
export class ModelFormatError extends ModelError {}

/**
 * A value of a quantised model does not fit the plaintext space: its magnitude reaches p/2, so
 * working mod p would wrap it around. The quantiser refuses such a model; the plaintext reference
 * throws it if a value ever gets there (the quantiser's proof would then be wrong).
 */
export class ModelRangeError extends ModelError {}

/** An image file (PNG, PGM, idx) is malformed, truncated, or not what the model takes. */
export class ImageFormatError extends ConfigError {
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.file = file;
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
export class ModelImportError extends ModelError {
  readonly problems: readonly ImportProblem[];

  constructor(source: string, problems: readonly ImportProblem[], options?: { cause?: unknown }) {
    const lines = problems.map((p) => `  - ${p.node === '' ? '' : `node "${p.node}" (${p.op}): `}${p.problem}; ${p.fix}`);
    super(`cannot import (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`, { file: source }, options);
    this.problems = problems;
  }
}
