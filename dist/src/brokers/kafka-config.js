import { kafkaBrokerDefaults } from './settings.js';
/** Node ids 1..n on consecutive broker and controller ports. */
export function kafkaNodes(nodes, port, controllerPort) {
    return Array.from({ length: nodes }, (_, i) => ({ id: i + 1, port: port + i, controllerPort: controllerPort + i }));
}
export function renderServerProperties(host, node, all, dataDir) {
    const props = {
        'process.roles': 'broker,controller',
        'node.id': String(node.id),
        'controller.quorum.voters': all.map((n) => `${n.id}@${host}:${n.controllerPort}`).join(','),
        listeners: `PLAINTEXT://${host}:${node.port},CONTROLLER://${host}:${node.controllerPort}`,
        'advertised.listeners': `PLAINTEXT://${host}:${node.port}`,
        'controller.listener.names': 'CONTROLLER',
        'inter.broker.listener.name': 'PLAINTEXT',
        'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
        'log.dirs': dataDir,
        ...kafkaBrokerDefaults(all.length),
    };
    return Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
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