import { kafkaBrokerDefaults } from './settings.js';
/** Node ids 1..n on consecutive broker and controller ports. */
export function kafkaNodes(nodes, port, controllerPort) {
    return Array.from({ length: nodes }, (_, i) => ({ id: i + 1, port: port + i, controllerPort: controllerPort + i }));
}
export const SECURE_SASL_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512', 'PLAIN'];
function listenerProps(host, node, secure) {
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
        'listener.name.sasl_ssl.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required user_${secure.user}="${secure.password}";`,
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
export function renderServerProperties(host, node, all, dataDir, secure) {
    const props = {
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
export function scramFormatArgs(secure) {
    if (!secure)
        return [];
    const users = [[secure.user, secure.password], [secure.limitedUser, secure.limitedPassword]];
    return ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((m) => users.flatMap(([name, password]) => ['--add-scram', `${m}=[name=${name},password=${password}]`]));
}
/** Kafka 4 logs with log4j2; everything goes to one file in the node's directory. */
export function renderLog4j2(logFile) {
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
//# sourceMappingURL=kafka-config.js.map