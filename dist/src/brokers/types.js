export const BROKER_NAMES = ['kafka', 'rabbitmq', 'activemq', 'nats', 'redis', 'mosquitto'];
//# sourceMappingURL=types.js.map