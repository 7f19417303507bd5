import { Command } from 'commander';
import { ConfigError } from '../contract/errors.js';
import { defaultMessagingSettings } from '../scenario/schema.js';
import { loadMessagingAdapter } from '../runtime/adapters.js';
const MESSAGING = ['kafka', 'rabbitmq', 'activemq'];
/**
 * Removes the topics, queues, exchanges and consumer groups that runs left behind
 * (a run cut short by a crash, or one run with --keep): everything whose name starts
 * with the run prefix stem `bench-`.
 */
export function command() {
    return new Command('clean')
        .description('remove topics, queues and consumer groups left behind by earlier runs (names starting with "bench-")')
        .option('-t, --transport <list>', `comma-separated: ${MESSAGING.join(', ')} (default: every reachable one)`)
        .option('--stem <prefix>', 'remove only names starting with this prefix', 'bench-')
        .action(async (flags) => {
        const wanted = flags.transport ? flags.transport.split(',').map((t) => t.trim()) : [...MESSAGING];
        for (const t of wanted) {
            if (!MESSAGING.includes(t))
                throw new ConfigError(`--transport: "${t}" has nothing to clean; expected ${MESSAGING.join(', ')}`);
        }
        if (!flags.stem.startsWith('bench-'))
            throw new ConfigError(`--stem: expected a prefix starting with "bench-", got "${flags.stem}"`);
        const { brokerEndpoints } = await import('../brokers/index.js');
        const endpoints = brokerEndpoints();
        let failures = 0;
        for (const name of wanted) {
            const adapter = await loadMessagingAdapter(name);
            if (!(await adapter.ping(endpoints))) {
                process.stdout.write(`${name.padEnd(9)} unreachable: skipped\n`);
                continue;
            }
            const spec = { prefix: flags.stem, instancesPerService: 1, settings: defaultMessagingSettings(name), endpoints };
            try {
                const left = [];
                const removed = await adapter.cleanupStale(spec, flags.stem, (object, why) => left.push(`${object} (${why})`));
                process.stdout.write(`${name.padEnd(9)} removed ${removed.length}${removed.length ? `: ${removed.slice(0, 8).join(', ')}${removed.length > 8 ? ', …' : ''}` : ''}\n`);
                if (left.length)
                    process.stdout.write(`${name.padEnd(9)} left ${left.length} of runs still going: ${left.slice(0, 8).join(', ')}${left.length > 8 ? ', …' : ''}\n`);
            }
            catch (err) {
                failures++;
                process.stdout.write(`${name.padEnd(9)} clean-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
            }
        }
        if (failures)
            process.exitCode = 1;
    });
}
//# sourceMappingURL=clean.js.map