import { BenchError } from '../contract/errors.js';
import { activemqAnswers, activemqOwned, activemqRestartNow } from './activemq.js';
import { kafkaNodeAnswers, kafkaOwnedNodes, kafkaRestartNode } from './kafka.js';
import { isAlive } from './process.js';
import { rabbitmqAnswers, rabbitmqOwned, rabbitmqRestartNow } from './rabbitmq.js';
import type { BrokerSettings } from './settings.js';
import type { BrokerEndpoints } from '../contract/transport.js';
import type { BrokerName } from './types.js';

/**
 * Broker processes as fault targets: kill (SIGKILL) and start again on the same data
 * directory, pause (SIGSTOP) and resume. Only brokers `bench brokers up` started (their
 * run records in the state directory name the pid and ports) are ever touched; a
 * restart rewrites the record, so the pid stays discoverable for resource sampling.
 */

/** One broker process a fault acts on: a Kafka node (by node id), or the RabbitMQ/ActiveMQ broker. */
export interface BrokerTarget {
  broker: BrokerName;
  /** Kafka node id (1..n); undefined for the others */
  node?: number;
  pid: number;
  /** `kafka node 2 (pid 123, 127.0.0.1:9093)` */
  label: string;
}

function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

/**
 * Why a broker fault cannot run against the broker these endpoints reach, or undefined
 * when bench started it and it runs. The line says what to do instead.
 */
export function notOwnedReason(broker: BrokerName, s: BrokerSettings, e: BrokerEndpoints): string | undefined {
  if (broker === 'nats' || broker === 'redis' || broker === 'mosquitto') return `broker faults on ${broker} are not supported yet`;
  const hint = `broker faults act only on brokers \`bench brokers up\` started (its state directory is ${s.stateDir}; set BENCH_STATE_DIR and the BENCH_*_PORT variables to those of the broker to fault)`;
  if (broker === 'kafka') {
    const owned = kafkaOwnedNodes(s);
    const ports = new Set(owned?.live.map((n) => n.port) ?? []);
    const foreign = e.kafka.brokers.filter((b) => !ports.has(portOf(b)));
    if (!owned || owned.live.length === 0) return `no kafka broker of bench runs (none recorded as running in ${s.stateDir}); ${hint}`;
    // a node of bench's own cluster that is down (killed and not restarted) is bench's, but not running
    const recorded = new Map((owned.nodes ?? []).map((n) => [n.port, n.id]));
    const down = foreign.filter((b) => recorded.has(portOf(b)));
    if (down.length > 0) {
      return `kafka node${down.length > 1 ? 's' : ''} ${down.map((b) => `${recorded.get(portOf(b))} (${b})`).join(', ')} of bench's cluster ${down.length > 1 ? 'are' : 'is'} not running; start ${down.length > 1 ? 'them' : 'it'} again with \`npx bench brokers up --kafka-brokers ${owned.nodes.length}\``;
    }
    if (foreign.length > 0) return `kafka at ${foreign.join(',')} was not started by bench; ${hint}`;
    return undefined;
  }
  if (broker === 'rabbitmq') {
    const owned = rabbitmqOwned(s);
    const port = (() => {
      try {
        const u = new URL(e.rabbitmq.url);
        return Number(u.port || 5672);
      } catch {
        return -1;
      }
    })();
    if (!owned || owned.port !== port) {
      return `rabbitmq at 127.0.0.1:${port} was not started by bench (the machine's own server runs on 5672 and is never faulted); start bench's own node with BENCH_RABBITMQ_PORT=35672 npx bench brokers up --only rabbitmq and run with the same variable`;
    }
    return undefined;
  }
  const owned = activemqOwned(s);
  if (!owned || owned.stompPort !== e.activemq.port) return `activemq at ${e.activemq.host}:${e.activemq.port} was not started by bench; ${hint}`;
  return undefined;
}

/** The process of `broker` (Kafka: node `node`, default the first) that a fault acts on now. */
export function brokerTarget(broker: BrokerName, s: BrokerSettings, node?: number): BrokerTarget {
  if (broker === 'kafka') {
    const owned = kafkaOwnedNodes(s);
    const n = owned?.nodes.find((x) => x.id === (node ?? owned.nodes[0]?.id));
    if (!n) throw new BenchError('INVALID_CONFIG', `kafka node ${node} is not one of bench's nodes (${owned?.nodes.map((x) => x.id).join(', ') || 'none'})`);
    return { broker, node: n.id, pid: n.pid, label: `kafka node ${n.id} (pid ${n.pid}, ${s.host}:${n.port})` };
  }
  const owned = broker === 'rabbitmq' ? rabbitmqOwned(s) : activemqOwned(s);
  if (!owned) throw new BenchError('BROKER_START', `${broker}: bench's broker is not running`);
  return { broker, pid: owned.pid, label: `${broker} (pid ${owned.pid})` };
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** SIGKILL, and waits (briefly) until the process is gone so its ports are free. */
export async function killBroker(t: BrokerTarget): Promise<void> {
  signal(t.pid, 'SIGKILL');
  const deadline = Date.now() + 5000;
  while (isAlive(t.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

export function pauseBroker(t: BrokerTarget): void {
  signal(t.pid, 'SIGSTOP');
}

/** SIGCONT; synchronous so it can run on the way out of an interrupted process. */
export function resumeBroker(t: BrokerTarget): void {
  signal(t.pid, 'SIGCONT');
}

/**
 * Starts a killed broker again on its own config and data directory. Synchronous: the
 * process is spawned before this returns, so it also works from an exit handler.
 */
export function restartBrokerNow(t: BrokerTarget, s: BrokerSettings): void {
  if (t.broker === 'kafka') kafkaRestartNode(s, t.node!);
  else if (t.broker === 'rabbitmq') rabbitmqRestartNow(s);
  else activemqRestartNow(s);
}

/** Waits until a restarted broker answers a client round trip. */
export async function brokerAnswers(t: BrokerTarget, s: BrokerSettings, timeoutMs = 120_000): Promise<void> {
  if (t.broker === 'kafka') await kafkaNodeAnswers(s, t.node!, timeoutMs);
  else if (t.broker === 'rabbitmq') await rabbitmqAnswers(s, timeoutMs);
  else await activemqAnswers(s, timeoutMs);
}
