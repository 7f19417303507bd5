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
