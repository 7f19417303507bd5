import type { Command } from 'commander';

/** Further commands, one file each, loaded only when run. */
export const optionalCommands: Array<{ name: string; summary: string; load: () => Promise<{ command: () => Command }> }> = [
  { name: 'brokers', summary: 'start, stop and check real Kafka, RabbitMQ and ActiveMQ brokers (no Docker needed)', load: () => import('./brokers.js') },
];
