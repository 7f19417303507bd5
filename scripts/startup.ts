/**
 * Start-up cost of service processes, compiled (dist/) against TypeScript through tsx:
 * one service until ready, and the 4 services of a REST transport until all are ready.
 * Run alone on the machine: `npm run build && npx tsx scripts/startup.ts [runs]`.
 * Prints the median and the range of each, in ms.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const runs = Number(process.argv[2] ?? 7);
type Mod = typeof import('../src/runtime/service-process.js');
const SERVICES = ['inventory', 'payment', 'shipment', 'order'] as const;

async function measure(label: string, mod: Mod): Promise<void> {
  const one: number[] = [];
  const four: number[] = [];
  for (let r = 0; r < runs; r++) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
    const make = (service: (typeof SERVICES)[number]) =>
      new mod.ServiceProcess({ transport: 'rest', service, instance: 0, eventsDir: dir, rules: { paymentFailureRatio: 0, seed: 1 }, delayMs: 0, workMs: 0 }, join(dir, `${service}.log`));
    let t = performance.now();
    const single = make('payment');
    await single.start();
    one.push(performance.now() - t);
    await single.stop();
    t = performance.now();
    const all = SERVICES.map(make);
    await Promise.all(all.map((p) => p.start()));
    four.push(performance.now() - t);
    await Promise.all(all.map((p) => p.stop()));
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const fmt = (xs: number[]) => `median ${med(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
  console.log(`${label}: one service ${fmt(one)}; 4 REST services ${fmt(four)}; ${runs} runs`);
}

const compiled = (await import(pathToFileURL(join(process.cwd(), 'dist/src/runtime/service-process.js')).href)) as Mod;
const source = (await import('../src/runtime/service-process.js')) as Mod;
// alternate the order so neither always runs on a warmer machine
await measure('tsx (source)', source);
await measure('compiled (dist)', compiled);
await measure('tsx (source)', source);
await measure('compiled (dist)', compiled);
