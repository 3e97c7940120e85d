// The README's screenshot (docs/images/dashboard.png): the demo's household (sim/scenarios/demo.yaml with
// config/demo.yaml, as `make demo` runs it) after a simulated day and a half, in headless Chromium.
//   node e2e/readme-screenshot.mjs --build-dir ../../../build [--until 2026-03-03T21:30:00Z] [--out ../../../docs/images/dashboard.png]
// Needs the built host, simulator and dashboard (cmake --build); writes one PNG and prints its size.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { arg, http, launchBrowser, login, randomPassword, SOURCE_DIR, sleep, startHost, startSim, waitFor } from './harness.mjs';

const BUILD = path.resolve(arg('build-dir', path.join(SOURCE_DIR, 'build')));
const OUT = path.resolve(arg('out', path.join(SOURCE_DIR, 'docs', 'images', 'dashboard.png')));
// Tuesday 13:30 in Palo Alto: the sun is up, the Powerwall charging, a car at the office.
const UNTIL = arg('until', '2026-03-03T21:30:00Z');
const SPEED = 3600;
const RUN_DIR = path.join(BUILD, 'test-runs', 'readme_screenshot');
const MAX_BYTES = 300 * 1024;

fs.rmSync(RUN_DIR, { recursive: true, force: true });
fs.mkdirSync(RUN_DIR, { recursive: true });

let sim, host, browser;
try {
  sim = await startSim(BUILD, RUN_DIR, { scenario: 'demo', speed: 0 });
  // config/demo.yaml without the lines the harness writes itself (listen address, data and plugin directories).
  const demo = fs.readFileSync(path.join(SOURCE_DIR, 'config', 'demo.yaml'), 'utf8')
    .split('\n')
    .filter((l) => !/^(server:|  listen:|data_dir:|plugin_dir:)/.test(l))
    .join('\n')
    .replaceAll('SIMULATOR', sim.url);
  const password = randomPassword();
  host = await startHost(BUILD, RUN_DIR, { password, config: `${demo}\n` });
  const token = await login(host.base, password);

  // As in the browser test: the speed first (job delays are scaled when scheduled), then the account.
  await http(sim.url, 'POST', '/sim/clock', { body: { speed: SPEED } });
  await sleep(300);
  const grant = await http(sim.url, 'POST', '/sim/tokens');
  assert.ok((await http(host.base, 'POST', '/api/auth/token', { token, body: { refresh_token: grant.json.refresh_token } })).status < 300);
  await http(host.base, 'POST', '/api/sync/trigger', { token });
  await waitFor(`the simulated clock to reach ${UNTIL}`,
    async () => (await http(sim.url, 'GET', '/sim/clock')).json.now >= UNTIL, 180_000, 250);
  // A car that slept through the day has not been read yet: wake each one (as the card's Wake does), at a slow
  // clock so that the picture shows this moment, then stop the clock.
  await http(sim.url, 'POST', '/sim/clock', { body: { speed: 30 } });
  const cars = (await http(host.base, 'GET', '/api/vehicles', { token })).json.items;
  for (const car of cars) await http(host.base, 'POST', `/api/vehicles/${car.id}/wake`, { token });
  await waitFor('every car read', async () => {
    for (const car of cars) {
      const st = await http(host.base, 'GET', `/api/vehicles/${car.id}/state`, { token });
      if (st.status !== 200 || st.json.battery_level == null) {
        await http(host.base, 'POST', `/api/vehicles/${car.id}/sync`, { token });
        return false;
      }
    }
    return true;
  }, 60_000, 1000);
  await http(sim.url, 'POST', '/sim/clock', { body: { speed: 0 } });
  await http(host.base, 'POST', '/api/sync/trigger', { token });
  await waitFor('drives and a charging session', async () =>
    (await http(host.base, 'GET', '/api/drives', { token })).json.total >= 2 &&
    (await http(host.base, 'GET', '/api/charging/sessions', { token })).json.total >= 1, 30_000, 250);
  await sleep(3000); // the sync jobs triggered above finish

  browser = await launchBrowser({ width: 1280, height: 860 });
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.addInitScript((t) => sessionStorage.setItem('tessie.token', t), token);
  await page.goto(`${host.base}/`);
  await page.locator('[data-testid=vehicle-card] [data-testid=battery-level]').first().waitFor();
  await page.locator('[data-testid=energy-flow] [data-testid=flow-solar]').waitFor();
  await page.locator('[data-testid=today]').waitFor();
  await sleep(1500); // the flow's dashes and the fonts settle
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  await page.screenshot({ path: OUT, animations: 'disabled' });
  const bytes = fs.statSync(OUT).size;
  console.log(`${OUT}: ${(bytes / 1024).toFixed(0)} KB`);
  assert.ok(bytes < MAX_BYTES, `the screenshot is ${bytes} bytes; keep it under ${MAX_BYTES}`);
} finally {
  await browser?.close().catch(() => {});
  await host?.stop();
  await sim?.stop();
}
