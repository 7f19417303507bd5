import { describe, expect, it } from 'vitest';
import type { TimelinePoint } from '../../src/metrics/run-recorder.js';
import { kneeWarnings, rampKnee } from '../../src/runtime/figures.js';
import { ScenarioSchema } from '../../src/scenario/schema.js';

/** One second of a timeline: `attempted` offered, `ended` finished at `p99` ms. */
function second(t: number, attempted: number, ended: number, p99: number, extra: Partial<TimelinePoint> = {}): TimelinePoint {
  return { t, attempted, accepted: attempted, completed: ended, failed: 0, errors: 0, dropped: 0, timedOut: 0, inFlight: 0, p50: p99 / 2, p90: p99, p99, max: p99, acceptanceP99: 1, h: '', ...extra };
}

const ramp = ScenarioSchema.parse({ name: 'r', workload: { executor: 'ramping-arrival-rate', startRate: 20, stages: [{ target: 400, duration: '40s' }] } });

describe('the knee of a ramp', () => {
  it('a catch-up second counts no more than the orders offered in it', () => {
    // second 3 stalls; second 4 finishes its own 300 and the 150 held back
    const timeline = [second(1, 100, 100, 20), second(2, 200, 200, 30), second(3, 300, 150, 200), second(4, 300, 450, 240), second(5, 350, 0, 0, { dropped: 50 }), second(6, 400, 10, 900)];
    const knee = rampKnee(timeline, 250);
    // counted as finished, second 4 would have been 450/s: more than was ever offered
    expect(knee.sustainablePerSec).toBe(300);
    expect(knee.sustainablePerSec).toBeLessThanOrEqual(Math.max(...timeline.map((p) => p.attempted)));
    expect(knee.reached).toBe(true);
  });

  it('a ramp that never breaks the SLO did not reach its knee, and says so with the peak rate', () => {
    const timeline = [second(1, 100, 100, 20), second(2, 200, 200, 30), second(3, 400, 400, 40), second(4, 0, 12, 40)];
    const knee = rampKnee(timeline, 250);
    expect(knee).toEqual({ sustainablePerSec: 400, reached: false });
    expect(kneeWarnings({ kneeReached: false }, ramp)).toEqual([
      { code: 'KNEE_NOT_REACHED', message: 'the ramp ended at 400 orders/s without breaking the SLO: the knee is above 400' },
    ]);
    expect(kneeWarnings({ kneeReached: true }, ramp)).toEqual([]);
  });

  it('one bad second alone is not the knee', () => {
    const timeline = [second(1, 100, 100, 20), second(2, 200, 200, 300), second(3, 300, 300, 40), second(4, 400, 200, 900), second(5, 500, 100, 1900)];
    expect(rampKnee(timeline, 250)).toEqual({ sustainablePerSec: 300, reached: true });
  });
});
