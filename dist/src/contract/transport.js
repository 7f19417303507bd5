export const TRANSPORT_NAMES = ['rest', 'kafka', 'rabbitmq', 'activemq'];
//# sourceMappingURL=transport.js.map