/**
 * Bristol Fashion (Archer, Bogdanov, Lindell, Orsini, Smart et al.; the SCALE-MAMBA / emp-tool
 * circuit collection):
 *
 * ```
 * G W              gates, wires
 * niv w1 .. wniv   number of input values and their bit widths
 * nov w1 .. wnov   number of output values and their bit widths
 *
 * nin nout in.. out.. OP     one gate a line: XOR, AND, INV, EQ (constant), EQW (copy), MAND
 * ```
 *
 * Input values occupy the first wires in order, outputs the last wires. The file's wire numbering is
 * kept as is: wire j of a value is bit j of it, least significant first (for `aes_*` and `sha256`
 * the value is the big-endian reading of the bytes, docs/architecture.md §8), which is the IR convention.
 */
import { CircuitFormatError } from '../errors.ts';
import { type Circuit, GATE_STRIDE, GateOp } from './circuit.ts';
import { type BristolReadOptions, LineScanner, maxWiresOf, parseCount, parseGates, parseNumberLine, type TextLine } from './bristol-text.ts';
import { totalWidth, validateCircuit } from './validate.ts';

/** `n w1 .. wn`: a count followed by that many widths. */
function parseWidthLine(line: TextLine, wireCount: number, what: string): number[] {
  const n = parseCount(line.tokens[0]!, Number.MAX_SAFE_INTEGER, `number of ${what} values`, line.line);
  const widths = parseNumberLine({ tokens: line.tokens.slice(1), line: line.line }, n, wireCount, `${what} widths`);
  totalWidth(widths, what, wireCount, line.line);
  return widths;
}

/** Parse a Bristol Fashion circuit. Throws {@link CircuitFormatError} (with the line) on any defect. */
export function parseBristolFashion(text: string, options?: BristolReadOptions): Circuit {
  const maxWires = maxWiresOf(options);
  const scanner = new LineScanner(text);
  const header = scanner.expect('the header "gates wires"');
  const [gateCount, wireCount] = parseNumberLine(header, 2, Number.MAX_SAFE_INTEGER, 'header "gates wires"') as [number, number];
  if (wireCount > maxWires) throw new CircuitFormatError(`declares ${wireCount} wires, more than the limit ${maxWires}`, header.line);
  const inputWidths = parseWidthLine(scanner.expect('the input line "niv w1 .. wn"'), wireCount, 'input');
  const outputWidths = parseWidthLine(scanner.expect('the output line "nov w1 .. wn"'), wireCount, 'output');
  const inputs = inputWidths.reduce((s, w) => s + w, 0);
  // Single assignment: each gate sets at least one fresh wire that is not an input.
  if (gateCount > wireCount - inputs) {
    throw new CircuitFormatError(`declares ${gateCount} gates but only ${wireCount - inputs} non-input wires for their outputs`, header.line);
  }
  return parseGates(scanner, gateCount, wireCount, inputWidths, outputWidths);
}

const NAMES: Record<GateOp, string> = {
  [GateOp.XOR]: 'XOR',
  [GateOp.AND]: 'AND',
  [GateOp.INV]: 'INV',
  [GateOp.EQ]: 'EQ',
  [GateOp.EQW]: 'EQW',
};

/** Write an IR circuit as Bristol Fashion text (validated first; AND gates are never merged into MAND). */
export function writeBristolFashion(circuit: Circuit): string {
  validateCircuit(circuit);
  const { gates } = circuit;
  const count = gates.length / GATE_STRIDE;
  const lines: string[] = [
    `${count} ${circuit.wireCount}`,
    [circuit.inputWidths.length, ...circuit.inputWidths].join(' '),
    [circuit.outputWidths.length, ...circuit.outputWidths].join(' '),
    '',
  ];
  for (let k = 0; k < gates.length; k += GATE_STRIDE) {
    const op = gates[k] as GateOp;
    const a = gates[k + 1]!;
    const out = gates[k + 3]!;
    lines.push(op === GateOp.XOR || op === GateOp.AND ? `2 1 ${a} ${gates[k + 2]!} ${out} ${NAMES[op]}` : `1 1 ${a} ${out} ${NAMES[op]}`);
  }
  return `${lines.join('\n')}\n`;
}
