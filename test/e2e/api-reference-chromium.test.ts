/**
 * The reference page of Keyway's API description, opened in a real browser (Debian's chromium,
 * driven by playwright-core) from a running server: it renders under its Content-Security-Policy
 * with no request leaving the server, shows every operation of `/keyway/openapi.json` with
 * Keyway's extensions marked, and its screenshot is written to the test output directory
 * (under the system's temporary directory; the path is printed).
 */
import { after, before, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startProcess, type RunningServer } from '../support/process.js';

const CHROMIUM = process.env.KEYWAY_CHROMIUM ?? '/usr/bin/chromium';
const OUTPUT = join(tmpdir(), 'keyway-test-output');

let server: RunningServer;
let dataDir: string;
let browser: Browser | undefined;

before(async () => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) throw new Error(`${CHROMIUM} is missing; .ci/run installs Debian's chromium`);
    return;
  }
  dataDir = mkdtempSync(join(tmpdir(), 'keyway-reference-'));
  server = await startProcess({ KEYWAY_DATA_DIR: dataDir });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('chromium renders /keyway/reference: every operation, extensions marked, nothing fetched elsewhere; screenshot written', async (t) => {
  if (!browser) return t.skip(`no chromium at ${CHROMIUM}`);
  const document = (await (await fetch(`${server.baseUrl}/keyway/openapi.json`)).json()) as { paths: Record<string, Record<string, any>> };
  let operations = 0;
  let extensions = 0;
  for (const item of Object.values(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters') continue;
      operations += 1;
      if (op['x-keyway-extension'] === true) extensions += 1;
    }
  }

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const elsewhere: string[] = [];
  const violations: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(server.baseUrl)) elsewhere.push(request.url());
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto(`${server.baseUrl}/keyway/reference`);
  assert.equal(response?.status(), 200);
  assert.equal(await page.title(), 'Keyway API reference');
  assert.equal(await page.locator('tbody tr').count(), operations);
  assert.equal(await page.locator('tr.ext').count(), extensions);
  assert.ok(extensions > 0);
  assert.equal(await page.locator('tr.ext .badge').first().textContent(), 'Keyway extension');
  // The stylesheet applied (nonce accepted by the policy): the extension rows are tinted.
  const tint = await page.locator('tr.ext').first().evaluate((row) => (globalThis as any).getComputedStyle(row).backgroundColor as string);
  assert.equal(tint, 'rgb(244, 241, 255)');
  assert.deepEqual(elsewhere, []);
  assert.deepEqual(violations, []);

  mkdirSync(OUTPUT, { recursive: true });
  const file = join(OUTPUT, 'api-reference.png');
  await page.screenshot({ path: file, fullPage: false });
  assert.ok(statSync(file).size > 1000);
  t.diagnostic(`screenshot: ${file}`);
  process.stdout.write(`api reference screenshot: ${file}\n`);
  await page.close();
});
