import { describe, expect, it } from 'vitest';
import { createAdapter, durabilityOf } from '../../adapters/redis/index.js';
import { groupName, streamKey } from '../../adapters/redis/names.js';
import type { RedisSettings } from '../../src/contract/transport.js';
import { testEndpoints } from '../contract/endpoints.js';
import { messagingContract } from '../contract/messaging-contract.js';

// Six shards, so that three members each own two in the contract's sharing test.
const SETTINGS: RedisSettings = { shards: 6, prefetch: 50 };

messagingContract('redis', createAdapter, SETTINGS, testEndpoints, { brokerRestart: false });

describe('redis adapter specifics', () => {
  it('names a stream per shard and a group per channel', () => {
    expect(streamKey('bench-x', 'payment', 2)).toBe('bench-x:payment:2');
    expect(groupName('bench-x', 'payment')).toBe('bench-x:payment');
  });

  it('says plainly what the server’s persistence means for an acknowledged publish', async () => {
    expect(durabilityOf('no', 'everysec', '')).toMatch(/memory only .*restart or crash loses every stream/);
    expect(durabilityOf('yes', 'everysec', '')).toMatch(/up to ~1 s/);
    expect(durabilityOf('no', 'everysec', '3600 1')).toMatch(/since the last snapshot/);
    const d = await createAdapter().describe({ prefix: 'bench-rd', instancesPerService: 1, settings: SETTINGS, endpoints: testEndpoints() });
    expect(d.server?.name).toBe('Redis');
    expect(String(d.delivery.persistence)).toMatch(/memory only|append-only/);
  });

  it('rejects a publish to a channel that was never provisioned, naming the stream', async () => {
    const spec = { prefix: 'bench-rnone', instancesPerService: 1, settings: SETTINGS, endpoints: testEndpoints() };
    const connection = await createAdapter().connect(spec, 'unprovisioned');
    try {
      await expect(connection.publish('order', { customerId: 'c1', eventId: 'e1' } as never)).rejects.toThrow(/bench-rnone:order:\d.*not provisioned/);
    } finally {
      await connection.close();
    }
  });
});
