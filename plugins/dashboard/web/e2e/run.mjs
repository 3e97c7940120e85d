// End-to-end test of the dashboard: the real simulator (sim/scenarios/test.yaml, accelerated) and the real host
// with the shipped plugins on SQLite, driven through headless Chromium. Screenshots of every page (desktop and
// phone width) go to build/test-artifacts/dashboard/. Exit code 0 = every check passed.
//   node e2e/run.mjs --build-dir ../../../build
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { arg, http, launchBrowser, login, randomPassword, SOURCE_DIR, sleep, startHost, startSim, waitFor } from './harness.mjs';

const BUILD = path.resolve(arg('build-dir', path.join(SOURCE_DIR, 'build')));
const RUN_DIR = path.join(BUILD, 'test-runs', 'dashboard_e2e');
const SHOTS = path.join(BUILD, 'test-artifacts', 'dashboard');
const SPEED = Number(arg('speed', '1800'));
// The scenario's day: drives at 07:00, 10:00 and 17:00, a DC charge at 12:00, an AC charge at 18:00 (UTC).
const UNTIL = '2026-06-01T19:00:00Z';
const COMMUTER = { id: '1492932717794313', vin: 'LRW3F7EK4NC000001', name: 'Commuter' };
const TRIPPER = { id: '1492932717794314', vin: '7SAYGDEE1PA000002', name: 'Tripper' };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

const started = Date.now();
const passed = [];
function step(name) {
  passed.push(name);
  console.log(`ok ${passed.length} - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

fs.rmSync(RUN_DIR, { recursive: true, force: true });
fs.mkdirSync(RUN_DIR, { recursive: true });
fs.rmSync(SHOTS, { recursive: true, force: true });
fs.mkdirSync(SHOTS, { recursive: true });

const password = randomPassword();
let sim, host, browser, page;

async function shoot(name) {
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await sleep(300); // charts and the map follow the width
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
  // Usable on a phone: nothing makes the page wider than the screen (wide tables scroll inside their card).
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `${name}: the page is ${width} px wide on a ${PHONE.width} px screen`);
  // No table is cut off either: rows stack as cards, so no table is wider than its card (no sideways scrolling
  // inside it) and every cell's text is inside the screen.
  await expectUi(`${name}: no table cut off at ${PHONE.width} px`, async () => {
  const cut = await page.evaluate((w) => [...document.querySelectorAll('table')].flatMap((t) => {
    const box = t.parentElement.getBoundingClientRect();
    const out = [];
    if (t.scrollWidth > t.parentElement.clientWidth + 1) out.push(`${t.dataset.testid}: ${t.scrollWidth} px in ${t.parentElement.clientWidth} px`);
    for (const td of t.querySelectorAll('td')) {
      const r = td.getBoundingClientRect();
      if (r.width > 0 && (r.right > Math.min(w, box.right) + 1 || r.left < box.left - 1)) {
        out.push(`${t.dataset.testid}: "${td.textContent.trim().slice(0, 30)}" ends at ${Math.round(r.right)} px`);
        break;
      }
    }
    return out;
  }), PHONE.width);
  assert.deepEqual(cut, [], `${name}: tables cut off on a ${PHONE.width} px screen`);
  });
  await page.setViewportSize(DESKTOP);
}

// Checks of what issue 13 changed. TESSIE_E2E_SOFT=1 reports a failed one and goes on (to see every one of them
// fail against the app before the change, TESSIE_E2E_ASSETS); the run still fails at the end.
const SOFT = process.env.TESSIE_E2E_SOFT === '1';
const softFailures = [];
async function expectUi(name, fn) {
  try {
    await fn();
  } catch (e) {
    if (!SOFT) throw e;
    softFailures.push(name);
    console.log(`not ok (soft) - ${name}: ${String(e.message).split('\n')[0]}`);
  }
}

// Pixels of a chart's canvas in a series colour (what was drawn, not what was asked for).
async function pixelsOf(testId, hex) {
  return page.evaluate(([id, rgb]) => {
    const c = document.querySelector(`[data-testid=${id}] canvas`);
    if (!c) return 0;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(rgb.slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - r) < 12 && Math.abs(d[i + 1] - g) < 12 && Math.abs(d[i + 2] - b) < 12) n++;
    return n;
  }, [testId, hex]);
}

const chartAttr = async (testId, name) => page.locator(`[data-testid=${testId}]`).getAttribute(name);
const kw = (text) => {
  const m = /([\d.,]+) (k?)W/.exec(text);
  return m ? Number(m[1].replace(/,/g, '')) * (m[2] ? 1000 : 1) : NaN;
};

async function main() {
  sim = await startSim(BUILD, RUN_DIR, { speed: 0 });
  host = await startHost(BUILD, RUN_DIR, {
    password,
    config:
      `clock:\n  simulator_url: ${sim.url}\n` +
      `tesla:\n  base_url: ${sim.url}\n  auth_url: ${sim.url}/oauth2/v3/token\n  client_id: tessie-stats\n` +
      '  daily_budget_usd: 0.10\n' +
      'plugins:\n  vehicle:\n    places:\n      - {name: Home, latitude: 51.5, longitude: -0.12, radius_m: 150}\n' +
      '      - {name: Work, latitude: 51.52, longitude: -0.08, radius_m: 200}\n' +
      '  charging:\n    currency: GBP\n    price_per_kwh: 0.30\n    time_zone: Europe/London\n' +
      '  powerwall:\n    backfill_max_days: 3\n' +
      '  solar:\n    home_places: [Home]\n    grid_price_per_kwh: 0.30\n    feed_in_price_per_kwh: 0.08\n' +
      // A tile server that is not there: the map must still show the car and the paths.
      "  dashboard:\n    map_tile_url: 'http://127.0.0.1:9/{z}/{x}/{y}.png'\n    refresh_interval: 2s\n" +
      (process.env.TESSIE_E2E_ASSETS ? `    assets_dir: ${process.env.TESSIE_E2E_ASSETS}\n` : ''),
  });
  const token = await login(host.base, password);
  step('simulator and host started');

  browser = await launchBrowser(DESKTOP);
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(20_000);
  const apiCalls = [];
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) apiCalls.push({ method: r.request().method(), path: u.pathname, status: r.status() });
  });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  // Login: a wrong password is refused, the right one opens the dashboard.
  await page.goto(`${host.base}/vehicles/${COMMUTER.id}`);
  await page.waitForSelector('form[aria-label="Log in"]');
  await shoot('01-login');
  await page.fill('input[name=password]', 'not-the-password');
  await page.click('button[type=submit]');
  await page.getByText('Wrong password. Try again.').waitFor();
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(`**/vehicles/${COMMUTER.id}`);
  step('login page: wrong password refused, login returns to the page asked for');

  // Before the account is connected, the overview says so (with the way to Settings) instead of an empty page.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  const setup = page.locator('[data-testid=setup-progress]');
  await setup.and(page.locator('[data-phase=not_connected]')).waitFor();
  await setup.getByRole('link', { name: 'Connect your Tesla account' }).waitFor();
  step('dashboard: says the account is not connected yet, with the way to Settings');

  // Settings: connect the Tesla account with a refresh token from the simulator, through the form.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByText('Not connected').waitFor();
  const grant = await http(sim.url, 'POST', '/sim/tokens');
  await page.fill('input[aria-label="Tesla refresh token"]', grant.json.refresh_token);
  // The simulated day starts now (first drive at 07:00, 14 s away): the host scales job delays by the
  // simulator's speed when it schedules them, so the speed is set before the token starts the polling.
  await http(sim.url, 'POST', '/sim/clock', { body: { speed: SPEED } });
  await sleep(500);
  await page.getByRole('button', { name: 'Store token' }).click();
  await page.locator('[data-testid=tesla-connection]').getByText('Connected', { exact: true }).waitFor();
  const auth = await http(host.base, 'GET', '/api/auth/status', { token });
  assert.equal(auth.json.connected, true, 'GET /api/auth/status says connected after storing the token in the UI');
  step('settings: token stored through the UI, host connected');

  // Storing the token started discovery: both cars are listed within seconds, without "Sync now".
  await waitFor('both cars listed after connecting', async () =>
    (await http(host.base, 'GET', '/api/vehicles', { token })).json.total === 2, 20_000, 250);
  step('connecting lists the cars at once (no Sync now)');

  // Run the simulated day.
  // The vehicle page before the car's first data: its battery chart measures "the last 7 days" by the host's
  // (simulated) clock, months before the browser's, and says so in words when it has nothing.
  await expectUi('a car not read yet: no raw API error in its battery chart', async () => {
    await waitFor('the cars to be discovered', async () =>
      (await http(host.base, 'GET', '/api/vehicles', { token })).json.items.some((v) => String(v.id) === TRIPPER.id), 20_000, 100);
    const first = (await http(host.base, 'GET', `/api/vehicles/${TRIPPER.id}`, { token })).json;
    console.log(`# ${TRIPPER.name} when its page opens: state ${first.state}, last_data ${first.last_data}`);
    if (first.state === 'asleep' && !first.last_data) {
      await expectUi('a car found asleep: its card says how to get a first reading', async () => {
        await page.goto(`${host.base}/`);
        // By its link, not its name: the account lists Tripper without one, and it has not been read yet.
        await page.locator('[data-testid=vehicle-card]').filter({ has: page.locator(`a[href="/vehicles/${TRIPPER.id}"]`) })
          .getByText('Asleep — no data yet; Wake reads it once.').waitFor({ timeout: 5_000 }); // the clock runs
      });
    }
    await page.goto(`${host.base}/vehicles/${TRIPPER.id}`);
    await page.locator('section').filter({ has: page.getByRole('heading', { name: 'Battery level' }) })
      .locator('[data-testid=battery-chart], .muted, .error').first().waitFor();
    await sleep(300);
    assert.equal(await page.getByText(/must be after|HTTP \d{3}/).count(), 0, 'no raw API error on the vehicle page');
  });

  // The evening drive home (17:00): the clock is held while the car is on the road, and its page shows the drive
  // under way and follows the car instead of framing the morning's drive.
  await expectUi('while driving, the map shows the drive under way, not the previous one', async () => {
    await waitFor('the Commuter on the road after 17:00', async () => {
      if ((await http(sim.url, 'GET', '/sim/clock')).json.now < '2026-06-01T17:00:00Z') return false;
      const st = (await http(host.base, 'GET', `/api/vehicles/${COMMUTER.id}/state`, { token })).json;
      return st.activity === 'driving' || (st.shift_state != null && st.shift_state !== 'P') || st.speed_kmh > 0;
    }, 90_000, 20);
    await http(sim.url, 'POST', '/sim/clock', { body: { speed: 0 } });
    try {
      await page.goto(`${host.base}/vehicles/${COMMUTER.id}`);
      await page.locator('[data-testid=drives-table]').waitFor();
      await page.getByText(/^Driving now/).waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('[data-testid=map]').getAttribute('data-follows'), 'car');
      assert.equal(await page.getByText(/^Highlighted:/).count(), 0, 'the previous drive is not highlighted');
      step('vehicle page while driving: the drive under way, the map follows the car');
    } finally {
      await http(sim.url, 'POST', '/sim/clock', { body: { speed: SPEED } });
    }
  });

  await waitFor(`the simulated clock to reach ${UNTIL}`, async () => (await http(sim.url, 'GET', '/sim/clock')).json.now >= UNTIL,
    120_000, 250);
  await http(sim.url, 'POST', '/sim/clock', { body: { speed: 0 } });
  await sleep(500);
  const truth = (await http(sim.url, 'GET', '/sim/truth')).json;
  await waitFor('drives and charging sessions over REST', async () => {
    const drives = await http(host.base, 'GET', '/api/drives', { token });
    const sessions = await http(host.base, 'GET', '/api/charging/sessions', { token });
    return drives.json.total >= 2 && sessions.json.total >= 1;
  }, 20_000, 250);
  step(`simulated day run to ${UNTIL}`);

  // Dashboard: both cars with their battery level, the Powerwall's live flow and today's numbers.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  const cards = page.locator('[data-testid=vehicle-card]');
  await cards.filter({ hasText: COMMUTER.name }).waitFor();
  await cards.filter({ hasText: TRIPPER.name }).waitFor();
  for (const car of [COMMUTER, TRIPPER]) {
    const card = cards.filter({ hasText: car.name });
    await card.getByText(car.vin).waitFor();
    const apiState = (await http(host.base, 'GET', `/api/vehicles/${car.id}/state`, { token })).json;
    await waitFor(`${car.name}'s battery on the card`, async () =>
      (await card.locator('[data-testid=battery-level]').textContent()) === `${apiState.battery_level} %`, 10_000);
    const truthCar = truth.vehicles.find((v) => v.vin === car.vin);
    assert.ok(Math.abs(apiState.battery_level - truthCar.soc_pct) <= 5,
      `${car.name}: shown ${apiState.battery_level} %, simulator ${truthCar.soc_pct} %`);
  }
  const flow = page.locator('[data-testid=energy-flow]');
  await flow.getByText('Test Home').waitFor();
  const live = (await http(host.base, 'GET', '/api/energy/sites/123456/live', { token })).json;
  assert.ok(live.timestamp, 'the host has a live status of the site');
  const solarShown = await flow.locator('[data-testid=flow-solar]').textContent();
  assert.match(solarShown, /\d+(\.\d)? k?W/);
  const today = page.locator('[data-testid=today]');
  await today.waitFor();
  assert.doesNotMatch(await today.textContent(), /Solar produced—/, 'today has a solar figure');
  // The flow balances: the site's load includes the wall connector, so Home shows the load without the car.
  await expectUi('the live flow balances', async () => {
    const liveNow = (await http(host.base, 'GET', '/api/energy/sites/123456/live', { token })).json;
    const carW = Math.max(0, liveNow.wall_connector_power_w ?? 0);
    if (carW > 20) {
      await waitFor('the flow to show the home without the car', async () =>
        Math.abs(kw(await flow.locator('[data-testid=flow-home]').textContent()) - (liveNow.load_power_w - carW)) <= 100, 10_000);
      const shown = {};
      for (const k of ['solar', 'grid', 'battery', 'home', 'car']) {
        const el = flow.locator(`[data-testid=flow-${k}]`);
        shown[k] = (await el.count()) ? kw(await el.textContent()) : 0;
      }
      const grid = liveNow.grid_power_w ?? 0;
      const battery = liveNow.battery_power_w ?? 0;
      const sources = shown.solar + (grid > 0 ? shown.grid : 0) + (battery > 0 ? shown.battery : 0);
      const sinks = shown.home + shown.car + (grid < 0 ? shown.grid : 0) + (battery < 0 ? shown.battery : 0);
      assert.ok(Math.abs(sources - sinks) <= 200, `the flow balances: in ${sources} W, out ${sinks} W (${JSON.stringify(shown)})`);
      step(`live flow balances while the car charges at ${carW} W: home ${shown.home} W + car ${shown.car} W`);
    } else {
      console.log(`# the car is not charging at ${UNTIL} (wall connector ${carW} W): the flow balance is checked by Vitest only`);
    }
  });
  await shoot('02-dashboard');
  step('dashboard: both cars with the API battery levels, Powerwall flow, today');

  // Wake and Sync now reach the API (and, for Wake, the Fleet API).
  const wakesBefore = (await http(sim.url, 'GET', '/sim/requests?limit=20000')).json.requests
    .filter((r) => r.path.includes('wake_up')).length;
  const commuterCard = cards.filter({ hasText: COMMUTER.name });
  await commuterCard.getByRole('button', { name: 'Wake' }).click();
  await waitFor('POST /api/vehicles/:id/wake from the page', () =>
    apiCalls.find((c) => c.method === 'POST' && c.path === `/api/vehicles/${COMMUTER.id}/wake` && c.status === 202), 15_000);
  await waitFor('a wake_up request at the simulator', async () =>
    (await http(sim.url, 'GET', '/sim/requests?limit=20000')).json.requests.filter((r) => r.path.includes('wake_up')).length >
      wakesBefore, 15_000);
  await commuterCard.getByRole('button', { name: 'Sync now' }).click();
  await waitFor('POST /api/vehicles/:id/sync from the page', () =>
    apiCalls.find((c) => c.method === 'POST' && c.path === `/api/vehicles/${COMMUTER.id}/sync` && c.status === 202), 15_000);
  const runsBefore = (await http(host.base, 'GET', '/api/sync/status', { token })).json.jobs.reduce((n, j) => n + j.runs, 0);
  await page.getByRole('button', { name: 'Sync all now' }).click();
  await page.getByText(/Sync started \(\d+ jobs\)/).waitFor();
  await waitFor('sync jobs to run after Sync all now', async () =>
    (await http(host.base, 'GET', '/api/sync/status', { token })).json.jobs.reduce((n, j) => n + j.runs, 0) > runsBefore,
    15_000, 200);
  step('Wake reaches the simulator; Sync now and Sync all now run the sync');

  // Vehicle detail: status, charging, map with the path of the latest drive, drives, battery chart.
  await commuterCard.getByRole('link', { name: COMMUTER.name }).click();
  await page.waitForURL(`**/vehicles/${COMMUTER.id}`);
  const status = page.locator('[data-testid=vehicle-status]');
  await status.waitFor();
  const detailState = (await http(host.base, 'GET', `/api/vehicles/${COMMUTER.id}/state`, { token })).json;
  await status.getByText(`${detailState.battery_level} %`).first().waitFor();
  await page.locator('[data-testid=charging-status]').getByText(detailState.charging_state ?? '—').first().waitFor();
  const drivesTable = page.locator('[data-testid=drives-table]');
  await drivesTable.waitFor();
  const apiDrives = (await http(host.base, 'GET', `/api/drives?vehicle=${COMMUTER.id}`, { token })).json;
  const truthDrives = truth.vehicles.find((v) => v.vin === COMMUTER.vin).drives;
  // (The page was open during the evening drive: its list refreshes when the page opens again.)
  await waitFor('every drive of the API in the table', async () =>
    (await drivesTable.locator('tbody tr').count()) === apiDrives.items.length, 10_000);
  assert.equal(apiDrives.items.length, truthDrives.length, 'one drive per simulated drive');
  const firstRow = await drivesTable.locator('tbody tr').first().textContent();
  const km = Number(/([\d.]+) km/.exec(firstRow)[1]);
  assert.ok(truthDrives.some((d) => Math.abs(d.distance_km - km) < 1.5), `drive of ${km} km matches the simulator`);
  await waitFor('the drive path on the map', async () =>
    Number(await page.locator('[data-testid=map]').getAttribute('data-paths')) >= 1, 10_000);
  assert.ok(await page.locator('.leaflet-overlay-pane path, .leaflet-overlay-pane canvas').count() > 0, 'the path is drawn');
  await waitFor('the battery chart', async () =>
    Number(await page.locator('[data-testid=battery-chart]').getAttribute('data-points')) >= 2, 10_000);
  assert.ok(await page.locator('[data-testid=battery-chart] canvas').count() > 0);
  await expectUi('the battery chart: two axes, 24 h by the host clock, no raw error', async () => {
    assert.equal(await chartAttr('battery-chart', 'data-axes'), '2', 'battery % and range have an axis each');
    // The last 24 h are the host's (the simulator's) 24 h, whatever the browser's clock says: the chart has the
    // day's samples and no error text.
    await page.getByRole('group', { name: 'Period' }).getByRole('button', { name: '24 h' }).click();
    await waitFor('the 24 h battery chart', async () => Number(await chartAttr('battery-chart', 'data-points')) >= 2, 10_000);
    const simNow = Date.parse((await http(sim.url, 'GET', '/sim/clock')).json.now) / 1000;
    assert.ok(Number(await chartAttr('battery-chart', 'data-x-max')) <= simNow + 3600,
      'the battery chart ends at the simulated now');
    assert.equal(await page.getByText(/must be after/).count(), 0, 'no raw API error on the vehicle page');
  });
  await shoot('03-vehicle');
  step('vehicle page: status, charging, drives match the simulator, path on the map without tiles, battery chart');

  // Charging history: sessions, per-month statistics and chart.
  await page.getByRole('link', { name: 'Charging' }).click();
  const table = page.locator('[data-testid=charging-table]');
  await table.waitFor();
  const apiSessions = (await http(host.base, 'GET', '/api/charging/sessions?limit=25', { token })).json;
  assert.equal(await table.locator('tbody tr').count(), apiSessions.items.length);
  const dc = apiSessions.items.find((s) => s.charger_kind === 'DC');
  assert.ok(dc, 'the DC charge of the scenario is stored');
  const dcRow = table.locator('tbody tr').filter({ hasText: 'DC' }).first();
  assert.match(await dcRow.textContent(), new RegExp(`${dc.energy_added_kwh.toFixed(1).replace('.', '\\.')} kWh`));
  assert.match(await dcRow.textContent(), new RegExp(TRIPPER.name));
  await page.locator('[data-testid=charging-months]').getByText('2026-06').waitFor();
  await page.locator('[data-testid=charging-chart] canvas').waitFor();
  await expectUi('charging: no solar share for DC, a month axis with the bars drawn', async () => {
    assert.equal(await dcRow.locator('td[data-label=Solar]').textContent(), '—', 'a Supercharger session has no solar share');
    // Per month: a bar per month on a month axis (not days), and the bar is drawn.
    assert.equal(await chartAttr('charging-chart', 'data-kind'), 'bars-month');
    await waitFor('the month labels', async () => (await chartAttr('charging-chart', 'data-ticks')) === 'Jun 2026', 10_000);
    assert.ok(await pixelsOf('charging-chart', '#16a34a') + await pixelsOf('charging-chart', '#f59e0b') > 100,
      'the month\'s bars are drawn');
  });
  await shoot('04-charging');
  step('charging page: every session of the API with kWh and AC/DC, month statistics and chart');

  // Energy: today's totals and the chart; the year view.
  await page.getByRole('link', { name: 'Energy' }).click();
  const totals = page.locator('[data-testid=energy-totals]');
  await totals.waitFor();
  const solarDay = (await http(host.base, 'GET', '/api/energy/solar/stats?period=day', { token })).json;
  assert.ok(solarDay.produced_kwh > 0, 'the simulator\'s sun produced energy today');
  await totals.getByText(`${solarDay.produced_kwh.toFixed(1)} kWh`).first().waitFor();
  await totals.getByText(`${Math.round(solarDay.self_powered_pct)} %`).first().waitFor();
  await waitFor('the energy chart', async () =>
    Number(await page.locator('[data-testid=energy-chart]').getAttribute('data-points')) > 10, 10_000);
  await shoot('05-energy');
  await expectUi('energy: a bar per day by month and per month by year, drawn and framed', async () => {
    // Month: a bar per day. The scenario has one day of data: one bar, framed by a day's axis, and drawn.
    await page.getByRole('button', { name: 'Month' }).click();
    await page.locator('[data-testid=period]').getByText('June 2026').waitFor();
    await waitFor('the month chart', async () => (await chartAttr('energy-chart', 'data-kind')) === 'bars-day' &&
      Number(await chartAttr('energy-chart', 'data-points')) >= 1 && (await chartAttr('energy-chart', 'data-x-max')) !== null, 15_000);
    const monthSpan = Number(await chartAttr('energy-chart', 'data-x-max')) - Number(await chartAttr('energy-chart', 'data-x-min'));
    assert.ok(monthSpan > 0 && monthSpan <= 32 * 86400, `the month chart spans ${monthSpan / 86400} days`);
    assert.match(await chartAttr('energy-chart', 'data-ticks'), /^1 Jun/);
    assert.ok(await pixelsOf('energy-chart', '#f59e0b') > 100, 'the day\'s solar bar is drawn');
    await shoot('05b-energy-month');
    // Year: a bar per month.
    await page.getByRole('button', { name: 'Year' }).click();
    await page.locator('[data-testid=period]').getByText('2026').waitFor();
    await waitFor('the year chart', async () => (await chartAttr('energy-chart', 'data-kind')) === 'bars-month' &&
      Number(await chartAttr('energy-chart', 'data-points')) >= 1, 15_000);
    await waitFor('the year\'s month labels', async () => /Jun/.test(await chartAttr('energy-chart', 'data-ticks') ?? ''), 10_000);
    assert.ok(await pixelsOf('energy-chart', '#f59e0b') > 100, 'June\'s solar bar is drawn');
  });
  step('energy page: totals equal the API; 5-minute lines by day, a bar per day by month and per month by year');

  // Drivers: add one in the UI, see it over REST, reassign a drive to it.
  await page.getByRole('link', { name: 'Drivers' }).click();
  const name = `Alex ${Date.now() % 10000}`;
  await page.fill('form[aria-label="Add driver"] input[name=driver-name]', name);
  await page.locator('form[aria-label="Add driver"]').getByLabel(COMMUTER.name).check();
  await page.getByRole('button', { name: 'Add driver' }).click();
  await page.locator('[data-testid=drivers-list]').getByText(name).waitFor();
  const drivers = (await http(host.base, 'GET', '/api/drivers', { token })).json.items;
  const added = drivers.find((d) => d.name === name);
  assert.ok(added, 'the driver added in the UI is in GET /api/drivers');
  assert.deepEqual(added.default_for_vehicles.map(String), [COMMUTER.id]);
  const reassign = page.locator('[data-testid=reassign-table] tbody tr').filter({ hasText: TRIPPER.name }).first();
  await reassign.waitFor();
  await reassign.locator('select').selectOption(String(added.id));
  await waitFor('the drive reassigned over REST', async () => {
    const d = (await http(host.base, 'GET', `/api/drives?vehicle=${TRIPPER.id}`, { token })).json.items;
    return d.some((x) => x.driver_id === added.id && x.attribution === 'manual');
  }, 10_000);
  const driverCard = page.locator('[data-testid=driver]').filter({ hasText: name });
  await waitFor('the driver statistics', async () => /Drives\s*[1-9]/.test(await driverCard.textContent()), 10_000);
  step('drivers page: driver added in the UI is in GET /api/drivers; a drive reassigned to it');

  await expectUi('drivers: duplicate refused, rules edited, a driver deleted', async () => {
    // The same name again (other case, spaces) is refused: by the page, and by the host with a 409.
    await page.fill('form[aria-label="Add driver"] input[name=driver-name]', ` ${name.toUpperCase()} `);
    await page.getByRole('button', { name: 'Add driver' }).click();
    await page.locator('form[aria-label="Add driver"]').getByText(/exists already/).waitFor();
    const dup = await http(host.base, 'POST', '/api/drivers', { token, body: { name: ` ${name.toLowerCase()} ` } });
    assert.equal(dup.status, 409, `a duplicate name over REST: ${dup.status} ${dup.text}`);
    assert.equal(dup.json.error, 'conflict');
    assert.equal((await http(host.base, 'GET', '/api/drivers', { token })).json.items.filter((d) => d.name === name).length, 1);

    // Attribution rules are edited in the page: a weekday window for the Commuter.
    await driverCard.getByRole('button', { name: 'Edit' }).click();
    const editForm = page.locator('form[aria-label="Save driver"]'); // (the name is in an input now, not text)
    await editForm.getByRole('button', { name: '+ Time rule' }).click();
    await editForm.getByLabel('Mo', { exact: true }).check();
    await editForm.getByLabel('From (rule 1)').fill('06:00');
    await editForm.getByLabel('To (rule 1)').fill('08:00');
    await editForm.getByLabel('Vehicle of rule 1').selectOption(String(COMMUTER.id));
    await editForm.getByRole('button', { name: 'Save driver' }).click();
    await driverCard.getByText(/1 rule$/).waitFor();
    const ruled = (await http(host.base, 'GET', `/api/drivers/${added.id}`, { token })).json;
    assert.deepEqual(ruled.rules.map((r) => [r.weekdays, r.from, r.to, String(r.vehicle_id)]),
      [[[1], '06:00', '08:00', COMMUTER.id]], `the rule over REST: ${JSON.stringify(ruled.rules)}`);
    await shoot('06-drivers');

    // Delete the driver: their drives become unattributed (the Tripper drive assigned above).
    await driverCard.getByRole('button', { name: 'Delete' }).click();
    await driverCard.getByRole('button', { name: 'Delete driver' }).click();
    await driverCard.waitFor({ state: 'detached' });
    assert.equal((await http(host.base, 'GET', `/api/drivers/${added.id}`, { token })).status, 404);
    const orphans = (await http(host.base, 'GET', `/api/drives?vehicle=${TRIPPER.id}`, { token })).json.items;
    assert.ok(orphans.every((d) => d.driver_id !== added.id), 'no drive keeps the deleted driver');
    assert.ok(orphans.some((d) => d.driver_id === null && d.attribution === 'manual'), 'the reassigned drive is unattributed');
  });
  step('drivers: a duplicate name is refused (page and 409), rules edited in the page, a driver deleted');

  // Settings: connection, API cost, plugins.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.locator('[data-testid=api-cost]').waitFor();
  const sync = (await http(host.base, 'GET', '/api/sync/status', { token })).json;
  await page.locator('[data-testid=api-cost]').getByText(`$${sync.api_cost.total_usd.toFixed(2)}`).first().waitFor();
  assert.equal(await page.locator('[data-testid=sync-jobs] tbody tr').count(), sync.jobs.length, 'every sync job listed');
  await expectUi('Settings: Sync now reports running and done', async () => {
    // Sync now says what it is doing and when it is done.
    await page.locator('section').filter({ has: page.getByRole('heading', { name: 'Sync' }) })
      .getByRole('button', { name: 'Sync now' }).click();
    await page.locator('[data-testid=sync-feedback]').getByText(/^Sync (running|done)/).waitFor();
    await page.locator('[data-testid=sync-feedback]').getByText(/^Sync done: \d+ job runs/).waitFor({ timeout: 30_000 });
  });
  for (const p of ['vehicle', 'charging', 'drivers', 'powerwall', 'solar', 'dashboard']) {
    await page.locator('[data-testid=plugins] tr').filter({ hasText: p }).getByText('running').first().waitFor();
  }
  await page.getByRole('button', { name: 'miles' }).click();
  await shoot('07-settings');
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await cards.first().getByText(/ mi range/).waitFor();
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'km', exact: true }).click();
  step('settings: connected, API cost, Sync now reports done, every plugin running; miles apply to the dashboard');

  // An expired or foreign token sends the user back to the login page.
  await page.evaluate(() => sessionStorage.setItem('tessie.token', 'not-a-valid-token'));
  await page.goto(`${host.base}/charging`);
  await page.waitForSelector('form[aria-label="Log in"]');
  step('a refused token leads back to the login page');

  assert.deepEqual(softFailures, [], 'every check passed');
  assert.deepEqual(pageErrors, [], 'no script errors in the page');
  const shots = fs.readdirSync(SHOTS).filter((f) => f.endsWith('.png'));
  assert.equal(shots.length, 16, 'a desktop and a phone screenshot of every page (and of the energy month)');
  console.log(`dashboard e2e: ${passed.length} checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
    `screenshots in ${SHOTS}`);
}

let failed = false;
try {
  await main();
} catch (e) {
  failed = true;
  console.error(`not ok - ${e.stack ?? e}`);
  if (page) await page.screenshot({ path: path.join(SHOTS, 'failure.png'), fullPage: true }).catch(() => {});
  for (const p of [host, sim]) {
    if (p?.log && fs.existsSync(p.log)) {
      console.error(`--- last lines of ${p.log}`);
      console.error(fs.readFileSync(p.log, 'utf8').split('\n').slice(-25).join('\n'));
    }
  }
} finally {
  await browser?.close().catch(() => {});
  await host?.stop();
  await sim?.stop();
}
process.exit(failed ? 1 : 0);
