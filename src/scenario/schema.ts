import { z } from 'zod';
import type { MessagingSettings, MessagingTransportName } from '../contract/transport.js';
import { BOUNDS, boundedDuration, boundedList, boundedNumber, TEXT_MAX, type Bound } from './bounds.js';
import { formatDurationMs } from './duration.js';

/**
 * The scenario file format (YAML), validated with zod. Durations are written as
 * `250ms`, `20s`, `2m` (or a number of milliseconds) and are milliseconds once parsed.
 */
const d = (b: Bound) => boundedDuration(b);
const n = (b: Bound) => boundedNumber(b);

export const TransportNameSchema = z.enum(['rest', 'kafka', 'rabbitmq', 'activemq', 'nats', 'redis', 'mqtt']);

const Stage = z.strictObject({
  /** the rate reached at the end of the stage, orders/s */
  target: n(BOUNDS.stageRate),
  duration: d(BOUNDS.duration),
});

/** find-knee: steps of one rate each, judged against the SLO, narrowing on the highest rate that holds */
export const KneeSchema = z
  .strictObject({
    /** length of one step (one rate) */
    step: d(BOUNDS.kneeStep).default(5_000),
    /** the first part of each step, not judged (the system settles at the new rate) */
    settle: d(BOUNDS.kneeSettle).default(2_000),
    /** after a step that held, the next rate is this × the last, until the first failure */
    factor: n(BOUNDS.kneeFactor).default(1.5),
    /** the search ends once the failed rate is at most good × (1 + precision) */
    precision: n(BOUNDS.kneePrecision).default(0.1),
    /** the highest rate tried, orders/s: holding it ends the search with the knee not reached */
    maxRate: n(BOUNDS.rate).default(5_000),
    /** the longest the search may run, after the warm-up */
    maxDuration: d(BOUNDS.kneeMaxDuration).default(240_000),
  })
  .meta({ description: 'find-knee: steps of one rate each, judged against slo.endToEndP99, narrowing on the highest rate that holds' });

export const WorkloadSchema = z
  .strictObject({
    executor: z.enum(['constant-arrival-rate', 'ramping-arrival-rate', 'constant-concurrency', 'find-knee']).default('constant-arrival-rate'),
    /** orders per second (constant-arrival-rate) */
    rate: n(BOUNDS.rate).meta({ description: 'orders per second' }).default(50),
    /** measured duration, after the warm-up (constant-arrival-rate, constant-concurrency) */
    duration: d(BOUNDS.duration).default(20_000),
    /** excluded from results; the least the warm-up lasts (it goes on until the run is steady) */
    warmup: d(BOUNDS.warmup).default(3_000),
    /** the longest the warm-up may go on waiting for the run to be steady; default 60 s, or the warm-up when longer */
    maxWarmup: d(BOUNDS.maxWarmup).optional(),
    /** orders in flight at most; an order that would exceed it is dropped (open model) */
    maxInFlight: n(BOUNDS.maxInFlight).default(1_000),
    /** ramping-arrival-rate: starting rate and stages; find-knee: the first step's rate */
    startRate: n(BOUNDS.stageRate).default(0),
    stages: boundedList(Stage, BOUNDS.steps).default([]),
    /** find-knee: steps, settling, growth, precision and limits of the search */
    knee: KneeSchema.default(() => KneeSchema.parse({})),
    /** constant-concurrency (closed model): virtual users each running one order at a time */
    concurrency: n(BOUNDS.concurrency).default(10),
    /** deadline of one order, from its intended start */
    timeout: d(BOUNDS.timeout).default(10_000),
    /** after the schedule ends, how long to wait for orders still in flight */
    drain: d(BOUNDS.drain).default(10_000),
  })
  .superRefine((w, ctx) => {
    const stagesMs = w.stages.reduce((t, st) => t + st.duration, 0);
    if (stagesMs > BOUNDS.duration.max) {
      ctx.addIssue({ code: 'custom', path: ['stages'], message: `the stages last ${Math.round(stagesMs / 3_600_000)} h together; expected at most 24 h (${BOUNDS.duration.why})` });
    }
    if (w.maxWarmup !== undefined && w.maxWarmup < w.warmup) {
      ctx.addIssue({ code: 'custom', path: ['maxWarmup'], message: `expected at least the warm-up (${formatDurationMs(w.warmup)}), got ${formatDurationMs(w.maxWarmup)}` });
    }
    if (w.executor === 'ramping-arrival-rate' && w.stages.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['stages'], message: 'ramping-arrival-rate needs at least one stage ({ target, duration })' });
    }
    if (w.executor === 'find-knee' && !(w.startRate > 0)) {
      ctx.addIssue({ code: 'custom', path: ['startRate'], message: `find-knee needs the first step's rate: expected more than 0 orders/s, got ${w.startRate}` });
    }
    if (w.knee.settle + 2_000 > w.knee.step) {
      ctx.addIssue({ code: 'custom', path: ['knee', 'settle'], message: `expected at most knee.step − 2 s (${(w.knee.step - 2_000) / 1000} s), so each step has 2 judged seconds; got ${w.knee.settle / 1000} s` });
    }
    if (w.executor === 'find-knee' && w.startRate > w.knee.maxRate) {
      ctx.addIssue({ code: 'custom', path: ['knee', 'maxRate'], message: `expected at least workload.startRate (${w.startRate} orders/s), got ${w.knee.maxRate}` });
    }
  });

export const CustomersSchema = z.strictObject({
  /** number of distinct customers orders are spread over */
  count: n(BOUNDS.customers).default(100),
  /** names of the first customers (the course notes' Priya and Neeraj) */
  names: boundedList(z.string().max(TEXT_MAX.customerName).regex(/^[a-z0-9_-]+$/i, 'letters, digits, _ and - only'), { min: 0, max: 1_000, why: 'named customers' }).default([]),
  /** consecutive orders per customer before moving to the next one */
  burst: n(BOUNDS.burst).default(1),
});

export const WorkflowSchema = z.strictObject({
  /** share of orders whose payment fails, 0..1 */
  paymentFailureRatio: z.number().min(0).max(1).default(0),
  /** seed of the payment decision */
  seed: z.number().int().default(1),
  /** fixed extra delay per event or request, per service (a wait: events are delayed side by side) */
  serviceDelays: z
    .strictObject({ order: d(BOUNDS.serviceTime).optional(), inventory: d(BOUNDS.serviceTime).optional(), payment: d(BOUNDS.serviceTime).optional(), shipment: d(BOUNDS.serviceTime).optional() })
    .default({}),
  /**
   * work per event or request, per service: each instance does one piece of work at a
   * time, so this caps the service's capacity at 1000 / work orders/s per instance
   */
  serviceWork: z
    .strictObject({ order: d(BOUNDS.serviceTime).optional(), inventory: d(BOUNDS.serviceTime).optional(), payment: d(BOUNDS.serviceTime).optional(), shipment: d(BOUNDS.serviceTime).optional() })
    .default({}),
  /**
   * busy CPU per event or request, per service (0 to 1000 ms): a spin loop, not a wait,
   * so the service process uses that much of a core for each one. Makes a service
   * CPU-bound on purpose (one instance does at most 1000 / cpu per second), so the
   * harness's PROCESS_CPU_BOUND warning can be seen and tested
   */
  serviceCpu: z
    .strictObject({ order: d(BOUNDS.serviceCpu).optional(), inventory: d(BOUNDS.serviceCpu).optional(), payment: d(BOUNDS.serviceCpu).optional(), shipment: d(BOUNDS.serviceCpu).optional() })
    .default({}),
});

export const SloSchema = z.strictObject({
  /** end-to-end p99 a second must stay under to count as sustainable */
  endToEndP99: d(BOUNDS.slo).default(250),
});

/**
 * The transport's floor, measured before the load (src/runtime/calibration.ts): its raw
 * round trip with the same client, settings and broker, shown beside every hop.
 */
export const CalibrationSettingsSchema = z
  .strictObject({
    samples: n(BOUNDS.calibrationSamples).meta({ description: 'recorded round trips; 0 turns the calibration off' }).default(300),
    rate: n(BOUNDS.calibrationRate).meta({ description: 'recorded round trips per second, one at a time' }).default(100),
    warmup: n(BOUNDS.calibrationWarmup).meta({ description: 'unrecorded round trips first, back to back' }).default(1_000),
  })
  .meta({ description: "the transport's floor: its raw round trip with the same client, settings and broker, measured before the load and shown beside every hop" });

export const KafkaClientSchema = z
  .enum(['kafkajs', 'librdkafka'])
  .meta({ description: 'the Kafka client library that publishes and consumes: kafkajs (JavaScript) or librdkafka (C, through the optional @confluentinc/kafka-javascript)' });

/** One step of a multi-step scenario (scale-out): what changes from the base scenario. */
export const StepSchema = z.strictObject({
  label: z.string().max(TEXT_MAX.label).optional(),
  /** consumer instances per service */
  instances: n(BOUNDS.instances).optional(),
  /** partitions per channel: Kafka partitions, NATS and MQTT partition subjects/topics */
  partitions: n(BOUNDS.partitions).optional(),
  /** shards per channel: RabbitMQ shard queues, Redis shard streams */
  shards: n(BOUNDS.shards).optional(),
  /** arrival rate, orders/s */
  rate: n(BOUNDS.rate).optional(),
  /** the Kafka client (transport.kafka.client) */
  kafkaClient: KafkaClientSchema.optional(),
});

export const RestSettingsSchema = z.strictObject({
  /** keep-alive connections from the load driver to the order service */
  connections: n(BOUNDS.connections).default(16),
  /** keep-alive connections from the order service to each downstream service */
  downstreamConnections: n(BOUNDS.connections).default(16),
  /** deadline of one downstream call */
  requestTimeout: d(BOUNDS.requestTimeout).default(5_000),
});

export const KafkaSettingsSchema = z
  .strictObject({
    partitions: n(BOUNDS.partitions).default(3),
    replicationFactor: n(BOUNDS.replicas).default(1),
    /** at most replicationFactor, or every acks=all send would fail */
    minInsyncReplicas: n(BOUNDS.replicas).default(1),
    client: KafkaClientSchema.default('kafkajs'),
    /** kafkajs client: between commits of a member's handled offsets (and when a rebalance begins or it stops); 0: after every fetched batch */
    commitInterval: d(BOUNDS.commitInterval).default(100),
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
  prefetch: n(BOUNDS.prefetch).default(50),
  /** queues per channel that customers are hashed onto, each with a single active consumer */
  shards: n(BOUNDS.shards).default(2),
  queueType: z.enum(['classic', 'quorum']).default('classic'),
});

export const ActiveMqSettingsSchema = z.strictObject({
  prefetch: n(BOUNDS.prefetch).default(50),
});

export const NatsSettingsSchema = z.strictObject({
  /** subjects per channel that customers are hashed onto, each with its own durable pull consumer */
  partitions: n(BOUNDS.partitions).default(3),
  /** unacknowledged messages per partition consumer */
  maxAckPending: n(BOUNDS.prefetch).default(50),
  /** how long the server waits for an acknowledgement before it redelivers */
  ackWait: d(BOUNDS.requestTimeout).default(5_000),
  storage: z.enum(['file', 'memory']).default('file'),
  replicas: n(BOUNDS.replicas).default(1),
});

export const RedisSettingsSchema = z.strictObject({
  /** streams per channel that customers are hashed onto, each read by one member */
  shards: n(BOUNDS.shards).default(3),
  /** entries a member holds read and not yet acknowledged */
  prefetch: n(BOUNDS.prefetch).default(50),
});

export const MqttSettingsSchema = z.strictObject({
  /** topics per channel that customers are hashed onto */
  partitions: n(BOUNDS.partitions).default(3),
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
  instances: n(BOUNDS.instances).default(1),
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
    at: d(BOUNDS.faultAt),
    /** how long the fault lasts (kill: until restart; pause: until resume; delay: until removed) */
    duration: d(BOUNDS.faultLength),
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
    latency: d(BOUNDS.serviceTime).optional(),
    /** action latency: the delay is drawn uniformly from latency ± jitter */
    jitter: d(BOUNDS.serviceTime).optional(),
    /** action bandwidth: bytes per second per direction of each connection */
    bandwidth: z.number().int().positive().optional(),
    /** for `delay`: the extra delay per event or request */
    delay: d(BOUNDS.serviceTime).optional(),
    /** which instance of the service (default: all) */
    instance: n(BOUNDS.faultInstance).optional(),
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

const Expressions = boundedList(z.string().max(TEXT_MAX.expression), BOUNDS.thresholds);
/**
 * Faults on one target never overlap: a kill restarts the process when it ends, and a
 * second kill (or pause) of the same process inside that window would act on a process
 * still starting (1,000 kills 1 ms apart once reached 102 processes).
 */
type FaultTarget = { at: number; duration: number; target: string; instance?: number | undefined; party?: string | undefined; broker?: string | undefined; node?: number | string | undefined };

function checkFaultOverlap(faults: FaultTarget[], ctx: z.RefinementCtx): void {
  // what a fault acts on: a service (all instances or one), a broker (or one node), a party's links
  const key = (f: FaultTarget): string => `${f.target}/${f.party ?? ''}/${f.broker ?? ''}/${f.node ?? ''}`;
  for (let i = 0; i < faults.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = faults[j]!;
      const b = faults[i]!;
      const sameTarget = key(a) === key(b) && (a.instance === undefined || b.instance === undefined || a.instance === b.instance);
      if (sameTarget && a.at < b.at + b.duration && b.at < a.at + a.duration) {
        ctx.addIssue({ code: 'custom', path: [i], message: `overlaps fault ${j + 1} on ${b.target} (${a.at}–${a.at + a.duration} ms); faults on one target must not overlap` });
        return;
      }
    }
  }
}

export const ThresholdsSchema = z.union([Expressions, z.record(z.string(), Expressions)]);

export const ScenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z
    .string()
    .min(1)
    .max(TEXT_MAX.name)
    .regex(/^[^/\\\u0000-\u001f]+$/, 'no slashes or control characters'),
  description: z.string().max(TEXT_MAX.description).default(''),
  /** transports run by default (overridden by --transport) */
  transports: z.array(TransportNameSchema).min(1).default(['rest']),
  workload: WorkloadSchema.default(WorkloadSchema.parse({})),
  customers: CustomersSchema.default(CustomersSchema.parse({})),
  workflow: WorkflowSchema.default(WorkflowSchema.parse({})),
  transport: TransportSettingsSchema.default(TransportSettingsSchema.parse({})),
  faults: boundedList(FaultSchema, BOUNDS.faults).superRefine(checkFaultOverlap).default([]),
  /** thresholds: a list for every transport, or a map of transport (or `all`) to a list */
  thresholds: ThresholdsSchema.default([]),
  /** service level objective, for the sustainable-throughput figure */
  slo: SloSchema.default(SloSchema.parse({})),
  calibration: CalibrationSettingsSchema.default(CalibrationSettingsSchema.parse({})),
  /** run the scenario once per step (e.g. 1 → 2 → 4 instances); each step is its own entry in the result */
  steps: boundedList(StepSchema, BOUNDS.steps).default([]),
  /** labels shown in reports */
  labels: z.record(z.string().max(TEXT_MAX.label), z.string().max(TEXT_MAX.description)).default({}),
});

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type Workload = Scenario['workload'];
export type Fault = Scenario['faults'][number];
export type Step = Scenario['steps'][number];
export type TransportName = z.output<typeof TransportNameSchema>;

/** The settings a messaging transport's adapter receives from a scenario (parsed when the scenario was loaded). */
/** The longest a warm-up may go on waiting for a steady run, ms, when the scenario does not say. */
export const DEFAULT_MAX_WARMUP_MS = 60_000;

/** The longest the warm-up may last, ms: `maxWarmup`, else 60 s or the warm-up itself when longer. */
export function maxWarmupOf(w: Pick<Workload, 'warmup' | 'maxWarmup'>): number {
  return Math.max(w.warmup, w.maxWarmup ?? DEFAULT_MAX_WARMUP_MS);
}

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
