import { describeAdapter, initWebGpu } from '../../framework/webgpu/context.js';
import { hiddenChecks, knownValue } from '../../tests/harness/checks.js';

/**
 * Not a grading check: the plan runs this one check in the students' sandbox, as a WebGPU component, to
 * learn whether the sandbox gets a WebGPU adapter at all (grader/checks/webgpu-probe.ts). Without one,
 * the WebGPU exercise is left ungraded with a warning instead of failing every student's kernels.
 */
export default hiddenChecks(
  'webgpu-probe',
  'WebGpuProbe',
  [
    knownValue({
      title: 'the sandbox has a WebGPU adapter',
      run: async () => describeAdapter((await initWebGpu()).adapter),
      verify: () => undefined,
    }),
  ],
  { webgpu: true },
);
