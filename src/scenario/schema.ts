import { z } from 'zod';
import type { MessagingSettings, MessagingTransportName } from '../contract/transport.js';
import { parseDurationMs } from './duration.js';

/**
 * The scenario file format (YAML), validated with zod. Durations are written as
 * `250ms`, `20s`, `2m` (or a number of milliseconds) and are milliseconds once parsed.
 */
const duration = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const ms = parseDurationMs(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a duration such as 500ms, 20s or 2m, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: 'a duration: 500ms, 20s, 2m, 1h, or a number of milliseconds' });

const positiveRate = z.number().positive().meta({ description: 'orders per second' });

export const TransportNameSchema = z.enum(['rest', 'kafka', 'rabbitmq', 'activemq', 'nats', 'redis', 'mqtt']);

const Stage = z.strictObject({
  /** the rate reached at the end of the stage, orders/s */
  target: z.number().min(0),
  duration,
});

export const WorkloadSchema = z
  .strictObject({
    executor: z.enum(['constant-arrival-rate', 'ramping-arrival-rate', 'constant-concurrency']).default('constant-arrival-rate'),
    /** orders per second (constant-arrival-rate) */
    rate: positiveRate.default(50),
    /** measured duration, after the warm-up (constant-arrival-rate, constant-concurrency) */
    duration: duration.default(20_000),
    /** excluded from results */
    warmup: duration.default(3_000),
    /** orders in flight at most; an order that would exceed it is dropped (open model) */
    maxInFlight: z.number().int().positive().default(1_000),
    /** ramping-arrival-rate: starting rate and stages */
    startRate: z.number().min(0).default(0),
    stages: z.array(Stage).default([]),
    /** constant-concurrency (closed model): virtual users each running one order at a time */
    concurrency: z.number().int().positive().default(10),
    /** deadline of one order, from its intended start */
    timeout: duration.default(10_000),
    /** after the schedule ends, how long to wait for orders still in flight */
    drain: duration.default(10_000),
  })
  .superRefine((w, ctx) => {
    if (w.executor === 'ramping-arrival-rate' && w.stages.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['stages'], message: 'ramping-arrival-rate needs at least one stage ({ target, duration })' });
    }
  });

export const CustomersSchema = z.strictObject({
  /** number of distinct customers orders are spread over */
  count: z.number().int().positive().default(100),
  /** names of the first customers (the course notes' Priya and Neeraj) */
  names: z.array(z.string().regex(/^[a-z0-9_-]+$/i, 'letters, digits, _ and - only')).default([]),
  /** consecutive orders per customer before moving to the next one */
  burst: z.number().int().positive().default(1),
});

export const WorkflowSchema = z.strictObject({
  /** share of orders whose payment fails, 0..1 */
  paymentFailureRatio: z.number().min(0).max(1).default(0),
  /** seed of the payment decision */
  seed: z.number().int().default(1),
  /** fixed extra delay per event or request, per service (a wait: events are delayed side by side) */
  serviceDelays: z
    .strictObject({ order: duration.optional(), inventory: duration.optional(), payment: duration.optional(), shipment: duration.optional() })
    .default({}),
  /**
   * work per event or request, per service: each instance does one piece of work at a
   * time, so this caps the service's capacity at 1000 / work orders/s per instance
   */
  serviceWork: z
    .strictObject({ order: duration.optional(), inventory: duration.optional(), payment: duration.optional(), shipment: duration.optional() })
    .default({}),
});

export const SloSchema = z.strictObject({
  /** end-to-end p99 a second must stay under to count as sustainable */
  endToEndP99: duration.default(250),
});

/** One step of a multi-step scenario (scale-out): what changes from the base scenario. */
export const StepSchema = z.strictObject({
  label: z.string().optional(),
  /** consumer instances per service */
  instances: z.number().int().positive().optional(),
  /** partitions per channel: Kafka partitions, NATS and MQTT partition subjects/topics */
  partitions: z.number().int().positive().optional(),
  /** shards per channel: RabbitMQ shard queues, Redis shard streams */
  shards: z.number().int().positive().optional(),
  /** arrival rate, orders/s */
  rate: z.number().positive().optional(),
});

export const RestSettingsSchema = z.strictObject({
  /** keep-alive connections from the load driver to the order service */
  connections: z.number().int().positive().default(16),
  /** keep-alive connections from the order service to each downstream service */
  downstreamConnections: z.number().int().positive().default(16),
  /** deadline of one downstream call */
  requestTimeout: duration.default(5_000),
});

export const KafkaSettingsSchema = z
  .strictObject({
    partitions: z.number().int().positive().default(3),
    replicationFactor: z.number().int().positive().default(1),
    /** at most replicationFactor, or every acks=all send would fail */
    minInsyncReplicas: z.number().int().positive().default(1),
  })
  .superRefine((k, ctx) => {
    if (k.minInsyncReplicas > k.replicationFactor) {
      ctx.addIssue({
        code: 'custom',
        path: ['minInsyncReplicas'],
        message: `${k.minInsyncReplicas} exceeds replicationFactor ${k.replicationFactor}: every acks=all send would fail`,
      });
    }
  });

export const RabbitSettingsSchema = z.strictObject({
  prefetch: z.number().int().positive().default(50),
  /** queues per channel that customers are hashed onto, each with a single active consumer */
  shards: z.number().int().positive().default(2),
  queueType: z.enum(['classic', 'quorum']).default('classic'),
});

export const ActiveMqSettingsSchema = z.strictObject({
  prefetch: z.number().int().positive().default(50),
});

export const NatsSettingsSchema = z.strictObject({
  /** subjects per channel that customers are hashed onto, each with its own durable pull consumer */
  partitions: z.number().int().positive().default(3),
  /** unacknowledged messages per partition consumer */
  maxAckPending: z.number().int().positive().default(50),
  /** how long the server waits for an acknowledgement before it redelivers */
  ackWait: duration.default(5_000),
  storage: z.enum(['file', 'memory']).default('file'),
  replicas: z.number().int().positive().default(1),
});

export const RedisSettingsSchema = z.strictObject({
  /** streams per channel that customers are hashed onto, each read by one member */
  shards: z.number().int().positive().default(3),
  /** entries a member holds read and not yet acknowledged */
  prefetch: z.number().int().positive().default(50),
});

export const MqttSettingsSchema = z.strictObject({
  /** topics per channel that customers are hashed onto */
  partitions: z.number().int().positive().default(3),
  /** partitions: one session per partition, order per customer kept; shared: MQTT 5 shared subscriptions, message by message */
  consumers: z.enum(['partitions', 'shared']).default('shared'),
});

/** The scenario's settings blocks must give each adapter exactly the type it receives. */
const MESSAGING_SETTINGS_SCHEMAS = {
  kafka: KafkaSettingsSchema,
  rabbitmq: RabbitSettingsSchema,
  activemq: ActiveMqSettingsSchema,
  nats: NatsSettingsSchema,
  redis: RedisSettingsSchema,
  mqtt: MqttSettingsSchema,
} satisfies { [N in MessagingTransportName]: z.ZodType<MessagingSettings[N]> };

export const TransportSettingsSchema = z.strictObject({
  /** consumer instances (OS processes) per service, messaging transports */
  instances: z.number().int().positive().default(1),
  rest: RestSettingsSchema.default(RestSettingsSchema.parse({})),
  kafka: MESSAGING_SETTINGS_SCHEMAS.kafka.default(KafkaSettingsSchema.parse({})),
  rabbitmq: MESSAGING_SETTINGS_SCHEMAS.rabbitmq.default(RabbitSettingsSchema.parse({})),
  activemq: MESSAGING_SETTINGS_SCHEMAS.activemq.default(ActiveMqSettingsSchema.parse({})),
  nats: MESSAGING_SETTINGS_SCHEMAS.nats.default(NatsSettingsSchema.parse({})),
  redis: MESSAGING_SETTINGS_SCHEMAS.redis.default(RedisSettingsSchema.parse({})),
  mqtt: MESSAGING_SETTINGS_SCHEMAS.mqtt.default(MqttSettingsSchema.parse({})),
});

const SERVICE_TARGETS = ['order', 'inventory', 'payment', 'shipment'] as const;

export const FaultSchema = z
  .strictObject({
    /** when, from the start of the measured window */
    at: duration,
    /** how long the fault lasts (kill: until restart; pause: until resume; delay: until removed) */
    duration,
    /** kill, pause, delay: a service or the broker; latency, bandwidth, reset, blackhole: the network */
    action: z.enum(['kill', 'pause', 'delay', 'latency', 'bandwidth', 'reset', 'blackhole']),
    /**
     * a service, `broker` (the broker of the transport being run; REST has none: skipped there),
     * or `network`: the links of `party`, through the harness's TCP fault proxy
     */
    target: z.enum([...SERVICE_TARGETS, 'broker', 'network']),
    /**
     * target network: whose links. A service: REST, the calls into it (for `order`, the
     * driver's); messaging, its connection to the broker. `all`: every link of the run.
     */
    party: z.enum([...SERVICE_TARGETS, 'all']).optional(),
    /** action latency: added one-way delay per direction of each link */
    latency: duration.optional(),
    /** action latency: the delay is drawn uniformly from latency ± jitter */
    jitter: duration.optional(),
    /** action bandwidth: bytes per second per direction of each connection */
    bandwidth: z.number().int().positive().optional(),
    /** for `delay`: the extra delay per event or request */
    delay: duration.optional(),
    /** which instance of the service (default: all) */
    instance: z.number().int().min(0).optional(),
    /** target broker: only runs over this broker's transport get the fault (default: every messaging run) */
    broker: z.enum(['kafka', 'rabbitmq', 'activemq']).optional(),
    /**
     * target broker, Kafka: the node id (1..n) to kill or pause, or `leader`: the leader of
     * the run's busiest partition (highest end offset), found through the admin API when the fault begins
     */
    node: z.union([z.number().int().positive(), z.literal('leader')]).optional(),
  })
  .superRefine((f, ctx) => {
    const network = ['latency', 'bandwidth', 'reset', 'blackhole'].includes(f.action);
    if (f.target === 'broker' && f.action === 'delay') {
      ctx.addIssue({ code: 'custom', path: ['action'], message: 'a broker can be killed or paused, not delayed' });
    }
    if (network !== (f.target === 'network')) {
      ctx.addIssue({ code: 'custom', path: ['action'], message: network ? 'latency, bandwidth, reset and blackhole need target: network' : 'target network takes latency, bandwidth, reset or blackhole' });
    }
    if (f.target === 'network' && f.party === undefined) ctx.addIssue({ code: 'custom', path: ['party'], message: 'target network needs a party: a service name or all' });
    if (f.target !== 'network' && f.party !== undefined) ctx.addIssue({ code: 'custom', path: ['party'], message: 'only for target: network' });
    if (f.action === 'latency' && f.latency === undefined) ctx.addIssue({ code: 'custom', path: ['latency'], message: 'action latency needs latency (e.g. 2ms)' });
    if (f.action === 'bandwidth' && f.bandwidth === undefined) ctx.addIssue({ code: 'custom', path: ['bandwidth'], message: 'action bandwidth needs bandwidth (bytes per second)' });
    if (f.target !== 'broker' && (f.broker !== undefined || f.node !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [f.broker !== undefined ? 'broker' : 'node'], message: 'only for target: broker' });
    }
    if (f.node !== undefined && f.broker !== undefined && f.broker !== 'kafka') {
      ctx.addIssue({ code: 'custom', path: ['node'], message: 'node is a Kafka node id (or leader); rabbitmq and activemq have one broker' });
    }
  });

export const ThresholdsSchema = z.union([
  z.array(z.string()),
  z.record(z.string(), z.array(z.string())),
]);

export const ScenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1).regex(/^[^/\\]+$/, 'no slashes'),
  description: z.string().default(''),
  /** transports run by default (overridden by --transport) */
  transports: z.array(TransportNameSchema).min(1).default(['rest']),
  workload: WorkloadSchema.default(WorkloadSchema.parse({})),
  customers: CustomersSchema.default(CustomersSchema.parse({})),
  workflow: WorkflowSchema.default(WorkflowSchema.parse({})),
  transport: TransportSettingsSchema.default(TransportSettingsSchema.parse({})),
  faults: z.array(FaultSchema).default([]),
  /** thresholds: a list for every transport, or a map of transport (or `all`) to a list */
  thresholds: ThresholdsSchema.default([]),
  /** service level objective, for the sustainable-throughput figure */
  slo: SloSchema.default(SloSchema.parse({})),
  /** run the scenario once per step (e.g. 1 → 2 → 4 instances); each step is its own entry in the result */
  steps: z.array(StepSchema).default([]),
  /** labels shown in reports */
  labels: z.record(z.string(), z.string()).default({}),
});

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type Workload = Scenario['workload'];
export type Fault = Scenario['faults'][number];
export type Step = Scenario['steps'][number];
export type TransportName = z.output<typeof TransportNameSchema>;

/** The settings a messaging transport's adapter receives from a scenario (parsed when the scenario was loaded). */
export function messagingSettings<N extends MessagingTransportName>(scenario: Pick<Scenario, 'transport'>, transport: N): MessagingSettings[N] {
  const all: MessagingSettings = scenario.transport;
  return all[transport];
}

/** Each messaging transport's default settings (for commands that run no scenario, such as `bench clean`). */
export function defaultMessagingSettings<N extends MessagingTransportName>(transport: N): MessagingSettings[N] {
  return messagingSettings(ScenarioSchema.parse({ name: 'defaults' }), transport);
}

/** JSON Schema of scenario files, for editor completion. */
export function scenarioJsonSchema(): unknown {
  return z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' });
}
