import { z } from 'zod';
/**
 * The target file format (YAML, validated with zod): per transport, where the brokers
 * are and how to connect. Secrets are never values here: a password is named by the
 * environment variable (`passwordEnv`) or file (`passwordFile`) that holds it. Any
 * string may use `${NAME}` for an environment variable (paths, addresses), resolved
 * when the file is loaded. Relative file paths are relative to the target file.
 */
const secretFields = {
    /** environment variable holding the password */
    passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name').optional(),
    /** file holding the password (its first line) */
    passwordFile: z.string().min(1).optional(),
};
const Tls = z.strictObject({
    /** PEM file of the CA certificate(s) that signed the brokers' certificates (default: the system's CAs) */
    ca: z.string().min(1).optional(),
    /** client certificate (PEM), for brokers that ask for one */
    cert: z.string().min(1).optional(),
    /** the client certificate's private key (PEM) */
    key: z.string().min(1).optional(),
    /** environment variable holding the key's passphrase */
    keyPasswordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name').optional(),
    /** file holding the key's passphrase */
    keyPasswordFile: z.string().min(1).optional(),
    /** name the brokers' certificates carry, when it differs from the host connected to */
    servername: z.string().min(1).optional(),
}).meta({ description: 'TLS: the server certificate is always verified' });
/** `tls: true` is TLS with the system's CAs. */
const TlsOption = z.union([z.literal(true), Tls]);
const provision = z.boolean().default(true).meta({
    description: 'true: the run creates its topics/queues under the prefix and removes them afterwards; false: they exist already, named <prefix>.<channel>, and are left as they are',
});
const hostPort = z.string().regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port');
export const KafkaTargetSchema = z.strictObject({
    /** bootstrap servers: a list, or one comma-separated string */
    brokers: z.union([z.array(hostPort).min(1), z.string().min(1)]),
    /** as Kafka's security.protocol */
    security: z.enum(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL']).default('PLAINTEXT'),
    sasl: z.strictObject({
        mechanism: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'plain', 'scram-sha-256', 'scram-sha-512']),
        username: z.string().min(1),
        ...secretFields,
    }).optional(),
    tls: TlsOption.optional(),
    provision,
});
export const RabbitTargetSchema = z.strictObject({
    /** amqp://host:port or amqps://host:port, without user or password */
    url: z.string().regex(/^amqps?:\/\//, 'expected an amqp:// or amqps:// URL'),
    vhost: z.string().optional(),
    username: z.string().min(1).optional(),
    ...secretFields,
    tls: Tls.optional(),
    /** management HTTP API base URL (https://host:15671), used by `bench clean` to list queues */
    managementUrl: z.string().regex(/^https?:\/\//, 'expected an http:// or https:// URL').optional(),
    provision,
});
export const ActivemqTargetSchema = z.strictObject({
    host: z.string().min(1),
    /** STOMP port (61613 plain, commonly 61614 for stomp+ssl) */
    port: z.coerce.number().int().min(1).max(65535),
    /** STOMP over TLS */
    tls: TlsOption.optional(),
    /** STOMP login */
    username: z.string().min(1).optional(),
    ...secretFields,
    provision,
});
export const TargetSchema = z.strictObject({
    /** the JSON Schema, for editors */
    $schema: z.string().optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    /** stem of every topic, queue and consumer group a run creates: <prefix>-<run id>-<transport>.<channel> */
    prefix: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-"').default('bench'),
    kafka: KafkaTargetSchema.optional(),
    rabbitmq: RabbitTargetSchema.optional(),
    activemq: ActivemqTargetSchema.optional(),
});
/** JSON Schema of target files, for editor completion (targets/target.schema.json). */
export function targetJsonSchema() {
    return z.toJSONSchema(TargetSchema, { io: 'input', unrepresentable: 'any' });
}
//# sourceMappingURL=schema.js.map