/**
 * Gate-level operations with constant folding: the layer every library circuit is written on.
 * A bit is either a backend wire bundle `W` or a public constant known when the circuit is built
 * ({@link ZERO}, {@link ONE}); gates with a constant input are folded away (x ∧ 0 = 0, x ∧ 1 = x,
 * x ⊕ 1 = ¬x), so arithmetic on public constants (p, p/2, an index) costs no AND gates and every
 * AND count in this library is what reaches the backend.
 */
import type { CircuitBackend } from '../backend.ts';

/** A public constant bit (two singletons; compare by identity). */
export class ConstBit {
  static readonly ZERO = new ConstBit(0);
  static readonly ONE = new ConstBit(1);
  private constructor(readonly value: 0 | 1) {}
}

export const ZERO = ConstBit.ZERO;
export const ONE = ConstBit.ONE;

/** A wire bundle of the backend or a public constant. */
export type Bit<W> = W | ConstBit;
/** A value, least significant bit first (the IR convention). */
export type Bits<W> = Bit<W>[];

export function isConst<W>(x: Bit<W>): x is ConstBit {
  return x instanceof ConstBit;
}

export function constBit(bit: number | bigint | boolean): ConstBit {
  return bit ? ONE : ZERO;
}

/** The `width` low bits of a non-negative public integer, as constants, LSB first. */
export function constantBits(value: number | bigint, width: number): ConstBit[] {
  const v = BigInt(value);
  if (v < 0n || v >> BigInt(width) !== 0n) throw new RangeError(`constant ${v} does not fit in ${width} bits`);
  return Array.from({ length: width }, (_, i) => constBit((v >> BigInt(i)) & 1n));
}

/** Constant-folding front end of a {@link CircuitBackend}. */
export class Gates<W> {
  constructor(readonly backend: CircuitBackend<W>) {}

  xor(a: Bit<W>, b: Bit<W>): Bit<W> {
    if (isConst(a)) return a.value === 0 ? b : this.not(b);
    if (isConst(b)) return b.value === 0 ? a : this.backend.not(a);
    return this.backend.xor(a, b);
  }

  not(a: Bit<W>): Bit<W> {
    return isConst(a) ? constBit(a.value ^ 1) : this.backend.not(a);
  }

  and(a: Bit<W>, b: Bit<W>): Bit<W> {
    return this.andN([a], [b])[0]!;
  }

  /**
   * Independent ANDs as one batch: constants fold, the remaining pairs go to the backend in a single
   * `andN` call (one hash batch when garbling).
   */
  andN(a: readonly Bit<W>[], b: readonly Bit<W>[]): Bit<W>[] {
    if (a.length !== b.length) throw new RangeError(`andN: ${a.length} left operands but ${b.length} right operands`);
    const out: Bit<W>[] = new Array<Bit<W>>(a.length);
    const left: W[] = [];
    const right: W[] = [];
    const at: number[] = [];
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (isConst(x)) out[i] = x.value === 0 ? ZERO : y;
      else if (isConst(y)) out[i] = y.value === 0 ? ZERO : x;
      else {
        left.push(x);
        right.push(y);
        at.push(i);
      }
    }
    if (at.length > 0) this.backend.andN(left, right).forEach((w, j) => (out[at[j]!] = w));
    return out;
  }

  /** A backend wire for a bit (constants become `backend.constant`). */
  wire(bit: Bit<W>): W {
    return isConst(bit) ? this.backend.constant(bit.value) : bit;
  }

  /** Backend wires for a whole value, e.g. to hand a library result to code that expects `WireVec<W>`. */
  wires(bits: readonly Bit<W>[]): W[] {
    return bits.map((b) => this.wire(b));
  }
}
