// Benchmark helper (bench/dashboard_bench.py): loads the dashboard in headless Chromium against a running host
// and prints JSON figures. Cold loads: a fresh page with the HTTP cache disabled, the login token already in
// sessionStorage, so the figure is the dashboard's own paint.
//   node e2e/paint.mjs --url http://127.0.0.1:PORT --password ... [--runs 10]
import { arg, launchBrowser, login } from './harness.mjs';

const url = arg('url');
const runs = Number(arg('runs', '10'));
const token = await login(url, arg('password'));
const browser = await launchBrowser({ width: 1280, height: 900 });
const out = { runs, first_useful_paint_ms: [], first_contentful_paint_ms: [], year_chart_ms: [], year_draw_ms: [], year_history_ms: [], year_stats_ms: [], year_points: 0 };
try {
  for (let i = 0; i < runs + 1; i++) {
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.addInitScript((t) => sessionStorage.setItem('tessie.token', t), token);
    await page.goto(`${url}/`, { waitUntil: 'commit' });
    // Useful: every vehicle card shows its battery level, and the Powerwall flow shows the solar power.
    await page.waitForFunction(() => {
      const levels = [...document.querySelectorAll('[data-testid=battery-level]')];
      return levels.length > 0 && levels.every((e) => e.textContent?.includes('%')) &&
        document.querySelector('[data-testid=flow-solar]') !== null;
    }, null, { timeout: 30_000, polling: 'raf' });
    const t = await page.evaluate(() => ({
      useful: performance.now(),
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    }));
    // The energy page's previous calendar year: a bar per month (12 per series), summed by the host from a year
    // of 5-minute intervals.
    await page.getByRole('link', { name: 'Energy' }).click();
    await page.locator('[data-testid=energy-totals]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Year' }).click();
    await page.locator('[data-testid=energy-chart]').waitFor({ timeout: 30_000 });
    const t0 = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: 'Previous period' }).click();
    await page.waitForFunction(() => {
      const c = document.querySelector('[data-testid=energy-chart]');
      return c && c.getAttribute('data-kind') === 'bars-month' && Number(c.getAttribute('data-points')) >= 12 &&
        c.getAttribute('data-draw-ms') !== null;
    }, null, { timeout: 60_000, polling: 'raf' });
    const t1 = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
    // The REST requests of that step as the browser saw them (request start to last byte).
    const api = await page.evaluate((start) => performance.getEntriesByType('resource')
      .filter((e) => e.startTime >= start && e.name.includes('/api/energy/'))
      .map((e) => ({ path: new URL(e.name).pathname, ms: e.responseEnd - e.startTime })), t0);
    const took = (part) => api.filter((e) => e.path.includes(part)).reduce((sum, e) => sum + e.ms, 0);
    const points = await page.locator('[data-testid=energy-chart]').getAttribute('data-points');
    const drawMs = Number(await page.locator('[data-testid=energy-chart]').getAttribute('data-draw-ms'));
    await page.close();
    if (i === 0) continue; // warm-up: the host's first queries
    out.first_useful_paint_ms.push(t.useful);
    if (t.fcp !== null) out.first_contentful_paint_ms.push(t.fcp);
    out.year_chart_ms.push(t1 - t0);
    out.year_draw_ms.push(drawMs);
    out.year_history_ms.push(took('/history'));
    out.year_stats_ms.push(took('/solar/stats'));
    out.year_points = Number(points);
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
