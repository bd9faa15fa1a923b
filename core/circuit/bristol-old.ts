/**
 * The old Bristol format (Tillich and Smart, "Circuits of basic functions suitable for MPC and FHE"):
 *
 * ```
 * G W
 * n1 n2 n3         bits of input 1, bits of input 2 (0 if none), bits of the single output
 *
 * 2 1 a b c XOR    same gate grammar as Bristol Fashion (XOR, AND, INV)
 * ```
 *
 * The byte-oriented circuits of that collection (AES, SHA-1, SHA-256) number bits the other way:
 * within every input and the output, the first wire is the most significant bit (bytes in order,
 * MSB first in each byte). With `bitOrder: 'msb-first'` (the default) the reader converts to the IR
 * convention, "wire j of a value is bit j, least significant first", by reversing the wire order
 * inside each value and renumbering the gates, so a value means the same integer whichever format
 * the circuit came from (for AES: the big-endian reading of the bytes, as with `aes_128.txt`).
 * The arithmetic circuits of the collection (e.g. `adder_32bit.txt`: wire j is bit j of each addend,
 * wire 32 of the sum is the carry) are already least significant bit first: read them with
 * `bitOrder: 'lsb-first'`, which keeps the numbering. Both facts are checked against references in
 * the tests (FIPS-197, SHA-1/SHA-256 of padded blocks, BigInt addition).
 * The values keep the file's order: the old AES circuit takes the plaintext first, then the key
 * (the Bristol Fashion `aes_*` take the key first). A zero-width input stays in `inputWidths` as 0.
 */
import { CircuitFormatError } from '../errors.ts';
import type { Circuit } from './circuit.ts';
import { type BristolReadOptions, LineScanner, maxWiresOf, parseGates, parseNumberLine } from './bristol-text.ts';

/** How the file numbers the bits of each value (see the module comment). */
export type OldBristolBitOrder = 'msb-first' | 'lsb-first';

export interface OldBristolReadOptions extends BristolReadOptions {
  /** Default `msb-first` (AES, SHA circuits); `lsb-first` for the arithmetic circuits. */
  readonly bitOrder?: OldBristolBitOrder;
}

/** Parse an old-format Bristol circuit into the IR (bit order converted; see the module comment). */
export function parseOldBristol(text: string, options?: OldBristolReadOptions): Circuit {
  const bitOrder = options?.bitOrder ?? 'msb-first';
  if (bitOrder !== 'msb-first' && bitOrder !== 'lsb-first') throw new RangeError(`bitOrder must be msb-first or lsb-first, got ${String(bitOrder)}`);
  const maxWires = maxWiresOf(options);
  const scanner = new LineScanner(text);
  const header = scanner.expect('the header "gates wires"');
  const [gateCount, wireCount] = parseNumberLine(header, 2, Number.MAX_SAFE_INTEGER, 'header "gates wires"') as [number, number];
  if (wireCount > maxWires) throw new CircuitFormatError(`declares ${wireCount} wires, more than the limit ${maxWires}`, header.line);
  const sizes = scanner.expect('the size line "n1 n2 n3"');
  const [n1, n2, n3] = parseNumberLine(sizes, 3, wireCount, 'size line "n1 n2 n3"') as [number, number, number];
  // Reversal inside each value is a wire permutation only if inputs and output do not overlap.
  if (n1 + n2 + n3 > wireCount) {
    throw new CircuitFormatError(`inputs (${n1} + ${n2}) and output (${n3}) need more than the ${wireCount} declared wires`, sizes.line);
  }
  if (gateCount > wireCount - n1 - n2) {
    throw new CircuitFormatError(`declares ${gateCount} gates but only ${wireCount - n1 - n2} non-input wires for their outputs`, header.line);
  }
  const outStart = wireCount - n3;
  const rename = (w: number): number => {
    if (w < n1) return n1 - 1 - w;
    if (w < n1 + n2) return 2 * n1 + n2 - 1 - w;
    if (w >= outStart) return outStart + wireCount - 1 - w;
    return w;
  };
  return parseGates(scanner, gateCount, wireCount, [n1, n2], [n3], bitOrder === 'msb-first' ? rename : undefined);
}
