import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../src/driver/driver.js';
import { LiveHub } from '../../src/live/hub.js';
import { startLiveServer, type LiveServer } from '../../src/live/server.js';
import { launchBrowser, type LaunchedBrowser } from '../report/browser.js';
import { tempRunDir } from '../support/scenario.js';

/**
 * The dashboard page and its server with a hand-fed hub (no run): everything from the
 * run is shown as text, never markup; faults are refused when nothing runs and when
 * the request is cross-site; the final report replaces the page.
 */

const EVIL = '<img src=x onerror="alert(1)">';
let browser: LaunchedBrowser;
let hub: LiveHub;
let server: LiveServer;
const driver = new EventEmitter() as unknown as Driver;

beforeAll(async () => {
  browser = await launchBrowser();
  hub = new LiveHub([`rest${EVIL}`], ['order', 'inventory', 'payment', 'shipment']);
  server = await startLiveServer(hub, { host: '127.0.0.1', port: 0, title: `<script>alert(2)</script>` });
  const events = join(tempRunDir(), 'events');
  mkdirSync(events, { recursive: true });
  const now = Date.now() * 1000;
  const rec = (type: string, service: string, dt: number): string =>
    JSON.stringify({ eventId: `e-${type}`, orderId: `o-1${EVIL}`, customerId: `priya${EVIL}`, customerSeq: 1, type, seq: 1, intendedAtUs: now, emittedAtUs: now + dt, service, instance: 0, role: 'emitted', atUs: now + dt });
  writeFileSync(join(events, 'order-0.ndjson'), `${rec('order_initiated', 'order', 0)}\n${rec('order_created', 'order', 900)}\n`);
  writeFileSync(join(events, 'payment-0.ndjson'), `${rec('payment_failed', 'payment', 4000)}\n`);
  hub.transportStarting(`rest${EVIL}`, events);
  hub.attachDriver(driver);
  hub.story = [`Watch ${EVIL}`];
  hub.start();
  (driver as unknown as EventEmitter).emit('start', now - 2e6);
  (driver as unknown as EventEmitter).emit('tick', { counts: { attempted: 10, accepted: 10, completed: 8, failed: 1, errors: 1, dropped: 0, timedOut: 0 }, inFlight: 1, currentRate: 5, p99Ms: 3 });
  (driver as unknown as EventEmitter).emit('order', { orderId: 'o-1', intendedAtUs: now }, { outcome: 'completed', sentAtUs: now, endedAtUs: now + 5000 });
}, 600_000);

afterAll(async () => {
  hub?.stop();
  await server?.close();
  await browser?.close();
});

describe('the live page', () => {
  it('shows names, ids and the story as text, and runs no injected script', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(server.url);
    await page.waitForSelector('html[data-ticks]', { timeout: 10_000 });
    await page.waitForSelector('#lane tr.compensated', { timeout: 10_000 });
    expect(await page.textContent('h1')).toContain('<script>alert(2)</script>');
    expect(await page.textContent('#cards')).toContain(`rest${EVIL}`);
    expect(await page.textContent('#lane')).toContain(`o-1${EVIL} (priya${EVIL})`);
    expect(await page.textContent('#story')).toContain(EVIL);
    expect(await page.$('img')).toBeNull();
    expect(dialogs).toEqual([]);
    // the run's report replaces the page
    hub.finish('<!doctype html><html><head><title>report</title></head><body><h1 id="final">the report</h1></body></html>');
    await page.waitForSelector('#final', { timeout: 10_000 });
    expect(await page.$('#c-p99')).toBeNull();
    await page.close();
  }, 60_000);

  it('refuses a fault when nothing can be injected, a cross-site one, and one without a JSON body', async () => {
    const post = (headers: Record<string, string>, body: string) => fetch(`${server.url}faults`, { method: 'POST', headers, body });
    const idle = await post({ 'content-type': 'application/json' }, JSON.stringify({ action: 'kill', target: 'payment', seconds: 5 }));
    expect(idle.status).toBe(409);
    expect(((await idle.json()) as { error: string }).error).toMatch(/no transport is running|no running process/);
    expect((await post({ 'content-type': 'application/json', origin: 'http://evil.example' }, '{}')).status).toBe(403);
    expect((await post({ 'content-type': 'text/plain' }, '{}')).status).toBe(415);
    expect((await post({ 'content-type': 'application/json' }, JSON.stringify({ action: 'explode', target: 'payment' }))).status).toBe(400);
  });
});
