import { decodeHistogram, mergeHistograms } from '../metrics/histogram.js';
/** Asks every service process for its figures (over IPC) and adds them up per service. */
export async function collectServiceFigures(processes) {
    const byHop = new Map();
    const services = {};
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
    const hops = {};
    for (const [hop, list] of byHop)
        hops[hop] = mergeHistograms(list);
    return { hops, services };
}
//# sourceMappingURL=service-figures.js.map