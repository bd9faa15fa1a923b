import { definePlugin } from '../../core/plugin.ts';
import { GazelleKernels, type GazelleKernelOptions } from './gazelle-kernels.ts';

export default definePlugin({
  kind: 'linear',
  name: 'gazelle',
  security: 'semi-honest',
  description: "GAZELLE's packed kernels: hybrid diagonal matvec, conv2d with input/output rotation chosen by cost",
  create: (options) => new GazelleKernels(options as GazelleKernelOptions),
});
