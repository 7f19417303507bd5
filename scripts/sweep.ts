/**
 * What the rate-sweep scripts (driver-accuracy, transport-rates) share: the flags every
 * one takes (--rates, --seconds, --warmup, --json, --help) parsed and checked one way, and
 * the lines that say on what machine and under what load the figures were measured.
 */
import os from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ExitCode } from '../src/contract/error-catalogue.js';

type OwnOption = { type: 'string'; default?: string } | { type: 'boolean'; default?: boolean };

export interface Sweep<O extends Record<string, OwnOption>> {
  /** target rates, orders/s */
  rates: number[];
  seconds: number;
  warmupS: number;
  /** where to write the figures as JSON */
  json: string | undefined;
  /** the script's own flags */
  own: { [K in keyof O]: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { default: string } ? string : string | undefined };
}

/**
 * Parses the command line; `--help` prints `usage` and exits 0, a bad flag prints one line and
 * exits 104. `check` returns what is wrong with the script's own flags, if anything.
 */
export function parseSweep<O extends Record<string, OwnOption>>(o: {
  usage: string;
  defaults: { rates: string; seconds: string; warmup: string };
  own: O;
  check?: (own: Sweep<O>['own']) => string | undefined;
}): Sweep<O> {
  const options: ParseArgsConfig['options'] = {
    rates: { type: 'string', default: o.defaults.rates },
    seconds: { type: 'string', default: o.defaults.seconds },
    warmup: { type: 'string', default: o.defaults.warmup },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
    ...o.own,
  };
  const values = parseArgs({ options }).values as Record<string, string | boolean | undefined>;
  if (values.help) {
    console.log(o.usage);
    process.exit(ExitCode.ok);
  }
  const rates = String(values.rates).split(',').map((r) => Number(r.trim())).filter((r) => r > 0);
  const seconds = Number(values.seconds);
  const warmupS = Number(values.warmup);
  const own = values as Sweep<O>['own'];
  const wrong = rates.length === 0 || !(seconds > 0) || !(warmupS >= 0) ? 'bad flags: --rates needs positive numbers, --seconds > 0, --warmup >= 0' : o.check?.(own);
  if (wrong) {
    console.error(wrong);
    process.exit(ExitCode.invalidConfig);
  }
  return { rates, seconds, warmupS, json: values.json as string | undefined, own };
}

/** The 1/5/15-minute load average, e.g. `0.42 0.61 0.70`. */
export function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}

/** The machine the figures come from, for the JSON output. */
export function machine(): { cpus: number; model: string | undefined; memoryGiB: number; node: string; platform: string } {
  const cpus = os.cpus();
  return { cpus: cpus.length, model: cpus[0]?.model.trim(), memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)), node: process.version, platform: `${os.platform()} ${os.arch()}` };
}

/** `machine: 2 CPUs, <model>, 23.4 GiB, linux x64, node v20…`, then the load average at the start. */
export function machineLines(): string[] {
  const m = machine();
  return [`machine: ${m.cpus} CPUs, ${m.model ?? 'unknown model'}, ${m.memoryGiB.toFixed(1)} GiB, ${m.platform}, node ${m.node}`, `load average at start (1/5/15 min): ${loadAverage()}`];
}
