/**
 * The per-neuron non-linear function of a GAZELLE layer (core/circuit/lib/neuron.ts) as a garbled
 * program with the parties of the protocol: the server garbles and supplies, per neuron, its
 * prepared shares Q_j and mask (`neuronServerInputs`); the client evaluates with its shares c'_j
 * and decodes its new share. Run it over a whole layer at once: one instance per neuron.
 */
import { Gates } from '../circuit/lib/gates.ts';
import { neuron, neuronWidth, type NeuronSpec } from '../circuit/lib/neuron.ts';
import { functionProgram, type GcProgram } from './program.ts';

/** Garbler inputs: Q_1..Q_k then the mask; evaluator inputs: c'_1..c'_k (k = pool, w = bitlength(p) bits each). */
export function neuronProgram(spec: NeuronSpec): GcProgram {
  const w = neuronWidth(spec);
  const k = spec.pool ?? 1;
  return functionProgram({
    name: `neuron(${JSON.stringify(spec)})`,
    garblerWidths: Array<number>(k + 1).fill(w),
    evaluatorWidths: Array<number>(k).fill(w),
    run: (backend, values) => {
      const g = new Gates(backend);
      const xs = values.map((v) => [...v]);
      return [g.wires(neuron(g, spec, { server: xs.slice(0, k), mask: xs[k]!, client: xs.slice(k + 1) }))];
    },
  });
}
