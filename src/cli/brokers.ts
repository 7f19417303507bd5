import { Command } from 'commander';
import { ExitCode } from '../contract/error-catalogue.js';
import { BenchError, ConfigError } from '../contract/errors.js';
import { BROKER_NAMES, SECURE_DEFAULT_PORTS, brokersDown, brokersStatus, brokersUp, type BrokerName, type BrokerStatus } from '../brokers/index.js';

/** `bench brokers up|down|status`: real Kafka, RabbitMQ and ActiveMQ on 127.0.0.1 without Docker. */

function parseOnly(value: string | undefined): BrokerName[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((n) => n.trim()).filter(Boolean);
  for (const n of names) {
    if (!(BROKER_NAMES as readonly string[]).includes(n)) throw new ConfigError(`--only: unknown broker '${n}' (expected ${BROKER_NAMES.join(', ')})`);
  }
  return names as BrokerName[];
}

function parseKafkaBrokers(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value !== '1' && value !== '3') throw new ConfigError(`--kafka-brokers must be 1 or 3, not '${value}'`);
  return Number(value);
}

/** One line per broker: name, version, address, pid, who started it, whether it answers. */
export function formatStatus(list: BrokerStatus[]): string {
  return list.map((b) => [
    b.name.padEnd(9),
    (b.version ?? '-').padEnd(8),
    b.address.padEnd(22),
    (b.pid ? `pid ${b.pid}` : 'pid -').padEnd(10),
    (b.startedByUs ? 'started by bench' : 'not ours').padEnd(17),
    b.answers ? 'answers' : 'NOT ANSWERING',
    b.detail ? ` (${b.detail})` : '',
  ].join(' ')).join('\n') + '\n';
}

/** Broker failures end with 106 (unreachable / failed to start); bad flags with 104. */
async function guarded(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof BenchError && err.code !== 'INVALID_CONFIG') {
      process.stderr.write(`bench: ${err.message}\n`);
      process.exitCode = ExitCode.unreachable;
      return;
    }
    throw err;
  }
}

const log = (line: string) => process.stderr.write(`${line}\n`);

export function command(): Command {
  const cmd = new Command('brokers').description('start, stop and check real brokers on 127.0.0.1 (no Docker needed)');
  cmd.command('up')
    .description('install what is missing, start what is not running, wait until each broker answers a round trip')
    .option('--only <names>', `comma-separated subset of ${BROKER_NAMES.join(',')}`)
    .option('--kafka-brokers <n>', 'Kafka cluster size: 1 or 3', '1')
    .option('--secure', `the secure brokers instead: Kafka SASL_SSL (SCRAM) on ${SECURE_DEFAULT_PORTS.kafka}, RabbitMQ amqps on ${SECURE_DEFAULT_PORTS.rabbitmq}, ActiveMQ stomp+ssl on ${SECURE_DEFAULT_PORTS.stomp}; credentials in .bench/brokers/secure.env`)
    .action(async (o: { only?: string; kafkaBrokers?: string; secure?: boolean }) => {
      const only = parseOnly(o.only);
      const kafkaBrokers = parseKafkaBrokers(o.kafkaBrokers);
      await guarded(async () => {
        const t0 = Date.now();
        const list = await brokersUp({ only, kafkaBrokers, log, secure: o.secure === true });
        process.stdout.write(formatStatus(list));
        log(`brokers up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        if (o.secure) {
          const { secureEnvFile, resolveSettings } = await import('../brokers/index.js');
          log(`credentials: ${secureEnvFile(resolveSettings())} (mode 0600); load them with: source ${secureEnvFile(resolveSettings())}`);
          log('then: npx bench run order-happy-path --transport all --target targets/local-secure.yaml');
        }
      });
    });
  cmd.command('down')
    .description('stop the brokers `up` started (never a server it found running)')
    .option('--only <names>', `comma-separated subset of ${BROKER_NAMES.join(',')}`)
    .option('--purge', 'also delete their data and logs')
    .option('--secure', 'the secure brokers (started by `up --secure`)')
    .action(async (o: { only?: string; purge?: boolean; secure?: boolean }) => {
      const only = parseOnly(o.only);
      await guarded(() => brokersDown({ only, purge: o.purge === true, secure: o.secure === true }));
    });
  cmd.command('status')
    .description("each broker's version, address, PID and whether it answers")
    .option('--only <names>', `comma-separated subset of ${BROKER_NAMES.join(',')}`)
    .option('--json', 'print JSON')
    .option('--secure', 'the secure brokers (started by `up --secure`)')
    .action(async (o: { only?: string; json?: boolean; secure?: boolean }) => {
      const only = parseOnly(o.only);
      await guarded(async () => {
        const list = await brokersStatus({ only, secure: o.secure === true });
        process.stdout.write(o.json ? JSON.stringify(list, null, 2) + '\n' : formatStatus(list));
        if (list.some((b) => !b.answers)) process.exitCode = ExitCode.unreachable;
      });
    });
  return cmd;
}
