import { describe, expect, it } from 'vitest';
import { SECURE_DEFAULT_PORTS, securePorts } from '../../src/brokers/secure.js';
import { DEFAULT_PORTS, resolveSettings } from '../../src/brokers/settings.js';

describe('broker ports', () => {
  it('come from overrides, then the environment, then the defaults', () => {
    const s = resolveSettings({ ports: { rabbitmq: 6000 } }, { BENCH_KAFKA_PORT: '9500', BENCH_RABBITMQ_PORT: 'not read: overridden', BENCH_NATS_PORT: '' });
    expect(s.ports).toEqual({ ...DEFAULT_PORTS, kafka: 9500, rabbitmq: 6000 });
  });

  it('refuse a value that is not a port, naming the variable', () => {
    expect(() => resolveSettings({}, { BENCH_STOMP_PORT: '70000' })).toThrow('BENCH_STOMP_PORT=70000 is not a port number (1-65535)');
    expect(() => resolveSettings({}, { BENCH_MQTT_PORT: '18.83' })).toThrow('BENCH_MQTT_PORT=18.83 is not a port number');
  });

  it('the secure set reads its own variables the same way', () => {
    expect(securePorts({ BENCH_SECURE_KAFKA_PORT: '9400', BENCH_KAFKA_PORT: '1' })).toEqual({ ...SECURE_DEFAULT_PORTS, kafka: 9400 });
    expect(() => securePorts({ BENCH_SECURE_STOMP_PORT: 'x' })).toThrow('BENCH_SECURE_STOMP_PORT=x is not a port number');
  });
});
