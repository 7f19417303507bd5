export const BROKER_NAMES = ['kafka', 'rabbitmq', 'activemq'];
//# sourceMappingURL=types.js.map