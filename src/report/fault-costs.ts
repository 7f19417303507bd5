import type { Result } from '../result/schema.js';
import { escapeHtml as esc } from './escape.js';

type Fault = Result['transports'][number]['faults'][number];

/** `kill broker activemq`, `kill broker kafka node 2`, `blackhole network`, `kill payment #0`. */
export function faultName(f: Fault): string {
  if (f.target === 'broker') return `${f.action} broker ${f.broker ?? ''}${f.node !== undefined ? ` node ${f.node}` : ''}`.trim();
  return `${f.action} ${f.target}${f.instance !== undefined ? ` #${f.instance}` : ''}`;
}

const cell = (v: number | null | undefined, unit = ''): string => (v === null || v === undefined ? '–' : `${v}${unit}`);

/** One row per transport and fault: what it cost (lost, duplicates, errors, p99 in the window, recovery). */
export function faultCostsSection(result: Result): string {
  const rows = result.transports.flatMap((t) =>
    t.faults
      .filter((f) => f.cost)
      .map((f) => {
        const c = f.cost!;
        return `<tr><td>${esc(t.label ?? t.name)}</td><td title="${esc(f.detail ?? '')}">${esc(faultName(f))}</td><td>${f.startS}–${f.endS ?? '?'} s</td><td>${c.orders}</td><td>${c.lost}</td><td>${c.duplicates}</td><td>${c.reordered}</td><td>${c.errors + c.timedOut}</td><td>${cell(c.p99InWindowMs, ' ms')}</td><td>${cell(c.startToRecoveredS, ' s')}</td><td>${cell(c.endToFirstSuccessS, ' s')}</td><td>${cell(c.endToDrainedS, ' s')}</td></tr>`;
      }),
  );
  if (rows.length === 0) return '';
  return `<section id="fault-costs"><h2>What each fault cost</h2>
<table class="verdict"><thead><tr><th>transport</th><th>fault</th><th>window</th><th>orders touched</th><th>lost</th><th>duplicates</th><th>reordered</th><th>errors + timeouts</th><th>p99 in window</th><th>start → back to half rate</th><th>end → first success</th><th>end → backlog drained</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>
<p class="howto"><strong>How to read this:</strong> "orders touched" were intended from one order timeout before the fault began until it ended (in flight then, or started during it); <em>lost</em> were accepted and never finished. Errors, timeouts and the p99 are those of the window's seconds. "Start → back to half rate" is how long orders completed at less than half the rate of before: shorter than the window means the system recovered while the fault went on (a Kafka failover), longer means it waited for the fault's end. The other recovery times run from the fault's end (a killed broker's restart, a healed partition) to the first completed order and to an empty backlog. Hover a fault for what exactly was done.</p></section>`;
}
