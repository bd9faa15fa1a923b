/**
 * The label-only reveal (design §2 step 5) as a garbled program: the index of the first largest of
 * k values held as shares (`argmaxOfShares`). The server garbles with its shares prepared by
 * `neuronServerInputs` (pool = k, mask unused); the client evaluates with its shares and decodes only
 * the index.
 */
import { Gates } from '../circuit/lib/gates.ts';
import { argmaxOfShares, neuronWidth } from '../circuit/lib/neuron.ts';
import { functionProgram, type GcProgram } from './program.ts';

/** Garbler inputs: Q_1..Q_k; evaluator inputs: c_1..c_k (w = bitlength(p) bits each); output: ⌈log2 k⌉ index bits. */
export function argmaxProgram(p: number, k: number): GcProgram {
  if (!Number.isSafeInteger(k) || k < 1) throw new RangeError(`argmax of ${k} values`);
  const w = neuronWidth({ p });
  return functionProgram({
    name: `argmax(p=${p}, k=${k})`,
    garblerWidths: Array<number>(k).fill(w),
    evaluatorWidths: Array<number>(k).fill(w),
    run: (backend, values) => {
      const g = new Gates(backend);
      const xs = values.map((v) => [...v]);
      return [g.wires(argmaxOfShares(g, p, xs.slice(k), xs.slice(0, k)))];
    },
  });
}
