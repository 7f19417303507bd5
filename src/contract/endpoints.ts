/**
 * Where each broker is and how to connect to it: addresses, TLS files, SASL mechanism,
 * user. A password is never a value here, only the name of the environment variable or
 * file that holds it (`SecretRef`), so endpoints can travel to service processes as JSON,
 * be described and logged, and never carry a secret. `secrets.ts` reads one at the
 * moment a client connects. Types only.
 */

/** A secret named, not held: an environment variable or a file (its first line; trailing newline dropped). */
export type SecretRef = { env: string } | { file: string };

/**
 * TLS settings. The server's certificate is always verified: against `ca` when given (a
 * private or self-signed CA), else against the system's trusted CAs.
 */
export interface TlsFiles {
  /** PEM file of the CA certificate(s) to trust */
  ca?: string;
  /** client certificate (PEM), for brokers that ask for one */
  cert?: string;
  /** the client certificate's private key (PEM) */
  key?: string;
  /** passphrase of an encrypted `key` */
  keyPassword?: SecretRef;
  /** name the server's certificate must carry, when it differs from the host connected to */
  servername?: string;
}

export type KafkaSecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaEndpoint {
  /** bootstrap servers, `host:port` */
  brokers: string[];
  /** as Kafka's `security.protocol`; PLAINTEXT when absent */
  security?: KafkaSecurityProtocol;
  /** for SASL_PLAINTEXT and SASL_SSL */
  sasl?: { mechanism: KafkaSaslMechanism; username: string; password: SecretRef };
  /** for SSL and SASL_SSL */
  tls?: TlsFiles;
}

export interface RabbitEndpoint {
  /** `amqp://host:port[/vhost]` or `amqps://…`; the local default carries guest:guest, a target never a password */
  url: string;
  /** overrides the URL's vhost */
  vhost?: string;
  username?: string;
  password?: SecretRef;
  /** for amqps:// */
  tls?: TlsFiles;
  /** management HTTP API (`https://host:15671`), used to list queues for `bench clean` */
  managementUrl?: string;
}

export interface ActivemqEndpoint {
  host: string;
  /** STOMP port (stomp+ssl when `tls` is set) */
  port: number;
  /** present: STOMP over TLS */
  tls?: TlsFiles;
  /** STOMP `login` */
  username?: string;
  /** STOMP `passcode` */
  password?: SecretRef;
}

export interface BrokerEndpoints {
  kafka: KafkaEndpoint;
  rabbitmq: RabbitEndpoint;
  activemq: ActivemqEndpoint;
  /** NATS servers, `host:port` (plain; TLS and credentials not supported by this harness yet) */
  nats: { servers: string[] };
  /** `redis://host:port` (plain) */
  redis: { url: string };
  /** `mqtt://host:port` (plain) */
  mqtt: { url: string };
}
