import { describeAdapter, initWebGpu } from '../../framework/webgpu/context.js';
import { publicCases } from '../case-api.js';

/**
 * Not a grading case: the plan runs this one case in the students' sandbox, as a WebGPU component, to
 * learn whether the sandbox gets a WebGPU adapter at all (plan.ts, `probeWebGpu`). Without one, the
 * WebGPU exercise is left ungraded with a warning instead of failing every student's kernels.
 */
export default publicCases('webgpu-probe', 'WebGpuProbe', [
  {
    id: 'webgpu-probe-adapter',
    title: 'the sandbox has a WebGPU adapter',
    run: async () => describeAdapter((await initWebGpu()).adapter),
  },
]);
