import { createInterface } from 'node:readline';
import { join, relative } from 'node:path';
import { Command } from 'commander';
import { ExitCode } from '../contract/error-catalogue.js';
import { ConfigError, UnreachableError } from '../contract/errors.js';
import { DEMO_STEPS, type DemoStep } from '../demo/steps.js';
import type { Driver } from '../driver/driver.js';
import { sentencesText } from '../findings/console.js';
import { runScenario } from '../runtime/run.js';
import { REPO_ROOT } from '../runtime/versions.js';
import { loadScenario } from '../scenario/load.js';
import { onInterrupt } from './interrupt.js';
import { startLive, type LiveFlags, type LiveSession } from './live.js';

/** the longest a demo step's warm-up waits for a steady run, ms */
const DEMO_MAX_WARMUP_MS = 10_000;

/**
 * `bench demo`: the course's story as a guided sequence of real, short runs. Before
 * each step it says what to watch (terminal and dashboard) and waits for Enter or the
 * page's button; after it, it says what that run measured.
 */

interface DemoFlags extends LiveFlags {
  list?: boolean;
  yes?: boolean;
}

export function command(): Command {
  return new Command('demo')
    .description('a guided demo of the course’s story with real short runs (happy path, per-customer order, payment outage, slow consumer)')
    .argument('[step]', `one step only: ${DEMO_STEPS.map((s) => s.name).join(', ')}`)
    .option('--list', 'list the steps')
    .option('--no-live', 'terminal only, no dashboard')
    .option('--port <n>', 'port of the dashboard (default 8090, or any free one)')
    .option('--bind <address>', 'address the dashboard listens on (default 127.0.0.1)')
    .option('--open', 'open the dashboard in a browser')
    .option('-y, --yes', 'do not wait for Enter between steps')
    .action(async (step: string | undefined, flags: DemoFlags) => {
      process.exitCode = await demo(step, flags);
    });
}

function listText(): string {
  const w = Math.max(...DEMO_STEPS.map((s) => s.name.length));
  return DEMO_STEPS.map((s, i) => `${i + 1}. ${s.name.padEnd(w)}  ${s.title} (${s.scenario}, ${s.transports.join(', ')})`).join('\n') + '\n';
}

function wrap(text: string, indent = '  ', width = 96): string {
  const out: string[] = [];
  let line = indent;
  for (const word of text.split(' ')) {
    if (line.trim() && line.length + word.length + 1 > width) {
      out.push(line);
      line = indent + word;
    } else line = line.trim() ? `${line} ${word}` : indent + word;
  }
  out.push(line);
  return out.join('\n');
}

/** Waits for Enter on a terminal or the dashboard's button; returns at once when neither can answer. */
async function waitForNext(live: LiveSession | undefined, prompt: string, skip: boolean): Promise<void> {
  const tty = process.stdin.isTTY === true;
  if (skip || (!tty && !live)) return;
  process.stdout.write(`\n${prompt}${tty ? ' — press Enter' : ''}${live ? `${tty ? ' or ' : ' — '}the button on ${live.url}` : ''}\n`);
  if (live) {
    live.hub.waitingForNext = true;
    live.hub.refresh();
  }
  await new Promise<void>((resolve) => {
    const rl = tty ? createInterface({ input: process.stdin }) : undefined;
    const done = (): void => {
      rl?.close();
      live?.hub.off('next', done);
      resolve();
    };
    rl?.once('line', done);
    live?.hub.once('next', done);
  });
  if (live) live.hub.waitingForNext = false;
}

async function demo(only: string | undefined, flags: DemoFlags): Promise<number> {
  if (flags.list) {
    process.stdout.write(listText());
    return ExitCode.ok;
  }
  const steps: DemoStep[] = only === undefined ? DEMO_STEPS : DEMO_STEPS.filter((s) => s.name === only || String(DEMO_STEPS.indexOf(s) + 1) === only);
  if (steps.length === 0) throw new ConfigError(`bench demo: unknown step "${only}"; expected one of ${DEMO_STEPS.map((s) => s.name).join(', ')} (bench demo --list)`);
  const { brokerEndpoints, brokerOf, pingBroker } = await import('../brokers/index.js');
  const messaging = [...new Set(steps.flatMap((s) => s.transports).filter((t) => t !== 'rest'))];
  const down = (await Promise.all(messaging.map((t) => pingBroker(brokerOf(t)!)))).find((p) => !p.answers);
  if (down) throw new UnreachableError(down.address, `${down.name} at ${down.address} is not answering; start the brokers with: npx bench brokers up`);

  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  let aborted = false;
  let current: Driver | undefined;
  const onSignal = (): void => {
    if (aborted) process.exit(ExitCode.aborted);
    aborted = true;
    process.stderr.write('\nstopping the demo after this run’s in-flight orders\n');
    current?.stop();
  };
  const offInterrupt = onInterrupt(onSignal);
  const live = flags.live === false ? undefined : await startLive('bench demo', [], flags, log);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  let lastHtml = '';
  try {
    for (const [i, step] of steps.entries()) {
      const heading = `Step ${DEMO_STEPS.indexOf(step) + 1} of ${DEMO_STEPS.length}: ${step.title}`;
      process.stdout.write(`\n${heading}\n${step.watch.map((w) => wrap(w)).join('\n')}\n`);
      if (live) live.hub.story = [heading, ...step.watch];
      await waitForNext(live, i === 0 ? 'Ready' : 'Next', flags.yes === true);
      if (aborted) break;
      const loaded = loadScenario(step.scenario);
      const scenario = structuredClone(loaded.scenario);
      step.shorten(scenario);
      // a room waits at most 10 s for a steady run (the result says when it was not)
      scenario.workload.maxWarmup ??= Math.max(scenario.workload.warmup, DEMO_MAX_WARMUP_MS);
      const out = await runScenario({
        loaded,
        scenario,
        overrides: { demo: step.name },
        transports: step.transports,
        endpoints: brokerEndpoints(),
        outDir: join(REPO_ROOT, 'reports', 'demo', stamp, step.name),
        log,
        aborted: () => aborted,
        ...(live ? live.hooks : {}),
        onDriver: (_t, d) => {
          current = d;
          if (aborted) d.stop();
          live?.attachDriver(d);
        },
      });
      const { writeReports } = await import('../report/index.js');
      const paths = await writeReports(out.result, out.dir);
      lastHtml = (await import('node:fs')).readFileSync(paths.html, 'utf8');
      const told = step.told(out.result);
      process.stdout.write(`\nWhat this step measured:\n${told.map((l) => (l.startsWith('    ') ? l : wrap(l))).join('\n')}\n\n${sentencesText(out.result)}report: ${relative(process.cwd(), paths.html)}\n`);
      if (live) live.hub.story = [heading, 'What this step measured:', ...told.filter((l) => !l.startsWith('    ')), `Report: ${relative(process.cwd(), paths.html)}`];
      if (out.result.status === 'aborted') break;
    }
    if (live && lastHtml) live.hub.finish(lastHtml);
    return aborted ? ExitCode.aborted : ExitCode.ok;
  } finally {
    await live?.close();
    offInterrupt();
  }
}
