/** The public slot layouts of every linear part, computed once per plan from the kernels' geometry. */
import type { HeParameterSource, LinearKernels } from '../linear.ts';
import type { PartLayouts } from './layers/context.ts';
import type { LinearPart } from './plan.ts';

export function layoutCache(kernels: LinearKernels, he: HeParameterSource): (part: LinearPart) => PartLayouts {
  const cache = new WeakMap<LinearPart, PartLayouts>();
  return (part) => {
    let layouts = cache.get(part);
    if (!layouts) cache.set(part, (layouts = kernels.layouts(part.spec, he)));
    return layouts;
  };
}
