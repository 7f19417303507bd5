import type { BrokerEndpoints as ContractEndpoints } from '../contract/endpoints.js';

/** The real brokers the harness can start, stop and check. */
export type BrokerName = 'kafka' | 'rabbitmq' | 'activemq' | 'nats' | 'redis' | 'mosquitto';
export const BROKER_NAMES: readonly BrokerName[] = ['kafka', 'rabbitmq', 'activemq', 'nats', 'redis', 'mosquitto'];

export interface BrokerStatus {
  name: BrokerName;
  /** the broker's own version, as it reports it (or as its package/jars say) */
  version?: string;
  /** where clients connect: 'host:port' (Kafka: the bootstrap list, comma-separated) */
  address: string;
  /** process id; for a Kafka cluster the first node's (all of them are in `detail`) */
  pid?: number;
  /** true when `bench brokers up` started it (and `down` will stop it) */
  startedByUs: boolean;
  /** true when this very call started it (a test set-up stops only those) */
  startedNow?: boolean;
  /** true when a real client round trip (or, for status, a protocol handshake) succeeded */
  answers: boolean;
  detail?: string;
}

/** The local brokers' endpoints: plain, on 127.0.0.1, plus ActiveMQ's OpenWire port. */
export interface BrokerEndpoints extends ContractEndpoints {
  activemq: ContractEndpoints['activemq'] & { openwirePort: number };
  nats: { servers: string[] };
  redis: { url: string };
  mqtt: { url: string };
}

/** Progress lines ("installing activemq via apt-get… 14.2 s"). */
export type LogFn = (line: string) => void;

/** The test CA and server certificate of the secure brokers (files in the state directory). */
export interface TlsMaterial {
  dir: string;
  /** the CA certificate clients must trust */
  ca: string;
  serverCert: string;
  serverKey: string;
  /** server key and certificate chain for Java */
  keystore: string;
  keystorePassword: string;
}

/** Ports of the secure brokers (`bench brokers up --secure`); defaults in secure.ts. */
export interface SecurePorts {
  kafka: number;
  kafkaInternal: number;
  kafkaController: number;
  rabbitmq: number;
  rabbitmqManagement: number;
  stomp: number;
}

/** What the secure brokers were set up with: their login, passwords, certificates and ports. */
export interface SecureSetup {
  user: string;
  passwords: { kafka: string; kafkaLimited: string; rabbitmq: string; activemq: string };
  tls: TlsMaterial;
  ports: SecurePorts;
}
