import { kafkaBrokerDefaults } from './settings.js';

/** server.properties and log4j2 configuration of one node of a KRaft cluster (combined broker + controller). */

export interface KafkaNode {
  id: number;
  port: number;
  controllerPort: number;
}

/** Node ids 1..n on consecutive broker and controller ports. */
export function kafkaNodes(nodes: number, port: number, controllerPort: number): KafkaNode[] {
  return Array.from({ length: nodes }, (_, i) => ({ id: i + 1, port: port + i, controllerPort: controllerPort + i }));
}

/**
 * A SASL_SSL listener for clients (SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN, one user),
 * beside a plaintext inter-broker listener on 127.0.0.1 (a single node talking to itself).
 * SCRAM credentials live in the cluster metadata (see `scramFormatArgs`); PLAIN's are in
 * the listener's JAAS line.
 */
export interface KafkaSecureListener {
  internalPort: number;
  keystore: string;
  keystorePassword: string;
  /** a super user: may do anything */
  user: string;
  password: string;
  /** a user with no ACLs at all: may connect, nothing more (tests what a run says when it may not create its topics) */
  limitedUser: string;
  limitedPassword: string;
}

export const SECURE_SASL_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512', 'PLAIN'] as const;

function listenerProps(host: string, node: KafkaNode, secure: KafkaSecureListener | undefined): Record<string, string> {
  if (!secure) {
    return {
      listeners: `PLAINTEXT://${host}:${node.port},CONTROLLER://${host}:${node.controllerPort}`,
      'advertised.listeners': `PLAINTEXT://${host}:${node.port}`,
      'inter.broker.listener.name': 'PLAINTEXT',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    };
  }
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  return {
    listeners: `SASL_SSL://${host}:${node.port},INTERNAL://${host}:${secure.internalPort},CONTROLLER://${host}:${node.controllerPort}`,
    'advertised.listeners': `SASL_SSL://${host}:${node.port},INTERNAL://${host}:${secure.internalPort}`,
    'inter.broker.listener.name': 'INTERNAL',
    'listener.security.protocol.map': 'SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'sasl.enabled.mechanisms': SECURE_SASL_MECHANISMS.join(','),
    'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config': scram,
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': scram,
    'listener.name.sasl_ssl.plain.sasl.jaas.config':
      `org.apache.kafka.common.security.plain.PlainLoginModule required user_${secure.user}="${secure.password}";`,
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': secure.keystore,
    'ssl.keystore.password': secure.keystorePassword,
    'ssl.client.auth': 'none',
    // ACLs on: the user is a super user; ANONYMOUS is the broker itself on its plaintext
    // inter-broker and controller listeners (127.0.0.1 only)
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': `User:${secure.user};User:ANONYMOUS`,
    'allow.everyone.if.no.acl.found': 'false',
  };
}

export function renderServerProperties(host: string, node: KafkaNode, all: KafkaNode[], dataDir: string, secure?: KafkaSecureListener): string {
  const props: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': String(node.id),
    'controller.quorum.voters': all.map((n) => `${n.id}@${host}:${n.controllerPort}`).join(','),
    ...listenerProps(host, node, secure),
    'controller.listener.names': 'CONTROLLER',
    'log.dirs': dataDir,
    ...kafkaBrokerDefaults(all.length),
  };
  return Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
}

/** `kafka-storage format` arguments that create the SCRAM user in the new cluster's metadata. */
export function scramFormatArgs(secure: KafkaSecureListener | undefined): string[] {
  if (!secure) return [];
  const users: Array<[string, string]> = [[secure.user, secure.password], [secure.limitedUser, secure.limitedPassword]];
  return ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((m) => users.flatMap(([name, password]) => ['--add-scram', `${m}=[name=${name},password=${password}]`]));
}

/** Kafka 4 logs with log4j2; everything goes to one file in the node's directory. */
export function renderLog4j2(logFile: string): string {
  return [
    'Configuration:',
    '  Appenders:',
    '    File:',
    '      name: FILE',
    `      fileName: ${JSON.stringify(logFile)}`,
    '      PatternLayout:',
    '        pattern: "[%d] %p %m (%c)%n"',
    '  Loggers:',
    '    Root:',
    '      level: INFO',
    '      AppenderRef:',
    '        - ref: FILE',
    '    Logger:',
    '      - name: kafka.request.logger',
    '        level: WARN',
    '      - name: org.apache.kafka.controller',
    '        level: INFO',
    '',
  ].join('\n');
}
