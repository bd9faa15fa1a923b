/**
 * One way to write circuits (swanky's `Fancy`), executed by several backends: plaintext, gate
 * counter, garbler, evaluator. A wire value `W` is a *bundle*: one wire of every circuit instance
 * being run together (e.g. one per neuron of a layer), so each call processes a whole batch and the
 * garbling backends hash all instances' gates at once.
 */
export interface CircuitBackend<W> {
  /** Number of circuit instances every wire bundle carries. */
  readonly instances: number;
  xor(a: W, b: W): W;
  and(a: W, b: W): W;
  not(a: W): W;
  /** The same public constant bit in every instance. */
  constant(bit: 0 | 1): W;
  /**
   * Independent AND gates of one circuit depth level, evaluated as one batch: result[i] = a[i] ∧ b[i].
   * Backends that hash (garbler, evaluator) do all of them in one AES batch.
   */
  andN(a: readonly W[], b: readonly W[]): W[];
}

/** A value of `width` bits, least significant bit first. */
export type WireVec<W> = W[];
