import { Command } from 'commander';
import { ExitCode } from '../contract/error-catalogue.js';
import { ConfigError } from '../contract/errors.js';
import type { BrokerEndpoints as ContractEndpoints } from '../contract/endpoints.js';
import { TRANSPORT_NAMES, type MessagingRunSpec, type MessagingTransportName } from '../contract/transport.js';
import { defaultMessagingSettings } from '../scenario/schema.js';
import { loadMessagingAdapter } from '../runtime/adapters.js';

const MESSAGING = TRANSPORT_NAMES.filter((t): t is MessagingTransportName => t !== 'rest');

/**
 * Removes the topics, queues, exchanges and consumer groups that runs left behind
 * (a run cut short by a crash, or one run with --keep): everything whose name starts
 * with the run prefix stem `bench-`.
 */
export function command(): Command {
  return new Command('clean')
    .description('remove topics, queues and consumer groups left behind by earlier runs (names starting with "bench-")')
    .option('-t, --transport <list>', `comma-separated: ${MESSAGING.join(', ')} (default: every reachable one)`)
    .option('--stem <prefix>', 'remove only names starting with this prefix (default "<target prefix>-", "bench-")')
    .option('--target <file>', 'clean at a target (a target file, or a name from targets/) instead of the local brokers')
    .action(async (flags: { transport?: string; stem?: string; target?: string }) => {
      const wanted = flags.transport ? flags.transport.split(',').map((t) => t.trim()) : [...MESSAGING];
      for (const t of wanted) {
        if (!(MESSAGING as readonly string[]).includes(t)) throw new ConfigError(`--transport: "${t}" has nothing to clean; expected ${MESSAGING.join(', ')}`);
      }
      const { brokerEndpoints } = await import('../brokers/index.js');
      let endpoints: ContractEndpoints = brokerEndpoints();
      let prefix = 'bench';
      if (flags.target !== undefined) {
        const target = (await import('../targets/load.js')).loadTarget(flags.target);
        endpoints = { ...endpoints, ...target.endpoints };
        prefix = target.prefix;
        if (!flags.transport) wanted.splice(0, wanted.length, ...MESSAGING.filter((t) => target.endpoints[t]));
      }
      const stem = flags.stem ?? `${prefix}-`;
      if (!stem.startsWith(`${prefix}-`)) throw new ConfigError(`--stem: expected a prefix starting with "${prefix}-", got "${stem}"`);
      let failures = 0;
      for (const name of wanted as MessagingTransportName[]) {
        const adapter = await loadMessagingAdapter(name);
        if (!(await adapter.ping(endpoints))) {
          process.stdout.write(`${name.padEnd(9)} unreachable: skipped\n`);
          continue;
        }
        const spec: MessagingRunSpec = { prefix: stem, instancesPerService: 1, settings: defaultMessagingSettings(name), endpoints };
        try {
          const left: string[] = [];
          const removed = await adapter.cleanupStale(spec, stem, (object, why) => left.push(`${object} (${why})`));
          process.stdout.write(`${name.padEnd(9)} removed ${removed.length}${removed.length ? `: ${removed.slice(0, 8).join(', ')}${removed.length > 8 ? ', …' : ''}` : ''}\n`);
          if (left.length) process.stdout.write(`${name.padEnd(9)} left ${left.length} of runs still going: ${left.slice(0, 8).join(', ')}${left.length > 8 ? ', …' : ''}\n`);
        } catch (err) {
          failures++;
          process.stdout.write(`${name.padEnd(9)} clean-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      }
      if (failures) process.exitCode = ExitCode.failure;
    });
}
