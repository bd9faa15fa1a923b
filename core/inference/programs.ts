/** The garbled program of each garbled stage, built once per plan (both parties build the same). */
import { argmaxProgram } from '../gc/argmax-program.ts';
import { neuronProgram } from '../gc/neuron-program.ts';
import type { GcProgram } from '../gc/program.ts';
import type { ArgmaxStage, NonlinearStage } from './plan.ts';

const programs = new WeakMap<NonlinearStage | ArgmaxStage, GcProgram>();

export function garbledProgram(stage: NonlinearStage | ArgmaxStage, p: number): GcProgram {
  let program = programs.get(stage);
  if (!program) programs.set(stage, (program = stage.kind === 'nonlinear' ? neuronProgram(stage.neuron) : argmaxProgram(p, stage.classes)));
  return program;
}
