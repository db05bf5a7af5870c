import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnvironment } from '../../tools/checks/clean-environment.js';
import { buildPlayground } from '../../tools/playground/build.js';
import { chromiumMissing, launchChromium } from '../../tools/browser/chromium.js';
import { servePlayground, type PlaygroundServer } from '../../tools/playground/server.js';
import { kitRoot } from './fixture-kit.js';

/**
 * The playground (issue 14) in headless Chromium: built from solutions/ and served as
 * `npm run playground` does, and the CLI itself on the stubs (kit-handout-run.test.ts builds it in a handout).
 * Progress is read from `document.body.dataset`. Screenshots go to playground-screenshots/
 * (git-ignored) for a person to look at.
 */
const screenshots = path.join(kitRoot, 'playground-screenshots');
let server: PlaygroundServer;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
const consoleErrors: string[] = [];

// Page-side code is written as strings: this file is type-checked without the DOM library.
const dataset = async (target: Page = page) =>
  (await target.evaluate('({ ...document.body.dataset })')) as Record<string, string>;
const canvasPicture = (id: string) => page.evaluate(`document.getElementById('${id}').toDataURL()`);
const until = (expression: string, timeout = 10_000, target: Page = page) =>
  target.waitForFunction(expression, null, { timeout });

async function shoot(name: string, target: Page = page): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  writeFileSync(path.join(screenshots, `${name}.png`), await target.screenshot({ fullPage: true }));
}

function watchConsole(target: Page, into: string[]): void {
  target.on('console', (message) => {
    if (message.type() === 'error') into.push(message.text());
  });
  target.on('pageerror', (error) => into.push(error.message));
}

const missing = chromiumMissing();

describe.skipIf(missing !== undefined)('tools playground', () => {
  beforeAll(async () => {
    server = await servePlayground({
      site: () => buildPlayground({ root: kitRoot, implementation: path.join(kitRoot, 'solutions') }),
    });
    browser = await launchChromium({ webgpu: true });
    page = await browser.context.newPage();
    watchConsole(page, consoleErrors);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads the spiral set with no console errors', async () => {
    await page.goto(server.url);
    await until("document.body.dataset.state === 'ready'", 20_000);
    expect(await page.textContent('#implementation')).toBe('solutions/');
    expect(await page.isHidden('#message')).toBe(true);
    expect(consoleErrors).toEqual([]);
  }, 30_000);

  it('training the spiral set lowers the loss and redraws the decision boundary', async () => {
    // Adam trains the preset fastest (the page's default is Sgd, which Exercise 1 alone provides).
    await page.selectOption('#optimizer', 'Adam');
    await until("document.body.dataset.state === 'ready' && document.getElementById('lr').value === '0.01'");
    const before = await dataset();
    const picture = await canvasPicture('boundary');
    await page.click('#train');
    await until('Number(document.body.dataset.iteration) >= 60', 30_000);
    await page.click('#train');
    await until("document.body.dataset.state === 'paused'");
    const after = await dataset();
    expect(
      Number(after.loss),
      `loss at iteration ${before.iteration}: ${before.loss}, at ${after.iteration}: ${after.loss}`,
    ).toBeLessThan(Number(before.loss) * 0.8);
    expect(Number(after.boundaryDraws)).toBeGreaterThan(Number(before.boundaryDraws));
    expect(await canvasPicture('boundary'), 'the boundary picture after training').not.toBe(picture);
    expect(after.backend).toBe('cpu');
    await shoot('spiral');
    expect(consoleErrors).toEqual([]);
  }, 45_000);

  it('the Digits view draws the filters, feature maps and a saliency map', async () => {
    await page.selectOption('#dataset', 'digits');
    await until("document.body.dataset.state === 'ready' && Number(document.body.dataset.saliencyDraws) > 0", 20_000);
    await page.click('#step');
    await until("document.body.dataset.iteration === '1' && document.body.dataset.state === 'paused'");
    const state = await dataset();
    expect(Number(state.filters), 'filters drawn (the first Conv has 4)').toBe(4);
    expect(Number(state.featureMaps)).toBeGreaterThan(0);
    // The saliency map is a picture with something on it, not a blank canvas.
    const inked = (await page.evaluate(`(() => {
      const canvas = document.querySelectorAll('#analysis canvas')[1];
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let coloured = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 1] < 250) coloured++;
      return coloured;
    })()`)) as number;
    expect(inked, 'coloured pixels in the saliency map').toBeGreaterThan(0);
    expect(await page.textContent('#analysis-text')).toMatch(/predicted \d with probability/);
    await shoot('digits');
    expect(consoleErrors).toEqual([]);
  }, 45_000);

  it('the WebGPU switch runs the network on the WGSL kernels (or says why it cannot)', async (context) => {
    await page.selectOption('#dataset', 'spiral');
    await until("document.body.dataset.state === 'ready'");
    const adapter = (await page.evaluate(
      '(async () => (navigator.gpu ? Boolean(await navigator.gpu.requestAdapter()) : false))()',
    )) as boolean;
    if (!adapter) {
      const reason = (await page.textContent('#gpu-status')) ?? '';
      expect(reason.length).toBeGreaterThan(0);
      context.skip(`no WebGPU adapter in this Chromium: ${reason}`);
    }
    await page.click('#webgpu');
    await until("document.body.dataset.backend === 'webgpu' && document.body.dataset.state === 'ready'", 30_000);
    expect(await page.textContent('#gpu-status')).toMatch(/^on: /);
    await page.click('#train');
    await until('Number(document.body.dataset.iteration) >= 3', 30_000);
    await page.click('#train');
    const state = await dataset();
    expect(state.state, (await page.textContent('#message')) ?? '').not.toBe('error');
    expect(Number.isFinite(Number(state.loss))).toBe(true);
    await shoot('webgpu');
    expect(consoleErrors).toEqual([]);
  }, 90_000);

  it('npm run playground on the stubs (DLKIT_IMPL=exercises, as in a handout) says what to implement first', async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      [path.join(kitRoot, 'node_modules/tsx/dist/cli.mjs'), 'tools/playground/playground.ts', '--port', '0'],
      {
        cwd: kitRoot,
        env: cleanEnvironment({ DLKIT_IMPL: 'exercises' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        const take = (chunk: Buffer) => {
          output += chunk.toString();
          const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(output);
          if (found) resolve(found[0]);
        };
        child.stdout!.on('data', take);
        child.stderr!.on('data', take);
        child.on('exit', () => reject(new Error(`npm run playground exited:\n${output}`)));
      });
      const stubs = await browser.context.newPage();
      const errors: string[] = [];
      watchConsole(stubs, errors);
      await stubs.goto(url);
      await until("document.body.dataset.state === 'error'", 20_000, stubs);
      expect(await stubs.textContent('#implementation')).toBe('exercises/');
      const message = (await stubs.textContent('#message')) ?? '';
      expect(message).toMatch(/^implement \S+.* first \(Exercise \d, handout: /);
      expect((await dataset(stubs)).missing, 'the stub named on body.dataset.missing').not.toBe('');
      const href = (await stubs.getAttribute('#message a', 'href')) ?? '';
      expect(href).toMatch(/^docs\/exercises\/\d-[a-z-]+\.md#/);
      // The link works: the handout section is served beside the page.
      expect((await stubs.request.get(new URL(href, url).href)).status()).toBe(200);
      expect(errors, 'a stub is a message on the page, not a console error').toEqual([]);
      await shoot('stubs', stubs);
      await stubs.close();
    } finally {
      child.kill();
    }
  }, 60_000);
});
