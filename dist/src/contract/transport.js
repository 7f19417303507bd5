export const TRANSPORT_NAMES = ['rest', 'kafka', 'rabbitmq', 'activemq', 'nats', 'redis', 'mqtt'];
//# sourceMappingURL=transport.js.map