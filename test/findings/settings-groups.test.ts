import { readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BrokerEndpoints, MessagingAdapter, MessagingRunSpec } from '../../src/contract/transport.js';
import { brokerEndpoints } from '../../src/brokers/index.js';
import { restDescription } from '../../src/runtime/transport-run.js';
import { loadScenario } from '../../src/scenario/load.js';
import { unreachableEndpoints } from '../contract/endpoints.js';
import { messagingSettings } from '../../src/scenario/schema.js';
import { SETTING_GROUPS, settingRow } from '../../src/report/settings-catalogue.js';

/**
 * Every delivery setting any adapter reports has a group and a meaning in the report's
 * settings table. The keys come from the adapters themselves: every folder under
 * adapters/ whose index.ts exports createAdapter() is asked to describe() itself, with
 * the scenario defaults, once against an address that does not answer (the branch a
 * down broker takes) and, when the suite has brokers, once against the real ones. A
 * new adapter or a new key without a catalogue entry fails here.
 */

const ADAPTERS = resolve('adapters');
/** The real endpoints with every port turned to 1 (nothing answers there): the branch a down broker takes, for every transport the endpoints know. */
function unreachable(e: unknown): unknown {
  if (typeof e === 'string') return e.replace(/:(\d{2,5})(?=$|[/?,])/g, ':1');
  if (Array.isArray(e)) return e.map(unreachable);
  if (e && typeof e === 'object') return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, typeof v === 'number' && /port$/i.test(k) ? 1 : unreachable(v)]));
  return e;
}
const UNREACHABLE = unreachable(brokerEndpoints()) as BrokerEndpoints;

async function messagingAdapters(): Promise<MessagingAdapter[]> {
  const out: MessagingAdapter[] = [];
  for (const dir of readdirSync(ADAPTERS, { withFileTypes: true })) {
    const index = join(ADAPTERS, dir.name, 'index.ts');
    if (!dir.isDirectory() || !existsSync(index)) continue;
    const mod = (await import(pathToFileURL(index).href)) as { createAdapter?: () => MessagingAdapter };
    if (typeof mod.createAdapter === 'function') out.push(mod.createAdapter());
  }
  return out;
}

async function reportedKeys(): Promise<Map<string, Set<string>>> {
  const { scenario } = loadScenario('smoke');
  const keys = new Map<string, Set<string>>();
  const add = (transport: string, delivery: Record<string, unknown>): void => {
    const set = keys.get(transport) ?? new Set<string>();
    for (const k of Object.keys(delivery)) set.add(k);
    keys.set(transport, set);
  };
  add('rest', restDescription(scenario).delivery);
  const endpoints = [UNREACHABLE, ...(process.env.BENCH_SKIP_BROKERS === '1' ? [] : [brokerEndpoints()])];
  for (const adapter of await messagingAdapters()) {
    for (const e of endpoints) {
      const spec: MessagingRunSpec = {
        prefix: `bench-settings-test-${adapter.name}`,
        instancesPerService: 1,
        settings: messagingSettings(scenario, adapter.name),
        endpoints: { ...UNREACHABLE, ...e },
      };
      let described;
      try {
        described = await adapter.describe(spec);
      } catch (err) {
        throw new Error(`adapters/${adapter.name}: describe() threw with ${e === UNREACHABLE ? 'unreachable' : 'real'} endpoints, so its settings cannot be checked: ${String(err)}`);
      }
      add(adapter.name, described.delivery);
    }
  }
  return keys;
}

describe('settings catalogue', () => {
  it('groups every key every adapter reports, with a one-line meaning', async () => {
    const keys = await reportedKeys();
    // the four transports of the harness at least; newer adapters are found the same way
    expect([...keys.keys()]).toEqual(expect.arrayContaining(['rest', 'kafka', 'rabbitmq', 'activemq']));
    const missing: string[] = [];
    for (const [transport, set] of keys) {
      for (const key of set) {
        const row = settingRow(key);
        if (!row || !(SETTING_GROUPS as readonly string[]).includes(row.group) || row.meaning.trim() === '') missing.push(`${transport}: ${key}`);
      }
    }
    expect(missing, `add these keys to src/report/settings-catalogue.ts: ${missing.join(', ')}`).toEqual([]);
  }, 60_000);

  it('knows nothing it should not: an unknown key has no group', () => {
    expect(settingRow('noSuchSetting')).toBeUndefined();
    expect(settingRow('toString')).toBeUndefined();
  });
});
