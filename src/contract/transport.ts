/**
 * The transport contract. Two shapes share one harness:
 *  - a messaging adapter (Kafka, RabbitMQ, ActiveMQ) only moves events between
 *    channels; the harness runs the workflow's services on top of it;
 *  - the REST adapter carries the workflow by synchronous HTTP orchestration.
 * Types only; adapters import this file and their client library, nothing else.
 */
import type { OrderErrorCode } from './error-catalogue.js';
import type { BenchError } from './errors.js';
import type { BrokerEndpoints } from './endpoints.js';
import type { Channel, OrderEvent, OrderRequest, ServiceName } from './events.js';
import type { MessagingSettings } from './settings.js';

export type { ActiveMqSettings, KafkaSettings, MessagingSettings, MqttSettings, NatsSettings, RabbitMqSettings, RedisSettings } from './settings.js';

/** A transport carried by a broker: its settings come from `transport.<name>` in the scenario. */
export type MessagingTransportName = keyof MessagingSettings;
export type TransportName = 'rest' | MessagingTransportName;
export const TRANSPORT_NAMES: readonly TransportName[] = ['rest', 'kafka', 'rabbitmq', 'activemq', 'nats', 'redis', 'mqtt'];

/** A name and version, e.g. `{ name: 'kafkajs', version: '2.2.4' }`. */
export interface Component {
  name: string;
  version: string;
}

/** What a transport states about itself; written into every result and report. */
export interface TransportDescription {
  name: TransportName;
  /** client libraries and their versions */
  clients: Component[];
  /** the server answering at run time, when it can be asked */
  server?: Component;
  /** every setting that changes delivery guarantees or speed (acks, confirms, prefetch, persistence, ...) */
  delivery: Record<string, string | number | boolean>;
  /** where it connected (e.g. `127.0.0.1:9092`) */
  address?: string;
}

/**
 * Settings of one run that every messaging adapter receives. `S` is the adapter's own
 * settings type (e.g. `MessagingRunSpec<KafkaSettings>`), already parsed and checked.
 */
export interface MessagingRunSpec<S = MessagingSettings[MessagingTransportName]> {
  /** unique prefix of every topic, queue and consumer group of the run */
  prefix: string;
  /** consumer instances per service (each an OS process) */
  instancesPerService: number;
  /** transport-specific settings from the scenario (partitions, prefetch, ...), parsed once */
  settings: S;
  /** broker addresses */
  endpoints: BrokerEndpoints;
}

/** Where the brokers are and how to connect; secrets are named here, never held (see endpoints.ts). */
export type { ActivemqEndpoint, BrokerEndpoints, KafkaEndpoint, RabbitEndpoint, SecretRef, TlsFiles } from './endpoints.js';

/** Delivery metadata of one consumed message. */
export interface Delivery {
  /** true when the broker says this message was delivered before (redelivered flag, attempt > 1) */
  redelivered: boolean;
  /** partition, queue or destination it came from */
  source: string;
}

/**
 * Handles one event. Resolving acknowledges it (commit, ack) only after the work is
 * done. Throwing an error marked `retriable: true` makes the adapter handle it again
 * (flagged redelivered) under the shared HANDLER_RETRY policy; any other error, or
 * retries running out, makes the connection give up (`onGaveUp`). Either way the event
 * stays unacknowledged, so the broker still has it.
 */
export type EventHandler = (event: OrderEvent, delivery: Delivery) => Promise<void>;

export interface Subscription {
  /** stops consuming; unacknowledged messages go back to the broker */
  close(): Promise<void>;
}

/** One connection of one process to a broker. */
export interface MessagingConnection {
  /**
   * Publishes an event to a channel, keyed by its customer id so one customer's
   * events keep their order. Resolves only when the broker has durably accepted it
   * (acks=all, publisher confirm, receipt).
   */
  publish(channel: Channel, event: OrderEvent): Promise<void>;
  /**
   * Consumes a channel as one member of the channel's consumer group; each
   * customer's events reach exactly one member at a time, in order.
   */
  subscribe(channel: Channel, member: { service: ServiceName | 'observer'; instance: number }, handler: EventHandler): Promise<Subscription>;
  /**
   * Tells `listener` once, when the connection has given up for good: reconnecting or a
   * handler's retries ran out under the shared policies of retry.ts, or an error that no
   * retry can help. The owner should stop: this connection will not recover. (Called at
   * once if it already gave up.)
   */
  onGaveUp(listener: (err: BenchError) => void): void;
  /**
   * Requests this connection has sent to the broker since it opened, by the protocol's
   * API name (`Produce`, `Fetch`, `OffsetCommit`, ...). Optional: only adapters whose
   * client reports each request implement it.
   */
  brokerRequests?(): Record<string, number>;
  close(): Promise<void>;
}

/** Backlog of one channel at one moment, read from the broker's own admin API. */
export interface BacklogSample {
  channel: Channel;
  /** queue, topic or consumer group name */
  name: string;
  /** messages waiting (queue depth, or consumer-group lag) */
  depth: number;
}

/** A messaging adapter; `N` names it and fixes the type of the settings it receives. */
export interface MessagingAdapter<N extends MessagingTransportName = MessagingTransportName> {
  readonly name: N;
  /** versions and delivery settings for a run with these settings */
  describe(spec: MessagingRunSpec<MessagingSettings[N]>): Promise<TransportDescription>;
  /** creates the run's topics/queues/exchanges under its prefix */
  provision(spec: MessagingRunSpec<MessagingSettings[N]>): Promise<void>;
  /**
   * For objects that exist already (a target with `provision: false`): checks that the
   * run's topics/queues are there as the settings need them, creating nothing; rejects
   * with one line saying what is missing and what the run needs. Optional.
   */
  verify?(spec: MessagingRunSpec<MessagingSettings[N]>): Promise<void>;
  /** removes everything under the run's prefix */
  deprovision(spec: MessagingRunSpec<MessagingSettings[N]>): Promise<void>;
  /**
   * removes leftovers of earlier runs whose prefix starts with `prefixStem`; returns what
   * was removed. Objects of a run still going (a queue with a consumer, a group with
   * members) are left alone, each named to `onLeft` with the reason.
   */
  cleanupStale(spec: MessagingRunSpec<MessagingSettings[N]>, prefixStem: string, onLeft?: (name: string, why: string) => void): Promise<string[]>;
  connect(spec: MessagingRunSpec<MessagingSettings[N]>, clientId: string): Promise<MessagingConnection>;
  /** current backlog per channel */
  backlog(spec: MessagingRunSpec<MessagingSettings[N]>): Promise<BacklogSample[]>;
  /** a quick reachability check (about a second) */
  ping(endpoints: BrokerEndpoints): Promise<boolean>;
  /**
   * Connects and authenticates once, without retrying, within `timeoutMs`; rejects with
   * one line naming the address and what failed (refused, TLS, login). Optional: where
   * absent, the harness falls back to ping().
   */
  check?(endpoints: BrokerEndpoints, timeoutMs: number): Promise<void>;
}

/** The outcome of one service handling one event or request. */
export interface HandleResult {
  /** every event it emitted, in order, including local ones */
  emitted: OrderEvent[];
  /** it had been processed before: no side effect was applied, the same events are re-emitted */
  duplicate: boolean;
}

/**
 * A service's business logic as a transport sees it (implemented by the workflow).
 * Transports call it; they never decide anything about orders themselves.
 */
export interface ServiceLogic {
  readonly service: ServiceName;
  /** order service only: a new order becomes order_initiated and order_created */
  startOrder(request: OrderRequest): Promise<HandleResult>;
  handle(event: OrderEvent, redelivered?: boolean): Promise<HandleResult>;
  /**
   * Synchronous orchestration only: the event that compensates a failed call with this
   * event (payment unreachable → payment_failed), or undefined when there is none.
   */
  compensate(event: OrderEvent): Promise<HandleResult | undefined>;
}

/** Where an emitted event goes next (the workflow's routing table). */
export type RouteOf = (type: OrderEvent['type']) => Channel | 'local';

/** How one order ended, as the transport's client saw it. Times are epoch microseconds. */
export interface OrderOutcome {
  outcome: 'completed' | 'failed' | 'error' | 'timedOut';
  /** when the request actually left for the wire (for the uncorrected latency) */
  sentAtUs: number;
  /** when the order service accepted the order (2xx), if it did */
  acceptedAtUs?: number;
  endedAtUs: number;
  /** for `error`: the code it is counted under (error-catalogue.ts) */
  errorCode?: OrderErrorCode;
}

/**
 * Submits one order and resolves when its outcome is known. Never rejects: failures
 * are outcomes. `deadline` aborts at the order's timeout.
 */
export type SubmitOrder = (order: OrderRequest, deadline: AbortSignal) => Promise<OrderOutcome>;
