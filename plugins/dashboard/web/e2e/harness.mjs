// Starts the real Fleet API simulator and the real host for the browser test and the benchmark, and launches
// Debian's Chromium through playwright-core (never a downloaded browser).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const SOURCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what, fn, timeoutMs = 30_000, everyMs = 100) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

export async function http(base, method, p, { body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: r.status, json, text, headers: r.headers };
}

// A child process whose output goes to `log`; killed (SIGTERM, then SIGKILL) by stop().
function spawnLogged(cmd, args, log, env = {}) {
  const out = fs.openSync(log, 'a');
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
  };
}

export async function startSim(buildDir, dir, { scenario = 'test', speed = 0 } = {}) {
  const log = path.join(dir, 'sim.log');
  const p = spawnLogged(path.join(buildDir, 'bin', 'tessie-fleet-sim'),
    ['--listen', '127.0.0.1:0', '--scenario', path.join(SOURCE_DIR, 'sim', 'scenarios', `${scenario}.yaml`),
     '--speed', String(speed)], log);
  const url = await waitFor('the simulator to listen', () => {
    if (p.child.exitCode !== null) throw new Error(`the simulator exited; see ${log}`);
    const m = /http:\/\/127\.0\.0\.1:\d+/.exec(fs.readFileSync(log, 'utf8'));
    return m ? m[0] : null;
  }, 20_000);
  return { ...p, url, log };
}

// Host on SQLite in dir/data with the shipped plugins; `config` is appended to the generated YAML.
export async function startHost(buildDir, dir, { config = '', password, port } = {}) {
  port = port ?? (await freePort());
  const file = path.join(dir, 'config.yaml');
  fs.writeFileSync(file,
    `server:\n  listen: 127.0.0.1:${port}\ndata_dir: ${path.join(dir, 'data')}\n` +
    `plugin_dir: ${path.join(buildDir, 'lib', 'tessie-stats', 'plugins')}\n${config}`);
  const log = path.join(dir, 'host.log');
  const p = spawnLogged(path.join(buildDir, 'bin', 'tessie-stats'), ['--config', file], log,
    { TESSIE_ADMIN_PASSWORD: password });
  const base = `http://127.0.0.1:${port}`;
  await waitFor('the host to answer /api/health', async () => {
    if (p.child.exitCode !== null) throw new Error(`the host exited; see ${log}`);
    return (await http(base, 'GET', '/api/health')).status === 200;
  }, 30_000);
  return { ...p, base, port, log };
}

export async function login(base, password) {
  const r = await http(base, 'POST', '/api/auth/login', { body: { password } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status}`);
  return r.json.token;
}

export function randomPassword() {
  return `e2e-${randomBytes(9).toString('base64url')}`;
}

// Debian's chromium, headless, with a fresh profile; nothing leaves the machine on its own.
export async function launchBrowser(viewport = { width: 1280, height: 900 }) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tessie-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--no-first-run', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
