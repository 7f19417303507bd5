/**
 * The librdkafka client, loaded only when a scenario asks for it: the package is an
 * optional dependency (its native build needs librdkafka), so nothing here imports it
 * statically and the harness builds and runs without it. The types below are the few
 * parts of its KafkaJS-compatible API (`require('@confluentinc/kafka-javascript').KafkaJS`)
 * this adapter uses.
 */
import { createRequire } from 'node:module';
import { BenchError } from '../../src/contract/errors.js';

export const PACKAGE = '@confluentinc/kafka-javascript';

/** The one line a run gets when a scenario asks for librdkafka and the package is not installed. */
export const MISSING_LINE = `transport.kafka.client: librdkafka needs ${PACKAGE}: install it with CKJS_LINKING=dynamic npm install ${PACKAGE} (needs librdkafka-dev)`;

export interface RdMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
}
export interface RdEachMessagePayload {
  topic: string;
  partition: number;
  message: RdMessage;
}
export interface RdTopicPartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}
export interface RdProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(record: { topic: string; messages: Array<{ key: string; value: string }> }): Promise<unknown>;
}
export interface RdConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(s: { topics: string[] }): Promise<void>;
  run(o: { partitionsConsumedConcurrently: number; eachMessage: (p: RdEachMessagePayload) => Promise<void> }): Promise<void>;
  commitOffsets(offsets: RdTopicPartitionOffset[]): Promise<void>;
  pause(topics: Array<{ topic: string; partitions: number[] }>): void;
}
export interface RdLogger {
  info(message: string, extra?: object): void;
  error(message: string, extra?: object): void;
  warn(message: string, extra?: object): void;
  debug(message: string, extra?: object): void;
  namespace(namespace: string, level?: number): RdLogger;
  setLogLevel(level: number): void;
}
/** Constructor config: librdkafka properties, and the KafkaJS-shaped ones in `kafkaJS`. */
export type RdConfig = Record<string, unknown> & { kafkaJS?: Record<string, unknown> };
export interface RdKafka {
  producer(config: RdConfig): RdProducer;
  consumer(config: RdConfig): RdConsumer;
}
interface Library {
  KafkaJS: { Kafka: new (config: RdConfig) => RdKafka };
  librdkafkaVersion: string;
}

let loaded: { lib: Library; version: string } | undefined;

/** The library, or a BenchError (INSTALL) with MISSING_LINE when it is not installed or did not build. */
export function loadLibrary(): { lib: Library; version: string } {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  try {
    const lib = require(PACKAGE) as Library;
    const version = (require(`${PACKAGE}/package.json`) as { version: string }).version;
    loaded = { lib, version };
    return loaded;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') throw new BenchError('INSTALL', MISSING_LINE, { cause: e });
    // installed but its native part does not load (built for another Node, a missing shared library)
    throw new BenchError('INSTALL', `${MISSING_LINE}; it is installed but does not load: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
}

/** True when the library loads here (tests skip with a reason otherwise). */
export function libraryAvailable(): boolean {
  try {
    loadLibrary();
    return true;
  } catch {
    return false;
  }
}

/** `@confluentinc/kafka-javascript 1.10.1 (librdkafka 2.15.1)` */
export function clientSummary(): string {
  const { lib, version } = loadLibrary();
  return `${PACKAGE} ${version} (librdkafka ${lib.librdkafkaVersion})`;
}
