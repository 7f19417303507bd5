import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { notOwnedReason } from '../../src/brokers/control.js';
import { brokerEndpoints } from '../../src/brokers/index.js';
import { resolveSettings } from '../../src/brokers/settings.js';

/**
 * Why a broker fault is refused for Kafka, from bench's record of its cluster: a node of
 * its own that is down is named as such (with how to start it), not called foreign.
 */
describe('refusing a Kafka broker fault', () => {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A recorded 3-node cluster on 39092–39094 whose live nodes are stand-in processes carrying their config path. */
  function cluster(liveIds: number[]) {
    const stateDir = mkdtempSync(join(tmpdir(), 'bench-refusal-'));
    dirs.push(stateDir);
    mkdirSync(join(stateDir, 'kafka'), { recursive: true });
    const nodes = [1, 2, 3].map((id) => {
      const config = join(stateDir, 'kafka', `node-${id}`, 'server.properties');
      let pid = 2 ** 22 + id; // no such process
      if (liveIds.includes(id)) {
        const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', config], { stdio: 'ignore' });
        children.push(c);
        pid = c.pid!;
      }
      return { id, port: 39091 + id, controllerPort: 39191 + id, pid, config };
    });
    writeFileSync(join(stateDir, 'kafka', 'run.json'), JSON.stringify({ version: '4.4.0', clusterDir: join(stateDir, 'kafka'), nodes }));
    const opts = { stateDir, ports: { kafka: 39092, kafkaController: 39192 } };
    return { s: resolveSettings(opts), e: { ...brokerEndpoints(opts), kafka: { ...brokerEndpoints(opts).kafka, brokers: nodes.map((n) => `127.0.0.1:${n.port}`) } } };
  }

  it('names a node of its own cluster that is down, and how to start it', () => {
    const { s, e } = cluster([1, 2]);
    expect(notOwnedReason('kafka', s, e)).toBe("kafka node 3 (127.0.0.1:39094) of bench's cluster is not running; start it again with `npx bench brokers up --kafka-brokers 3`");
  });

  it('accepts the cluster when every node runs', () => {
    const { s, e } = cluster([1, 2, 3]);
    expect(notOwnedReason('kafka', s, e)).toBeUndefined();
  });

  it('still calls an address outside the record foreign', () => {
    const { s, e } = cluster([1, 2, 3]);
    e.kafka.brokers = [...e.kafka.brokers, '127.0.0.1:39999'];
    expect(notOwnedReason('kafka', s, e)).toMatch(/^kafka at 127\.0\.0\.1:39999 was not started by bench; /);
  });
});
