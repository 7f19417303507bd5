import { describe, expect, it } from 'vitest';
import { hopCell, renderSummaryTable } from '../../src/cli/summary-table.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { syntheticResult } from '../fixtures/synthetic-result.js';

const warning = { code: 'PROCESS_CPU_BOUND', message: 'payment#0 (service) used 98–100 % of a core in seconds 1–6 of the measured window: those seconds measure the harness, not the transport', process: 'payment#0', seconds: [1, 2, 3, 4, 5, 6] };

function result(calibration: boolean) {
  return syntheticResult({ transports: ['rest', 'kafka'], seconds: 5, calibration, warnings: { kafka: [warning] } });
}

describe('the end-of-run summary table', () => {
  it('shows each floor, each hop’s p50 as a multiple of it, and the warnings last', () => {
    const r = result(true);
    const text = renderSummaryTable(r);
    const lines = text.trimEnd().split('\n');
    const [rest, kafka] = r.transports as [(typeof r.transports)[0], (typeof r.transports)[0]];
    const floor = lines.find((l) => l.startsWith('floor p50/p99 ms'))!;
    expect(floor).toContain(`/`);
    expect(floor.split(/\s{2,}/).slice(1)).toHaveLength(2);
    const hop = Object.keys(kafka.latency.hops)[0]!;
    const row = lines.find((l) => l.startsWith(`${hop} p50 ms`))!;
    const ratio = (kafka.latency.hops[hop]!.p50 / kafka.calibration!.p50).toFixed(1);
    expect(row).toContain(`(×${ratio} floor)`);
    expect(hopCell(kafka, hop)).toMatch(new RegExp(`^[\\d.]+ \\(×${ratio.replace('.', '\\.')} floor\\)$`));
    expect(hopCell(rest, 'no-such-hop')).toBe('-');
    // the warnings come after the table, one line each, code and message
    expect(lines.at(-2)).toBe('warnings:');
    expect(lines.at(-1)).toBe(`kafka: PROCESS_CPU_BOUND: ${warning.message}`);
  });

  it('without a floor: no floor row, hops as plain p50s', () => {
    const r = result(false);
    const text = renderSummaryTable(r);
    expect(text).not.toContain('floor');
    const hop = Object.keys(r.transports[1]!.latency.hops)[0]!;
    expect(hopCell(r.transports[1]!, hop)).toMatch(/^[\d.]+$/);
  });
});

describe('summary.md', () => {
  it('has the floors, the hops against them and the warnings', () => {
    const r = result(true);
    const md = renderMarkdown(r);
    const kafka = r.transports[1]!;
    expect(md).toContain('| p50 ms | rest | kafka |');
    expect(md).toMatch(/\| floor \(p50 \/ p99\) \| [\d.]+ \/ [\d.]+ \| [\d.]+ \/ [\d.]+ \|/);
    const hop = Object.keys(kafka.latency.hops)[0]!;
    expect(md).toContain(`(×${(kafka.latency.hops[hop]!.p50 / kafka.calibration!.p50).toFixed(1)} floor)`);
    expect(md).toContain('**Warnings**');
    expect(md).toContain('- kafka: `PROCESS_CPU_BOUND` payment#0 (service) used 98–100 %');
    expect(renderMarkdown(result(false))).not.toContain('floor (p50');
  });
});
