/**
 * The messaging contract over the secure local brokers: Kafka over SASL_SSL with
 * SCRAM-SHA-512, RabbitMQ over amqps, ActiveMQ over stomp+ssl, each with its own login
 * and a certificate from the test CA, as targets/local-secure.yaml describes them.
 */
import { createAdapter as activemq } from '../../adapters/activemq/index.js';
import { createAdapter as kafka } from '../../adapters/kafka/index.js';
import { createAdapter as rabbitmq } from '../../adapters/rabbitmq/index.js';
import { messagingContract } from '../contract/messaging-contract.js';
import { secureEndpoints } from '../support/secure.js';

messagingContract('kafka', kafka, { partitions: 3, replicationFactor: 1, minInsyncReplicas: 1, commitInterval: 100 }, secureEndpoints, { brokerRestart: false });
messagingContract('rabbitmq', rabbitmq, { prefetch: 50, shards: 6, queueType: 'classic' }, secureEndpoints, { brokerRestart: false });
messagingContract('activemq', activemq, { prefetch: 50 }, secureEndpoints, { brokerRestart: false });
