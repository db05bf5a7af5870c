import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnvironment } from '../../tools/checks/clean-environment.js';

/** The environment the kit's tests and tools give the test runs they start (tools/checks/clean-environment.ts). */
const planted = {
  VITEST_POOL_ID: '3',
  TEST: 'true',
  npm_config_local_prefix: '/outer/kit',
  npm_lifecycle_script: 'vitest run -t "ex2|ex3"',
  INIT_CWD: '/outer/kit',
  NODE_OPTIONS: '--max-old-space-size=64',
  DLKIT_IMPL: '.bugged-variant',
  DLKIT_RESULTS_JSON: '/outer/results.json',
  DLKIT_REQUIRE_GPU: '1',
  DLKIT_WEBGPU_BACKEND: 'opengles',
  DLKIT_CLEAN_ENVIRONMENT_PROBE: 'a switch of the outer run',
};

afterEach(() => {
  for (const name of Object.keys(planted)) delete process.env[name];
});

describe('tools clean environment', () => {
  it("leaves out the outer run's vitest, npm and kit variables, keeps the machine's settings, adds the inner run's own", () => {
    const outer = { ...process.env };
    Object.assign(process.env, planted);
    const env = cleanEnvironment({ DLKIT_IMPL: 'exercises' });
    for (const name of [
      'VITEST_POOL_ID',
      'TEST',
      'npm_config_local_prefix',
      'npm_lifecycle_script',
      'INIT_CWD',
      'NODE_OPTIONS',
      'DLKIT_RESULTS_JSON',
      'DLKIT_CLEAN_ENVIRONMENT_PROBE',
    ]) {
      expect(env[name], `${name} of the outer run reached the inner one`).toBeUndefined();
    }
    expect(
      Object.keys(env).filter((name) => /^vitest/i.test(name)),
      'no VITEST* variable (the outer vitest sets VITEST, VITEST_MODE, VITEST_WORKER_ID…)',
    ).toEqual([]);
    expect(env).toMatchObject({
      DLKIT_IMPL: 'exercises',
      DLKIT_REQUIRE_GPU: '1',
      DLKIT_WEBGPU_BACKEND: 'opengles',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    });
    expect(env.PATH, 'the rest of the environment is kept').toBe(outer.PATH);
  });
});
