import { describe, expect, it } from 'vitest';
import { runTransport } from '../../src/runtime/transport-run.js';
import { unreachableEndpoints } from '../contract/endpoints.js';
import { scenarioOf, tempRunDir } from '../support/scenario.js';

/**
 * A knee with a known answer: one payment instance doing 20 ms of work per order, one
 * at a time, carries exactly 50 orders/s. The knee search must find it within 10 %.
 */
describe('a knee search on a known capacity', () => {
  it('finds the 50 orders/s of one payment instance with 20 ms of work per order', async () => {
    const scenario = scenarioOf({
      workload: {
        executor: 'find-knee',
        startRate: 20,
        warmup: '2s',
        knee: { step: '4s', settle: '1s', factor: 1.5, precision: 0.1, maxRate: 200, maxDuration: '50s' },
        maxInFlight: 1000,
        timeout: '5s',
        drain: '2s',
      },
      workflow: { serviceWork: { payment: '20ms' } },
      slo: { endToEndP99: '150ms' },
    });
    const started = Date.now();
    const { result } = await runTransport({ transport: 'rest', scenario, runId: 't', runDir: tempRunDir(), endpoints: unreachableEndpoints() });
    const took = (Date.now() - started) / 1000;
    const steps = result.knee!.steps.map((s) => `${s.rate}${s.ok ? '✓' : `✗ (${s.why})`}`).join(', ');
    if (process.env.KNEE_DEBUG) console.log(result.timeline.map((p) => `${p.t}: att ${p.attempted} end ${p.completed + p.failed} p99 ${p.p99} fl ${p.inFlight}`).join("\n"));
    console.log(`knee ${result.figures.kneePerSec}/s, failed at ${result.figures.kneeFailedPerSec}/s, ${result.knee!.ended} in ${took.toFixed(1)} s: ${steps}`);
    expect(result.knee!.ended, steps).toBe('narrowed');
    expect(result.figures.kneeReached).toBe(true);
    expect(result.figures.kneePerSec as number, steps).toBeGreaterThan(45);
    expect(result.figures.kneePerSec as number, steps).toBeLessThanOrEqual(55);
    expect(result.figures.sustainablePerSec).toBe(result.figures.kneePerSec);
    expect(result.figures.kneeFailedPerSec as number).toBeLessThanOrEqual((result.figures.kneePerSec as number) * 1.1);
    expect(result.warnings.map((w) => w.code)).not.toContain('KNEE_NOT_REACHED');
    // the proof: the judged seconds of the good step, at most one of them (never two in a row) over the SLO
    const proof = result.timeline.filter((p) => p.t >= (result.figures.kneeProofFromS as number) && p.t <= (result.figures.kneeProofToS as number));
    expect(proof.length).toBe(3);
    expect(proof.filter((p) => p.p99 > 150 || p.dropped + p.timedOut + p.errors > 0).length).toBeLessThanOrEqual(1);
    for (const p of proof) expect(p.completed + p.failed).toBeGreaterThanOrEqual(0.9 * (result.figures.kneePerSec as number));
    // the breach: two seconds of the failed step that broke it
    expect((result.figures.kneeBreachToS as number) - (result.figures.kneeBreachFromS as number)).toBe(1);
    expect(took).toBeLessThan(60);
  });
});
