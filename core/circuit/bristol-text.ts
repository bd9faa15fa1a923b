/**
 * The text layer shared by both Bristol formats: a line scanner that keeps line numbers, strict
 * number parsing, and the gate-line grammar (`nin nout in... out... OP`), which the old format and
 * Bristol Fashion share. Work is linear in the text length; nothing is allocated from a declared size.
 */
import { CircuitFormatError } from '../errors.ts';
import { type Circuit, GATE_STRIDE, GateOp } from './circuit.ts';
import { DEFAULT_MAX_WIRES, validateCircuit } from './validate.ts';

/** Reader options shared by both formats. */
export interface BristolReadOptions {
  /** Reject files declaring more wires than this (default {@link DEFAULT_MAX_WIRES}). */
  readonly maxWires?: number;
}

/** One non-blank line, split into tokens. */
export interface TextLine {
  readonly tokens: readonly string[];
  /** 1-based line number in the text. */
  readonly line: number;
}

/** Iterates the non-blank lines of a text (LF or CRLF), with their line numbers. */
export class LineScanner {
  readonly #text: string;
  #pos = 0;
  #line = 0;

  constructor(text: string) {
    if (typeof text !== 'string') throw new TypeError('a Bristol circuit is read from a string');
    this.#text = text;
  }

  /** The next non-blank line, or undefined at the end of the text. */
  next(): TextLine | undefined {
    while (this.#pos < this.#text.length) {
      let end = this.#text.indexOf('\n', this.#pos);
      if (end < 0) end = this.#text.length;
      const raw = this.#text.slice(this.#pos, end);
      this.#pos = end + 1;
      this.#line++;
      const trimmed = raw.trim();
      if (trimmed.length > 0) return { tokens: trimmed.split(/\s+/), line: this.#line };
    }
    return undefined;
  }

  /** Line number of the end of the text (for "truncated" and "never set" messages). */
  get endLine(): number {
    return Math.max(1, this.#line);
  }

  /** The next non-blank line, or a "truncated" error naming what was expected. */
  expect(what: string): TextLine {
    const line = this.next();
    if (line === undefined) throw new CircuitFormatError(`file is truncated: expected ${what}`, this.endLine);
    return line;
  }
}

/** A non-negative decimal integer no larger than `max` (no signs, exponents, hex or fractions). */
export function parseCount(token: string, max: number, what: string, line: number): number {
  if (!/^\d{1,10}$/.test(token)) throw new CircuitFormatError(`${what} must be a non-negative integer, got ${JSON.stringify(token.slice(0, 20))}`, line);
  const value = Number(token);
  if (value > max) throw new CircuitFormatError(`${what} ${value} exceeds the limit ${max}`, line);
  return value;
}

/** A line of exactly `count` integers, each at most `max`. */
export function parseNumberLine(line: TextLine, count: number, max: number, what: string): number[] {
  if (line.tokens.length !== count) {
    throw new CircuitFormatError(`${what}: expected ${count} numbers, found ${line.tokens.length}`, line.line);
  }
  return line.tokens.map((t) => parseCount(t, max, what, line.line));
}

/** Growable flat gate list plus the source line of every gate. */
class GateBuffer {
  gates = new Int32Array(GATE_STRIDE * 64);
  lines = new Int32Array(64);
  count = 0;

  push(op: GateOp, a: number, b: number, out: number, line: number): void {
    if (this.count === this.lines.length) {
      const gates = new Int32Array(this.gates.length * 2);
      gates.set(this.gates);
      this.gates = gates;
      const lines = new Int32Array(this.lines.length * 2);
      lines.set(this.lines);
      this.lines = lines;
    }
    const k = this.count * GATE_STRIDE;
    this.gates[k] = op;
    this.gates[k + 1] = a;
    this.gates[k + 2] = b;
    this.gates[k + 3] = out;
    this.lines[this.count++] = line;
  }
}

// Maps, not object literals: a hostile gate name such as "constructor" must not hit a prototype.
const UNARY = new Map<string, GateOp>([['INV', GateOp.INV], ['EQW', GateOp.EQW]]);
const BINARY = new Map<string, GateOp>([['XOR', GateOp.XOR], ['AND', GateOp.AND]]);

/**
 * Read exactly `declaredGates` gate lines, then require the end of the text. `rename` maps a file wire
 * index to an IR wire index (identity for Bristol Fashion; the old format reverses bit order).
 * Wire indices are range-checked against `wireCount` here so `rename` only sees valid ones.
 * MAND (`2n n a.. b.. c.. MAND`, Bristol Fashion) becomes n AND gates.
 */
export function parseGates(
  scanner: LineScanner,
  declaredGates: number,
  wireCount: number,
  inputWidths: readonly number[],
  outputWidths: readonly number[],
  rename: (wire: number) => number = (w) => w,
): Circuit {
  const buffer = new GateBuffer();
  const wire = (token: string, line: number): number => {
    const w = parseCount(token, Number.MAX_SAFE_INTEGER, 'wire index', line);
    if (w >= wireCount) throw new CircuitFormatError(`wire ${w} is out of range [0, ${wireCount})`, line);
    return rename(w);
  };
  for (let g = 0; g < declaredGates; g++) {
    const { tokens, line } = scanner.expect(`gate ${g + 1} of ${declaredGates}`);
    if (tokens.length < 4) throw new CircuitFormatError(`gate line has ${tokens.length} fields, needs at least 4`, line);
    const nin = parseCount(tokens[0]!, wireCount, 'gate input count', line);
    const nout = parseCount(tokens[1]!, wireCount, 'gate output count', line);
    const name = tokens[tokens.length - 1]!;
    if (tokens.length !== nin + nout + 3) {
      throw new CircuitFormatError(`gate line declares ${nin} inputs and ${nout} outputs but has ${tokens.length - 3} wire fields`, line);
    }
    const arity = (i: number, o: number): void => {
      if (nin !== i || nout !== o) throw new CircuitFormatError(`${name} gate needs ${i} inputs and ${o} output, got ${nin} and ${nout}`, line);
    };
    const binary = BINARY.get(name);
    const unary = UNARY.get(name);
    if (binary !== undefined) {
      arity(2, 1);
      buffer.push(binary, wire(tokens[2]!, line), wire(tokens[3]!, line), wire(tokens[4]!, line), line);
    } else if (name === 'EQ') {
      arity(1, 1);
      const bit = tokens[2];
      if (bit !== '0' && bit !== '1') throw new CircuitFormatError(`EQ gate constant must be 0 or 1, got ${JSON.stringify(bit?.slice(0, 20))}`, line);
      buffer.push(GateOp.EQ, Number(bit), -1, wire(tokens[3]!, line), line);
    } else if (unary !== undefined) {
      arity(1, 1);
      buffer.push(unary, wire(tokens[2]!, line), -1, wire(tokens[3]!, line), line);
    } else if (name === 'MAND') {
      if (nout === 0 || nin !== 2 * nout) throw new CircuitFormatError(`MAND gate needs 2n inputs and n outputs, got ${nin} and ${nout}`, line);
      for (let i = 0; i < nout; i++) {
        buffer.push(GateOp.AND, wire(tokens[2 + i]!, line), wire(tokens[2 + nout + i]!, line), wire(tokens[2 + nin + i]!, line), line);
      }
    } else {
      throw new CircuitFormatError(`unknown gate ${JSON.stringify(name.slice(0, 20))} (known: XOR, AND, INV, EQ, EQW, MAND)`, line);
    }
  }
  const extra = scanner.next();
  if (extra !== undefined) throw new CircuitFormatError(`unexpected content after the ${declaredGates} declared gates`, extra.line);
  const circuit: Circuit = {
    wireCount,
    inputWidths,
    outputWidths,
    gates: buffer.gates.slice(0, buffer.count * GATE_STRIDE),
  };
  const lines = buffer.lines;
  const endLine = scanner.endLine;
  validateCircuit(circuit, (g) => (g < buffer.count ? lines[g] : endLine));
  return circuit;
}

/** The wire limit of `options`, checked. */
export function maxWiresOf(options: BristolReadOptions | undefined): number {
  const max = options?.maxWires ?? DEFAULT_MAX_WIRES;
  if (!Number.isSafeInteger(max) || max < 0) throw new RangeError(`maxWires must be a non-negative integer, got ${max}`);
  return max;
}
