import { decodeHistogram, mergeHistograms, type Histogram } from '../metrics/histogram.js';
import type { TransportResult } from '../result/schema.js';
import type { ServiceProcess } from './service-process.js';

/** What the service processes of one run counted, summed per service, hop histograms merged. */
export interface ServiceFigures {
  /** emitted → handled latency per hop (`order→inventory:order_created`), µs */
  hops: Record<string, Histogram>;
  services: TransportResult['services'];
}

/** Asks every service process for its figures (over IPC) and adds them up per service. */
export async function collectServiceFigures(processes: readonly ServiceProcess[]): Promise<ServiceFigures> {
  const byHop = new Map<string, Histogram[]>();
  const services: TransportResult['services'] = {};
  for (const p of processes) {
    const all = await p.stats();
    const s = (services[p.config.service] ??= { handled: 0, duplicates: 0, redelivered: 0, restarts: 0 });
    s.restarts += p.restarts;
    for (const st of all) {
      s.handled += st.handled;
      s.duplicates += st.duplicates;
      s.redelivered += st.redelivered;
      if (st.brokerRequests) {
        const sum = (s.brokerRequests ??= {});
        for (const [api, n] of Object.entries(st.brokerRequests)) sum[api] = (sum[api] ?? 0) + n;
      }
      for (const [hop, enc] of Object.entries(st.hops)) {
        const list = byHop.get(hop) ?? [];
        list.push(decodeHistogram(enc));
        byHop.set(hop, list);
      }
    }
  }
  const hops: Record<string, Histogram> = {};
  for (const [hop, list] of byHop) hops[hop] = mergeHistograms(list);
  return { hops, services };
}

/**
 * Broker requests per order of the measured window, summed over every service process:
 * `brokerRequestsPerOrder` (all APIs) and `brokerRequestsPerOrder.<Api>` (`.Produce`,
 * `.Fetch`, `.OffsetCommit`, ...), two decimals. Orders are those that reached a terminal
 * state. Empty when no service counted its requests or no order finished.
 */
export function brokerRequestFigures(services: TransportResult['services'], orders: number): Record<string, number> {
  const byApi = new Map<string, number>();
  for (const s of Object.values(services)) {
    for (const [api, n] of Object.entries(s.brokerRequests ?? {})) byApi.set(api, (byApi.get(api) ?? 0) + n);
  }
  if (byApi.size === 0 || orders <= 0) return {};
  const perOrder = (n: number): number => Math.round((n / orders) * 100) / 100;
  const out: Record<string, number> = { brokerRequestsPerOrder: perOrder([...byApi.values()].reduce((a, b) => a + b, 0)) };
  for (const [api, n] of [...byApi].sort(([a], [b]) => a.localeCompare(b))) out[`brokerRequestsPerOrder.${api}`] = perOrder(n);
  return out;
}
