/** Test support: run an IR circuit between a garbler and an evaluator in this process. */
import type { Circuit } from '../../core/circuit/circuit.ts';
import { runGcLocally } from '../../core/gc/local-run.ts';
import { circuitProgram } from '../../core/gc/program.ts';
import type { GarblingScheme } from '../../core/garbling.ts';
import type { GcSessionRunOptions } from '../../core/gc/session.ts';
import type { OtExtension } from '../../core/ot.ts';
import type { Transport } from '../../core/transport.ts';
import { MemoryTransport } from '../../plugins/transport-memory/memory-transport.ts';

/**
 * `inputs[k][i]`: input value k of instance i; the garbler supplies the first `garblerValues`
 * values, the evaluator the rest. In-memory transport unless another is given.
 */
export function garbleCircuit(
  circuit: Circuit,
  garblerValues: number,
  inputs: readonly bigint[][],
  ot: OtExtension,
  options: Omit<GcSessionRunOptions, 'instances'> & { readonly scheme: GarblingScheme },
  transport: Transport = new MemoryTransport(),
) {
  return runGcLocally({
    transport,
    ot,
    program: circuitProgram(circuit, garblerValues),
    garblerInputs: inputs.slice(0, garblerValues),
    evaluatorInputs: inputs.slice(garblerValues),
    options: { ...options, instances: inputs[0]?.length ?? 1 },
  });
}
